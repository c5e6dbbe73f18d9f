import { AwsError } from '../aws/aws-error.js';
import type { BehaviourProfile } from '../identity-center/profile/behaviour-profile.js';

export type AccessGrantsFailureKey =
  | 'instance.not_found'
  | 'instance.exists'
  | 'instance.not_empty'
  | 'identity_center.invalid'
  | 'location.not_found'
  | 'location.exists'
  | 'location.not_empty'
  | 'location.invalid'
  | 'grant.not_found'
  | 'grant.exists'
  | 'grant.invalid'
  | 'data_access.denied'
  | 'data_access.sts_not_authorized'
  | 'data_access.sts_validation'
  | 'request.invalid'
  | 'request.wrong_account'
  | 'request.vended_credentials';

/** Every code an S3 Access Grants refusal can carry: S3 Control declares none in its model, its documentation lists them. */
export function accessGrantsErrorCodes(profile: BehaviourProfile): string[] {
  return [...new Set(Object.values(profile.s3_access_grants_failures).map((f) => f.code))];
}

/**
 * An S3 Access Grants error as the behaviour profile defines it (code, status, message template with
 * `{permission}`, `{target}`, `{role}` …), the lab's full reason beside it in `x-tti-lab-reason`.
 */
export function accessGrantsError(profile: BehaviourProfile, key: AccessGrantsFailureKey, vars: Record<string, string>, detail: string): AwsError {
  const f = profile.s3_access_grants_failures[key]!;
  const message = f.message.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
  return new AwsError(f.code, f.status, message, {}, `${key}: ${detail}`);
}
