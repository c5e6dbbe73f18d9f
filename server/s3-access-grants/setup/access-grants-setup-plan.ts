import type { PlanRef, PlanStep, PlanText } from '../../identity-center/setup/setup-plan.js';

/** A location as both setup formats describe it: `key` names it in references (`access_grants.location.<key>.id`). */
export interface PlanAccessGrantsLocation {
  key: string;
  at: string;
  scope: PlanText;
  iamRole: PlanText;
}

export interface PlanAccessGrant {
  key: string;
  at: string;
  /** A location's key. */
  location: string;
  subPrefix?: PlanText;
  /** A directory user's or group's key (their `user.<key>.id` / `group.<key>.id`), or an IAM user or role ARN. */
  grantee: { user: string } | { group: string } | { iam: PlanText };
  permission: 'READ' | 'WRITE' | 'READWRITE';
}

/** An S3 Access Grants setup: the account's instance, associated with the Identity Center instance, its locations and grants. */
export interface PlanAccessGrants {
  at: string;
  /** The Identity Center instance to associate. Default: the plan's `instance.arn`. */
  identityCenterArn?: PlanText;
  locations: PlanAccessGrantsLocation[];
  grants: PlanAccessGrant[];
}

const ref = ($ref: string): PlanRef => ({ $ref });
/** The account the S3 Control calls name (`x-amz-account-id`): bound by the caller of the plan. */
const ACCOUNT = ref('account');

/**
 * The S3 Control steps of an S3 Access Grants setup, for a setup plan (setup-plan.ts): the config's
 * `identity_center.s3_access_grants` (apply-access-grants-setup.ts) and a harness scenario's
 * `setup.access_grants` both compile to them, and the one executor (run-setup-plan.ts) runs them.
 * Each step binds what it made — `access_grants.instance.arn`, `access_grants.location.<key>.id`,
 * `access_grants.grant.<key>.id` — and a bound one is skipped; each has the call that removes it
 * (grants before locations before the instance, as the service requires, since undo runs in reverse).
 */
export function accessGrantsPlanSteps(d: PlanAccessGrants): PlanStep[] {
  const steps: PlanStep[] = [];
  const instanceArn = ref('access_grants.instance.arn');
  steps.push({
    service: 's3-control', operation: 'CreateAccessGrantsInstance', at: d.at,
    input: { AccountId: ACCOUNT, IdentityCenterArn: d.identityCenterArn ?? ref('instance.arn') },
    bind: { [instanceArn.$ref]: 'AccessGrantsInstanceArn' },
    undo: { operation: 'DeleteAccessGrantsInstance', input: { AccountId: ACCOUNT } },
  });
  for (const l of d.locations) {
    const id = ref(`access_grants.location.${l.key}.id`);
    steps.push({
      service: 's3-control', operation: 'CreateAccessGrantsLocation', at: l.at,
      input: { AccountId: ACCOUNT, LocationScope: l.scope, IAMRoleArn: l.iamRole },
      bind: { [id.$ref]: 'AccessGrantsLocationId' },
      undo: { operation: 'DeleteAccessGrantsLocation', input: { AccountId: ACCOUNT, AccessGrantsLocationId: id } },
    });
  }
  for (const g of d.grants) {
    const id = ref(`access_grants.grant.${g.key}.id`);
    const grantee =
      'user' in g.grantee ? { GranteeType: 'DIRECTORY_USER', GranteeIdentifier: ref(`user.${g.grantee.user}.id`) }
      : 'group' in g.grantee ? { GranteeType: 'DIRECTORY_GROUP', GranteeIdentifier: ref(`group.${g.grantee.group}.id`) }
      : { GranteeType: 'IAM', GranteeIdentifier: g.grantee.iam };
    steps.push({
      service: 's3-control', operation: 'CreateAccessGrant', at: g.at,
      input: {
        AccountId: ACCOUNT,
        AccessGrantsLocationId: ref(`access_grants.location.${g.location}.id`),
        Grantee: grantee,
        Permission: g.permission,
        ...(g.subPrefix !== undefined ? { AccessGrantsLocationConfiguration: { S3SubPrefix: g.subPrefix } } : {}),
      },
      bind: { [id.$ref]: 'AccessGrantId' },
      undo: { operation: 'DeleteAccessGrant', input: { AccountId: ACCOUNT, AccessGrantId: id } },
    });
  }
  return steps;
}
