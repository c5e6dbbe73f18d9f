import t from 'tap';
import { createPrivateKey, sign as nodeSign, constants } from 'node:crypto';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import type { JWK } from 'jose';
import { fixedClock, startLab, type Lab } from '../../server/index.js';
import { keyAlgMismatch } from '../../server/identity-center/sso-oidc/issuer-keys/key-alg-mismatch.js';
import { ACCOUNT, ALICE, CLIENT_ID, clients, labReason, startTipLab } from './helpers/tip-lab.js';

/**
 * A key verifies only the algorithm it is bound to (its JWK's alg, else its type and curve), and a
 * lab issuer's retired key stops verifying at once: the issuer tells the exchange's key cache.
 */
const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const tip = await startTipLab({ clock });
t.teardown(() => tip.lab.close());

const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url');
const VARIANTS = [
  { alg: 'RS384', hash: 'sha384' },
  { alg: 'RS512', hash: 'sha512' },
  { alg: 'PS256', hash: 'sha256', saltLength: 32 },
  { alg: 'PS384', hash: 'sha384', saltLength: 48 },
] as const;

/** A JWT signed by the issuer's own RS256 key (JWK alg RS256), but with another RSA algorithm. */
async function signedWithOtherAlg(lab: Lab, issuer: string, claims: Record<string, unknown>, v: (typeof VARIANTS)[number]): Promise<string> {
  const [jwk] = await lab.services.keys.privateJwks(issuer, 'RS256');
  const key = createPrivateKey({ key: jwk as JWK & { kty: string }, format: 'jwk' });
  const now = Math.floor(clock.now() / 1000);
  const input = `${b64(JSON.stringify({ alg: v.alg, kid: jwk!.kid, typ: 'JWT' }))}.${b64(JSON.stringify({ iss: lab.issuer(issuer).url, iat: now, exp: now + 300, ...claims }))}`;
  const sig = nodeSign(v.hash, Buffer.from(input), 'saltLength' in v ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: v.saltLength } : key);
  return `${input}.${b64(sig)}`;
}

t.test('a token signed with RS384, RS512, PS256 or PS384 by a key published for RS256 is refused', async (t) => {
  for (const v of VARIANTS) {
    const token = await signedWithOtherAlg(tip.lab, 'okta', { sub: ALICE.sub, email: ALICE.email, aud: CLIENT_ID, jti: `other-alg-${v.alg}` }, v);
    const err = await tip.exchange({ assertion: token }).then(
      () => undefined,
      (e: unknown) => e as { name: string },
    );
    t.equal(err?.name, 'InvalidGrantException', v.alg);
    t.match(labReason(err), new RegExp(`^signature-valid: key \\S+ cannot verify this token: the key's JWK says alg RS256, the token's header says ${v.alg}`), v.alg);
  }
});

t.test('without alg in the JWK, the algorithm must suit the key type and curve', async (t) => {
  const rsa = { kty: 'RSA', n: 'AQAB', e: 'AQAB' };
  t.equal(keyAlgMismatch(rsa, 'RS384'), undefined, 'RSA: RS384');
  t.equal(keyAlgMismatch(rsa, 'PS512'), undefined, 'RSA: PS512');
  t.match(keyAlgMismatch(rsa, 'ES256'), /the key is RSA, which cannot verify ES256/);
  t.match(keyAlgMismatch(rsa, 'EdDSA'), /cannot verify EdDSA/);
  t.equal(keyAlgMismatch({ kty: 'EC', crv: 'P-256' }, 'ES256'), undefined, 'P-256: ES256');
  t.match(keyAlgMismatch({ kty: 'EC', crv: 'P-256' }, 'ES384'), /the key is EC P-256, which cannot verify ES384/);
  t.match(keyAlgMismatch({ kty: 'EC', crv: 'P-384' }, 'ES256'), /EC P-384, which cannot verify ES256/);
  t.equal(keyAlgMismatch({ kty: 'EC', crv: 'P-521' }, 'ES512'), undefined, 'P-521: ES512');
  t.equal(keyAlgMismatch({ kty: 'OKP', crv: 'Ed25519' }, 'EdDSA'), undefined, 'Ed25519: EdDSA');
  t.match(keyAlgMismatch({ kty: 'OKP', crv: 'X25519' }, 'EdDSA'), /OKP X25519, which cannot verify EdDSA/);
  t.match(keyAlgMismatch({ kty: 'oct', k: 'c2VjcmV0' }, 'RS256'), /the key is oct/);
  t.equal(keyAlgMismatch({ kty: 'RSA', alg: 'PS256' }, 'PS256'), undefined, 'a JWK alg binds exactly');
  t.match(keyAlgMismatch({ kty: 'RSA', alg: 'PS256' }, 'RS256'), /JWK says alg PS256, the token's header says RS256/);
});

t.test('a retired key stops verifying at once; the new key verifies at once', async (t) => {
  const okta = tip.lab.issuer('okta');
  t.ok((await tip.exchange({ assertion: await tip.mint() })).accessToken, 'the cache holds the current keys');
  const [old] = await okta.keys();
  const signedByOld = await tip.mint();
  await okta.rotateKey();
  t.ok((await tip.exchange({ assertion: await tip.mint() })).accessToken, 'a token of the new key passes at once (no refetch interval to wait out)');
  await okta.retireKey(old!.kid);
  const err = await tip.exchange({ assertion: signedByOld }).then(
    () => undefined,
    (e: unknown) => e as { name: string },
  );
  t.equal(err?.name, 'InvalidGrantException', 'a token of the retired key is refused, within the cache TTL');
  t.match(labReason(err), new RegExp(`^issuer-keys-fetched: no key with kid "${old!.kid}"`));
});

t.test('AssumeRoleWithWebIdentity binds the key to its alg too', async (t) => {
  const web = await startLab({ inMemory: true, clock, config: { issuers: [{ name: 'web', users: [{ sub: 'u1' }] }] } });
  t.teardown(() => web.close());
  await web.issuer('web').keys();
  const host = web.issuer('web').url.replace(/^https?:\/\//, '');
  const role = `arn:aws:iam::${ACCOUNT}:role/Web`;
  const iam = await startLab({
    inMemory: true,
    clock,
    config: {
      aws: {
        oidc_providers: [{ url: web.issuer('web').url, client_ids: ['sts-client'] }],
        roles: [{ arn: role, trust_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}` }, Action: 'sts:AssumeRoleWithWebIdentity' }] } }],
      },
    },
  });
  t.teardown(() => iam.close());
  const { sts } = clients(iam.url, clock);
  const token = await signedWithOtherAlg(web, 'web', { sub: 'u1', aud: 'sts-client' }, VARIANTS[2]);
  const err = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: role, RoleSessionName: 'other-alg', WebIdentityToken: token })).then(
    () => undefined,
    (e: unknown) => e as { name: string },
  );
  t.equal(err?.name, 'InvalidIdentityTokenException');
  t.match(labReason(err), /the key's JWK says alg RS256, the token's header says PS256/);
});
