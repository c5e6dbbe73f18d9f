import type { JWK } from 'jose';

/** The curve each ECDSA algorithm signs on (RFC 7518 §3.4). */
const EC_CURVE: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', ES256K: 'secp256k1' };

/**
 * Why `jwk` must not verify a token whose header says `alg`, or undefined when it may. A key is
 * bound to one algorithm: the JWK's `alg` when it has one (RFC 7517 §4.4) — a token signed with
 * RS384 or PS256 by a key published for RS256 is refused — else the algorithms its type and curve
 * allow (RSA: RS*, PS*; EC: the ES* of its curve; OKP Ed25519/Ed448: EdDSA, Ed25519).
 */
export function keyAlgMismatch(jwk: JWK, alg: string): string | undefined {
  if (typeof jwk.alg === 'string' && jwk.alg !== '') {
    return jwk.alg === alg ? undefined : `the key's JWK says alg ${jwk.alg}, the token's header says ${alg}; a key verifies only the algorithm it is published for (RFC 7517 §4.4)`;
  }
  const fits =
    jwk.kty === 'RSA'
      ? /^(RS|PS)(256|384|512)$/.test(alg)
      : jwk.kty === 'EC'
        ? EC_CURVE[alg] !== undefined && EC_CURVE[alg] === jwk.crv
        : jwk.kty === 'OKP'
          ? (alg === 'EdDSA' && (jwk.crv === 'Ed25519' || jwk.crv === 'Ed448')) || (alg === 'Ed25519' && jwk.crv === 'Ed25519')
          : false;
  return fits ? undefined : `the key is ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ''}, which cannot verify ${alg}`;
}
