import t from 'tap';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { KeyStore } from '../../keys/key-store.js';
import { signCompactJws } from '../../keys/sign-compact-jws.js';
import { fixedClock } from '../../shared/clock.js';
import { SIGNING_ALGORITHMS } from '../../shared/signing-algorithm.js';

const store = new KeyStore({ dir: null, clock: fixedClock(Date.UTC(2026, 0, 1)) });

for (const alg of SIGNING_ALGORITHMS) {
  t.test(`${alg}: jose verifies what signCompactJws signs, with the issuer's published JWKS`, async (t) => {
    const key = await store.signingKey(`signer-${alg}`, alg);
    const token = await signCompactJws({ alg, kid: key.kid, typ: 'JWT' }, { sub: 'alice', aud: ['a', 'b'], n: 1, 'sts:identity_context': 'é✓' }, key);
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet((await store.publicJwks(`signer-${alg}`, alg)) as { keys: JWK[] }), { algorithms: [alg] });
    t.same(protectedHeader, { alg, kid: key.kid, typ: 'JWT' });
    t.same(payload, { sub: 'alice', aud: ['a', 'b'], n: 1, 'sts:identity_context': 'é✓' }, 'claims, non-ASCII included, come back as signed');
    t.notOk(/[=+/]/.test(token), 'base64url without padding');
  });
}

t.test('a signature from another key of the same kind does not verify', async (t) => {
  const key = await store.signingKey('signer-a', 'RS256');
  const other = await store.signingKey('signer-b', 'RS256');
  const token = await signCompactJws({ alg: 'RS256', kid: key.kid }, { sub: 'alice' }, other);
  await t.rejects(jwtVerify(token, createLocalJWKSet((await store.publicJwks('signer-a', 'RS256')) as { keys: JWK[] })));
});

t.test('the header alg must be the key algorithm', async (t) => {
  const key = await store.signingKey('signer-rs', 'RS256');
  await t.rejects(signCompactJws({ alg: 'ES256', kid: key.kid }, { sub: 'alice' }, key), /header alg ES256 does not match the key's RS256/);
});

t.test('symmetric key material is refused', async (t) => {
  await t.rejects(signCompactJws({ alg: 'RS256' }, {}, { kid: 'k', alg: 'RS256', key: new Uint8Array(32) }), /asymmetric keys only/);
});

t.test('the header is exactly what was given (no alg: none, no extra members)', async (t) => {
  const key = await store.signingKey('signer-h', 'ES256');
  const token = await signCompactJws({ alg: 'ES256', kid: key.kid }, {}, key);
  t.same(decodeProtectedHeader(token), { alg: 'ES256', kid: key.kid });
});
