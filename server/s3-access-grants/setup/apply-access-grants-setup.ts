import { randomUUID } from 'node:crypto';
import { AwsError } from '../../aws/aws-error.js';
import type { AwsCallContext } from '../../aws/aws-registry.js';
import { runOperation } from '../../aws/model/model-service.js';
import { ConfigError } from '../../config/schema.js';
import type { LabServices } from '../../lab/lab-services.js';
import { grantScopeOf } from '../grant-scope.js';
import { withDocumentedErrors } from '../s3-control-service.js';
import type { AccessGrantsSetup } from './access-grants-setup-config.js';
import { accessGrantsPlanSteps, type PlanAccessGrant } from './access-grants-setup-plan.js';
import { runSetupPlan } from '../../identity-center/setup/run-setup-plan.js';

/**
 * Applies `identity_center.s3_access_grants`: its setup plan (access-grants-setup-plan.ts, the steps a
 * harness scenario's `setup.access_grants` compiles to as well) runs through the lab's S3 Control
 * operations, as the account's root. What exists already is bound, so its step is skipped: the
 * instance (re-associated when the config names another Identity Center instance), a location with
 * the same scope, a grant with the same grantee, permission and scope. A refusal becomes a
 * ConfigError naming the file and the field.
 */
export async function applyAccessGrantsSetup(lab: LabServices, setup: AccessGrantsSetup | undefined, source: string): Promise<void> {
  if (!setup) return;
  const at = 'identity_center.s3_access_grants';
  const ic = lab.identityCenter;
  const account = setup.account ?? ic.defaultInstance().OwnerAccountId;
  const service = withDocumentedErrors(lab.ssoOidc.profile);
  const call = async (operation: string, input: Record<string, unknown>, path: string) => {
    const ctx: AwsCallContext = { principal: { accessKeyId: 'tti-lab-setup', accountId: account, arn: `arn:aws:iam::${account}:root` }, region: lab.aws.region, requestId: randomUUID(), lab };
    try {
      return ((await runOperation(service, operation, input, ctx)) ?? {}) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof AwsError) throw new ConfigError(source, [{ path, message: `${operation} refused it: ${err.type}: ${err.message}${err.detail ? ` (${err.detail})` : ''}` }]);
      throw err;
    }
  };
  const instances = Object.values(ic.state.read.instances);
  const identityCenter = setup.identity_center === undefined ? ic.defaultInstance() : instances.find((i) => i.Name === setup.identity_center);
  if (!identityCenter) throw new ConfigError(source, [{ path: `${at}.identity_center`, message: `no Identity Center instance named "${setup.identity_center}"; instances: ${instances.map((i) => i.Name ?? i.InstanceArn).join(', ')}` }]);
  const existing = ic.state.read.accessGrants?.[account];
  if (existing && existing.IdentityCenterArn !== identityCenter.InstanceArn) await call('AssociateAccessGrantsIdentityCenter', { AccountId: account, IdentityCenterArn: identityCenter.InstanceArn }, `${at}.identity_center`);
  const bindings = new Map([['account', account], ['instance.arn', identityCenter.InstanceArn]]);
  if (existing) bindings.set('access_grants.instance.arn', existing.AccessGrantsInstanceArn);
  const existingLocations = Object.values(existing?.Locations ?? {});
  for (const l of existingLocations) bindings.set(`access_grants.location.${l.LocationScope}.id`, l.AccessGrantsLocationId);
  const declared = new Set([...(setup.locations ?? []).map((l) => l.scope), ...existingLocations.map((l) => l.LocationScope)]);
  const store = ic.state.read.identityStores[identityCenter.IdentityStoreId];
  const grants = (setup.grants ?? []).map((g, k): PlanAccessGrant => {
    const path = `${at}.grants[${k}]`;
    if (!declared.has(g.location)) throw new ConfigError(source, [{ path: `${path}.location`, message: `no location with scope ${g.location}; declare it under ${at}.locations` }]);
    let grantee: PlanAccessGrant['grantee'];
    let granteeId: string;
    if (g.grantee.startsWith('arn:')) {
      grantee = { iam: g.grantee };
      granteeId = g.grantee;
    } else if (g.grantee.startsWith('group:')) {
      const name = g.grantee.slice(6).toLowerCase();
      const group = Object.values(store?.Groups ?? {}).find((x) => x.DisplayName.toLowerCase() === name);
      if (!group) throw new ConfigError(source, [{ path: `${path}.grantee`, message: `no group "${g.grantee.slice(6)}" in ${identityCenter.Name ?? identityCenter.InstanceArn}; declare it under its groups` }]);
      grantee = { group: g.grantee.slice(6) };
      granteeId = group.GroupId;
      bindings.set(`group.${grantee.group}.id`, granteeId);
    } else {
      const user = Object.values(store?.Users ?? {}).find((x) => x.UserName.toLowerCase() === g.grantee.toLowerCase());
      if (!user) throw new ConfigError(source, [{ path: `${path}.grantee`, message: `no user "${g.grantee}" in ${identityCenter.Name ?? identityCenter.InstanceArn}; grantees are user_names, group:<display name> or IAM ARNs` }]);
      grantee = { user: g.grantee };
      granteeId = user.UserId;
      bindings.set(`user.${grantee.user}.id`, granteeId);
    }
    const location = existingLocations.find((x) => x.LocationScope === g.location);
    const scope = location && grantScopeOf(location.LocationScope, g.sub_prefix);
    const same = Object.values(existing?.Grants ?? {}).find((x) => x.GrantScope === scope && x.Permission === g.permission && x.Grantee.GranteeIdentifier === granteeId);
    if (same) bindings.set(`access_grants.grant.${k}.id`, same.AccessGrantId);
    return { key: String(k), at: path, location: g.location, ...(g.sub_prefix ? { subPrefix: g.sub_prefix } : {}), grantee, permission: g.permission };
  });
  const plan = accessGrantsPlanSteps({
    at,
    identityCenterArn: identityCenter.InstanceArn,
    locations: (setup.locations ?? []).map((l, k) => ({ key: l.scope, at: `${at}.locations[${k}]`, scope: l.scope, iamRole: l.iam_role })),
    grants,
  });
  await runSetupPlan(plan, { bindings, send: (step, input) => call(step.operation, input, step.at) });
}
