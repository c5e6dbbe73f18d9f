import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import type { DecodedJwt } from '../exchange/decode-jwt.js';
import { sha256 } from '../../../util/sha256.js';

/**
 * What identifies an assertion for replay: iss + jti when it has one, else the hash of what was
 * signed (`header.payload`), never the signature bytes: one signed content can have several valid
 * signatures (ECDSA's (r, n − s), a re-signed token), and each would otherwise count as new.
 */
export function replayKey(assertion: DecodedJwt): string {
  const { payload, signingInput } = assertion;
  return typeof payload.jti === 'string' && payload.jti !== ''
    ? `jti:${String(payload.iss)}|${payload.jti}`
    : `sha256:${sha256(signingInput, 'base64url')}`;
}

/**
 * 12. Each assertion is accepted once. A real run reserves it here, atomically with the check,
 * so two concurrent exchanges of one token cannot both pass; a read-only run only looks.
 */
export const checkNotReplayed: Step<'assertion'> = {
  name: 'assertion-not-replayed',
  title: 'the assertion has not been exchanged before',
  run(ctx) {
    if (!ctx.profile.settings.replay_protection.value) return { reason: 'replay protection is off in this behaviour profile' };
    const key = replayKey(ctx.assertion);
    const exp = ctx.assertion.payload.exp;
    const skew = ctx.profile.settings.clock_skew_seconds.value;
    const until = typeof exp === 'number' ? (exp + skew) * 1000 : ctx.now + 24 * 3600 * 1000;
    const fresh = ctx.readOnly ? !ctx.tokens.seen(key, ctx.now) : ctx.tokens.remember(key, until, ctx.now);
    if (!fresh) {
      throw new ExchangeFailure(
        'assertion.replayed',
        'this assertion was already exchanged; Identity Center accepts each external JWT once',
        'get a new token from the issuer for each exchange, and use the refresh token to stay signed in',
        { replayKey: key.startsWith('jti:') ? 'iss + jti' : 'hash of header.payload' },
      );
    }
    return { reason: ctx.readOnly ? 'not exchanged before (checked only)' : 'first use: recorded against replay' };
  },
};
