import type { FailureKey } from '../../profile/behaviour-profile.js';
import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { claimAt } from './resolve-user.js';

/** The failure key for a missing claim: one per claim kind the documentation names, one for any other. */
const KEYS: Record<string, FailureKey> = { iss: 'issuer.missing', aud: 'aud.missing', sub: 'sub.missing', jti: 'jti.missing' };

/** Why a claim matters, and what to change, for the claims a trusted token issuer's tokens are documented to carry. */
const FIXES: Record<string, string> = {
  sub: "configure your IdP to put the user's subject identifier in sub (every OIDC ID token has one)",
  jti: 'configure your IdP to give each token a unique jti, or remove jti from the behaviour profile\'s required_claims (Microsoft Entra ID tokens carry uti, not jti)',
};

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * 10. The claims the behaviour profile's `required_claims` lists are all present (not missing, null or
 * empty). AWS's security blog on trusted token issuers says the JWT must carry sub, aud, iss, the
 * mapped user attribute and jti; iss and aud are also checked by their own steps, the mapped
 * attribute by user-resolved. Runs after the signature, times and audience: the token is genuine,
 * and for this application, but lacks a claim.
 */
export const checkRequiredClaims: Step<'assertion'> = {
  name: 'required-claims-present',
  title: 'the assertion carries every claim the profile requires',
  run(ctx) {
    const { payload } = ctx.assertion;
    const required = ctx.profile.settings.required_claims.value;
    const facts = { requiredClaims: required, claims: Object.keys(payload) };
    for (const claim of required) {
      const value = claimAt(payload, claim);
      if (present(value)) continue;
      const key = KEYS[claim] ?? 'claim.missing';
      throw new ExchangeFailure(
        key,
        `the assertion has no ${claim} claim${value === undefined ? '' : ` (it is ${JSON.stringify(value)})`}; the behaviour profile's required_claims (${required.join(', ')}) lists it`,
        FIXES[claim] ?? `configure your IdP to include ${claim} in the token, or remove ${claim} from the behaviour profile's required_claims`,
        { ...facts, missing: claim },
      );
    }
    return { reason: required.length ? `carries ${required.join(', ')}` : 'the profile requires no claims beyond those the other steps check', facts };
  },
};
