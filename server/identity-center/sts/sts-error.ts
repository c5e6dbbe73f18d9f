import { AwsError } from '../../aws/aws-error.js';
import type { BehaviourProfile } from '../profile/behaviour-profile.js';

export type StsFailureKey =
  | 'role.not_assumable'
  | 'context.provider_invalid'
  | 'context.assertion_invalid'
  | 'context.assertion_expired'
  | 'context.more_than_one'
  | 'parameter.invalid'
  | 'parameter.duration_exceeds_max'
  | 'web_identity.no_provider'
  | 'web_identity.bad_audience'
  | 'web_identity.bad_token'
  | 'web_identity.keys_unavailable'
  | 'web_identity.expired'
  | 'web_identity.not_yet_valid'
  | 'web_identity.not_assumable';

/**
 * An STS refusal as the behaviour profile defines it, as the lab's one failure (`AwsError`): the
 * public answer is the entry's awsQuery code, status and message template; the private reason,
 * `<key>: <detail>`, goes to `x-tti-lab-reason` under the action's name.
 */
export function stsError(profile: BehaviourProfile, key: StsFailureKey, vars: Record<string, string>, detail: string): AwsError {
  const f = profile.sts_failures[key]!;
  const message = f.message.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
  return new AwsError(f.code, f.status, message, {}, `${key}: ${detail}`);
}
