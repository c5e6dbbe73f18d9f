import { AwsError, type PrivateReason } from '../../aws/aws-error.js';
import type { FailureBehaviour } from './behaviour-profile.js';

/**
 * The public answer the behaviour profile gives an SSO OIDC failure, as the lab's one failure: the
 * exception (`x-amzn-ErrorType`), the status, and the body's modelled members in the order the real
 * service sends them — `error`, `error_description` (left out when the profile's is empty), `reason`
 * (where modelled) — with the lab's private reason beside it.
 */
export function failureError(behaviour: FailureBehaviour, why?: PrivateReason): AwsError {
  const fields: Record<string, string> = { error: behaviour.error };
  if (behaviour.error_description) fields.error_description = behaviour.error_description;
  if (behaviour.reason) fields.reason = behaviour.reason;
  const reason = why ? { ...(why.step ? { step: why.step } : {}), reason: why.reason, ...(why.fix ? { fix: why.fix } : {}) } : undefined;
  return new AwsError(behaviour.exception, behaviour.status, behaviour.error_description, fields, reason);
}
