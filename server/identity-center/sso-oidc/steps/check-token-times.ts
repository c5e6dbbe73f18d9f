import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step, StepResult } from '../exchange/step.js';
import type { BehaviourProfile } from '../../profile/behaviour-profile.js';

/** The largest |NumericDate| with a calendar date: ±8.64e12 s, the ECMAScript Date range (±275 760 years). */
export const MAX_NUMERIC_DATE = 8.64e12;
const iso = (s: number) => new Date(s * 1000).toISOString();
/** A NumericDate (RFC 7519 §2) the lab can compare and print: a finite number within the date range. */
export const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_NUMERIC_DATE;
/** Why a time claim is not a NumericDate, for the reason. */
const notNumericDate = (claim: string, v: unknown) =>
  typeof v === 'number' && Number.isFinite(v)
    ? `${claim} ${v} is not a date: a NumericDate must lie within ±${MAX_NUMERIC_DATE} s of the epoch (year −271821 to 275760)`
    : `${claim} must be a NumericDate (seconds since the epoch), got ${JSON.stringify(v)}`;

/**
 * exp, nbf and iat of a token's payload against `nowMs`, with the profile's skew (RFC 7519
 * §4.1.4–4.1.6): why they are valid, or the ExchangeFailure naming the claim. STS's
 * AssumeRoleWithWebIdentity checks a web identity token's times with it too.
 */
export function checkTimes(payload: Record<string, unknown>, nowMs: number, profile: BehaviourProfile): StepResult {
  const now = Math.floor(nowMs / 1000);
  const skew = profile.settings.clock_skew_seconds.value;
  const facts = { now: iso(now), skewSeconds: skew, exp: payload.exp, nbf: payload.nbf, iat: payload.iat };
  if (payload.exp === undefined) {
    if (profile.settings.require_exp.value) throw new ExchangeFailure('time.exp_missing', 'the assertion has no exp claim; a JWT bearer assertion must expire (RFC 7523 §3)', 'mint tokens with an exp', facts);
  } else if (!isNumericDate(payload.exp)) {
    throw new ExchangeFailure('time.exp_missing', notNumericDate('exp', payload.exp), undefined, facts);
  } else if (payload.exp + skew <= now) {
    throw new ExchangeFailure('time.expired', `the assertion expired at ${iso(payload.exp)}, ${now - payload.exp} s ago (allowed skew ${skew} s)`, 'get a fresh token from the issuer', facts);
  }
  if (payload.nbf !== undefined) {
    if (!isNumericDate(payload.nbf)) throw new ExchangeFailure('time.not_yet_valid', notNumericDate('nbf', payload.nbf), undefined, facts);
    if (payload.nbf - skew > now) throw new ExchangeFailure('time.not_yet_valid', `the assertion is not valid before ${iso(payload.nbf)}, ${payload.nbf - now} s from now (allowed skew ${skew} s)`, 'check the issuer\'s clock', facts);
  }
  if (payload.iat === undefined) {
    if (profile.settings.require_iat.value) throw new ExchangeFailure('time.iat_future', 'the assertion has no iat claim, which this profile requires', undefined, facts);
  } else {
    if (!isNumericDate(payload.iat)) throw new ExchangeFailure('time.iat_future', notNumericDate('iat', payload.iat), undefined, facts);
    if (payload.iat - skew > now) throw new ExchangeFailure('time.iat_future', `the assertion claims to be issued at ${iso(payload.iat)}, ${payload.iat - now} s in the future (allowed skew ${skew} s)`, 'check the issuer\'s clock', facts);
  }
  return { reason: isNumericDate(payload.exp) ? `valid until ${iso(payload.exp)}` : 'valid (no exp, which this profile allows)', facts };
}

/** 8. exp, nbf and iat against the lab's clock, with the profile's skew (RFC 7519 §4.1.4–4.1.6). */
export const checkTokenTimes: Step<'assertion'> = {
  name: 'token-times-valid',
  title: 'exp, nbf and iat are valid now',
  run(ctx) {
    return checkTimes(ctx.assertion.payload, ctx.now, ctx.profile);
  },
};
