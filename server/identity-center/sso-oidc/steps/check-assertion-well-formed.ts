import type { BehaviourProfile } from '../../profile/behaviour-profile.js';
import { decodeJwt, JwtDecodeError, type DecodedJwt } from '../exchange/decode-jwt.js';
import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

/** Algorithms that are never accepted, whatever a profile says: no signature, or a shared secret. */
const NEVER = /^(none|HS\d+)$/i;

/**
 * The assertion decoded, if it is a compact JWS with an acceptable algorithm; else the
 * ExchangeFailure that says why (explain asks this on its own for a token no pipeline reaches).
 */
export function wellFormedAssertion(assertion: string | undefined, profile: BehaviourProfile): DecodedJwt {
  if (assertion === undefined || assertion === '') {
    throw new ExchangeFailure('assertion.missing', 'the jwt-bearer grant needs an assertion: the JWT from your trusted token issuer');
  }
  let decoded;
  try {
    decoded = decodeJwt(assertion);
  } catch (err) {
    if (err instanceof JwtDecodeError) throw new ExchangeFailure('assertion.malformed', `the assertion is not a JWT: ${err.message}`, 'send the raw token string (header.payload.signature), not a Bearer header or a JSON response');
    throw err;
  }
  const alg = decoded.header.alg;
  if (typeof alg !== 'string' || NEVER.test(alg)) {
    throw new ExchangeFailure(
      'assertion.alg_not_allowed',
      alg === undefined || String(alg).toLowerCase() === 'none'
        ? 'the assertion is unsigned (alg "none"); a trusted token issuer\'s tokens must be signed with a key from its JWKS'
        : `the assertion uses ${String(alg)}, a shared-secret algorithm; Identity Center verifies with the issuer's public keys, so HMAC is refused (it is how key-confusion attacks work)`,
      undefined,
      { header: decoded.header },
    );
  }
  const allowed = profile.settings.allowed_algorithms.value;
  if (!allowed.includes(alg)) {
    throw new ExchangeFailure('assertion.alg_not_allowed', `algorithm ${alg} is not accepted; accepted: ${allowed.join(', ')}`, undefined, { header: decoded.header });
  }
  if (decoded.header.crit !== undefined) {
    throw new ExchangeFailure('assertion.malformed', 'the assertion has a "crit" header the verifier does not understand (RFC 7515 §4.1.11)', undefined, { header: decoded.header });
  }
  if (decoded.header.kid !== undefined && typeof decoded.header.kid !== 'string') {
    // A kid that is not a string names no key; read as "no kid" it would match any lone key.
    throw new ExchangeFailure('assertion.malformed', `the header's kid must be a string (RFC 7515 §4.1.4), got ${JSON.stringify(decoded.header.kid)}`, undefined, { header: decoded.header });
  }
  return decoded;
}

/** 4. The assertion is a compact JWS with an acceptable algorithm. */
export const checkAssertionWellFormed: Step<never, 'assertion'> = {
  name: 'assertion-well-formed',
  title: 'the assertion is a signed JWT with an accepted algorithm',
  run(ctx) {
    const decoded = wellFormedAssertion(ctx.request.assertion, ctx.profile);
    const { alg, kid } = decoded.header;
    return { reason: `a JWS signed with ${String(alg)}${typeof kid === 'string' ? `, kid ${kid}` : ''}`, facts: { header: decoded.header, payload: decoded.payload }, set: { assertion: decoded } };
  },
};
