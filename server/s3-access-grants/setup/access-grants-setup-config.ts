import { list, object, oneOf, optional, required, string, type Check } from '../../config/schema.js';

/**
 * The S3 Access Grants setup a lab config can declare (`identity_center.s3_access_grants`), applied
 * at start through the lab's own S3 Control operations (so validated as an SDK call would be):
 * the account's instance, associated with an Identity Center instance, its locations and grants.
 * What already exists (same location scope; same grantee, permission and scope) is left as it is.
 */
export interface AccessGrantsSetupLocation {
  /** `s3://` (the default location), `s3://<bucket>` or `s3://<bucket>/<prefix>`. */
  scope: string;
  /** The IAM role GetDataAccess assumes for it; declare it in aws.roles with a trust policy for access-grants.s3.amazonaws.com. */
  iam_role: string;
}

export interface AccessGrantsSetupGrant {
  /** The scope of a location declared above (or already in the state). */
  location: string;
  /** Appended to the location's scope: `<bucket>/*` on the default location, `<prefix>/*` on a bucket. */
  sub_prefix?: string;
  /** A user_name of the associated instance, `group:<display name>`, or an IAM user or role ARN. */
  grantee: string;
  permission: 'READ' | 'WRITE' | 'READWRITE';
}

export interface AccessGrantsSetup {
  /** The account of the instance; default the default Identity Center instance's account (000000000000). */
  account?: string;
  /** The `name` of an instance under identity_center.instances (or the default instance's) to associate; default the default instance. */
  identity_center?: string;
  locations?: AccessGrantsSetupLocation[];
  grants?: AccessGrantsSetupGrant[];
}

const str = string({ min: 1 });

export const accessGrantsSetupCheck: Check<AccessGrantsSetup> = object<AccessGrantsSetup>({
  account: optional(string({ pattern: /^\d{12}$/, expected: 'a 12-digit account id' })),
  identity_center: optional(str),
  locations: optional(list(object<AccessGrantsSetupLocation>({ scope: required(string({ pattern: /^s3:\/\//, expected: 's3://, s3://<bucket> or s3://<bucket>/<prefix>' })), iam_role: required(string({ pattern: /^arn:aws:iam::\d{12}:role\/.+/, expected: 'an IAM role ARN' })) }))),
  grants: optional(
    list(
      object<AccessGrantsSetupGrant>({
        location: required(str),
        sub_prefix: optional(str),
        grantee: required(str),
        permission: required(oneOf(['READ', 'WRITE', 'READWRITE'] as const)),
      }),
    ),
  ),
});
