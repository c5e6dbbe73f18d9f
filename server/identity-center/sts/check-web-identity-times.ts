import type { AwsError } from '../../aws/aws-error.js';
import type { BehaviourProfile } from '../profile/behaviour-profile.js';
import { ExchangeFailure } from '../sso-oidc/exchange/exchange-failure.js';
import { checkTimes } from '../sso-oidc/steps/check-token-times.js';
import { stsError } from './sts-error.js';

const iso = (seconds: unknown) => (typeof seconds === 'number' && Number.isFinite(seconds) && Math.abs(seconds) < 8.64e12 ? new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : String(seconds));

/**
 * AssumeRoleWithWebIdentity's exp / nbf / iat check: the exchange's own `token-times-valid` check
 * (`checkTimes`, same clock, same clock_skew_seconds, require_exp and require_iat), its refusal turned
 * into the STS failure the profile maps: expired → web_identity.expired, nbf or iat in the future →
 * web_identity.not_yet_valid, exp missing or not a NumericDate → web_identity.bad_token.
 */
export function checkWebIdentityTimes(payload: Record<string, unknown>, nowMs: number, profile: BehaviourProfile): AwsError | undefined {
  try {
    checkTimes(payload, nowMs, profile);
    return undefined;
  } catch (err) {
    if (!(err instanceof ExchangeFailure)) throw err;
    if (err.key === 'time.expired') return stsError(profile, 'web_identity.expired', { now: iso(Math.floor(nowMs / 1000)), exp: iso(payload.exp) }, err.reason);
    if (err.key === 'time.not_yet_valid' || err.key === 'time.iat_future') {
      return stsError(profile, 'web_identity.not_yet_valid', { detail: err.key === 'time.not_yet_valid' ? 'The ID Token provided is not yet valid' : 'The ID Token provided was issued in the future' }, err.reason);
    }
    return stsError(profile, 'web_identity.bad_token', { detail: 'The ID Token provided is not valid: it has no usable exp' }, err.reason);
  }
}
