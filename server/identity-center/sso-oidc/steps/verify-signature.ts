import { compactVerify, type JWK } from 'jose';
import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import type { IssuerKeyCache } from '../issuer-keys/issuer-key-cache.js';
import { keyAlgMismatch } from '../issuer-keys/key-alg-mismatch.js';

/** 6. The issuer's keys are fetched: discovery → jwks_uri → JWKS (cached, bounded by timeouts). */
export const fetchIssuerKeys: Step<'trustedIssuer' | 'assertion', 'issuerKey'> = {
  name: 'issuer-keys-fetched',
  title: 'the issuer\'s discovery document and JWKS are fetched',
  async run(ctx) {
    const url = ctx.trustedIssuer.record.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl;
    const { header } = ctx.assertion;
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const lookup = await ctx.issuerKeys.key(url, kid, String(header.alg));
    const how = lookup.source === 'cache' ? 'from the cache' : lookup.source === 'fetched' ? 'fetched' : 'refetched for an unknown kid';
    return { reason: `key ${lookup.jwk.kid ?? '(no kid)'} found in ${lookup.jwksUri} (${how})`, facts: { jwksUri: lookup.jwksUri, kid: lookup.jwk.kid, source: lookup.source }, set: { issuerKey: lookup } };
  },
};

/**
 * The token's signature verifies with `jwk` for `alg`, the algorithm the key is bound to; else an
 * ExchangeFailure `signature.invalid` saying why. STS's AssumeRoleWithWebIdentity verifies with it too.
 */
export async function verifyWithIssuerKey(issuerKeys: IssuerKeyCache, jwk: JWK, token: string, alg: string): Promise<void> {
  const mismatch = keyAlgMismatch(jwk, alg);
  if (mismatch) {
    throw new ExchangeFailure('signature.invalid', `key ${jwk.kid ?? '(no kid)'} cannot verify this token: ${mismatch}`, 'sign with the algorithm the issuer publishes for the key (its JWK\'s alg)', { kid: jwk.kid, jwkAlg: jwk.alg, alg });
  }
  try {
    await compactVerify(token, await issuerKeys.importKey(jwk, alg), { algorithms: [alg] });
  } catch (err) {
    throw new ExchangeFailure(
      'signature.invalid',
      `the signature does not verify with key ${jwk.kid ?? '(no kid)'} (${(err as Error).message}): the token was changed after signing, or signed by another key`,
      'sign the exact token you send with the issuer\'s current key; do not edit a signed token',
      { kid: jwk.kid },
    );
  }
}

/** 7. The signature verifies with the key the header's kid names, for the algorithm the key is bound to. */
export const verifySignature: Step<'issuerKey' | 'assertion', 'verifiedKey'> = {
  name: 'signature-valid',
  title: 'the signature verifies with the issuer\'s key',
  async run(ctx) {
    const { jwk } = ctx.issuerKey;
    const alg = String(ctx.assertion.header.alg);
    await verifyWithIssuerKey(ctx.issuerKeys, jwk, ctx.assertion.raw, alg);
    return { reason: `verified with ${alg} key ${jwk.kid ?? '(no kid)'}`, set: { verifiedKey: { kid: jwk.kid, alg } } };
  },
};
