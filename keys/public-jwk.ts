import type { JWK } from 'jose';

/** Members that make up the public part of each key type (RFC 7517/7518/8037). */
const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
};

/**
 * The public half of a JWK. It copies an allow-list of members rather than deleting private ones,
 * so a member this code has never heard of can never leak into a JWKS.
 */
export function publicJwk(jwk: JWK): JWK {
  const members = PUBLIC_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new TypeError(`unsupported key type ${String(jwk.kty)}`);
  const out: JWK = {};
  for (const m of [...members, 'kid', 'alg', 'use'] as const) {
    const v = (jwk as Record<string, unknown>)[m];
    if (v !== undefined) (out as Record<string, unknown>)[m] = v;
  }
  return out;
}
