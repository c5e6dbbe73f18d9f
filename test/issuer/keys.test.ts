import t from 'tap';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as client from 'openid-client';
import { calculateJwkThumbprint, decodeProtectedHeader, type JWK } from 'jose';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../shared/signing-algorithm.js';
import { startLab, type LabIssuer } from '../../server/lab/start-lab.js';
import { Browser } from './helpers/browser.js';
import { ALICE, REDIRECT_URI, WEB_CLIENT, issuerConfig } from './helpers/lab-config.js';
import { postJson, verifyAgainstJwks } from './helpers/verify.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const issuerName = (alg: SigningAlgorithm) => alg.toLowerCase();

const lab = await startLab({ config: { issuers: SIGNING_ALGORITHMS.map((alg) => issuerConfig(issuerName(alg), alg)) }, inMemory: true });
t.teardown(() => lab.close());

const jwksOf = async (issuer: LabIssuer) => (await (await fetch(issuer.jwksUrl)).json()) as { keys: JWK[] };

/** Signs ALICE in at `issuer` through oidc-provider and returns the ID token. */
async function idTokenFrom(issuer: LabIssuer, alg: SigningAlgorithm): Promise<string> {
  const config = await client.discovery(
    new URL(issuer.url),
    WEB_CLIENT.client_id,
    { id_token_signed_response_alg: alg },
    client.ClientSecretBasic(WEB_CLIENT.client_secret),
    { execute: [client.allowInsecureRequests] },
  );
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const callback = await new Browser().signIn(url, ALICE.sub, REDIRECT_URI);
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier });
  return tokens.id_token!;
}

const activeKid = async (issuer: LabIssuer) => (await issuer.keys()).find((k) => k.status === 'active')!.kid;

for (const alg of SIGNING_ALGORITHMS) {
  t.test(`${alg}: ID tokens from oidc-provider and mints verify; the JWKS is public only; kid is the thumbprint`, async (t) => {
    const issuer = lab.issuer(issuerName(alg));
    const discovery = (await (await fetch(issuer.discoveryUrl)).json()) as { id_token_signing_alg_values_supported: string[] };
    t.ok(discovery.id_token_signing_alg_values_supported.includes(alg), 'advertised');

    const idToken = await idTokenFrom(issuer, alg);
    const v = await verifyAgainstJwks(issuer.jwksUrl, idToken, { issuer: issuer.url, audience: WEB_CLIENT.client_id, algorithms: [alg] });
    t.ok(v.ok, 'the ID token verifies');
    if (v.ok) t.equal(v.header.alg, alg);

    const minted = await issuer.mint({ user: ALICE.sub });
    t.equal(minted.header.alg, alg);
    t.ok((await verifyAgainstJwks(issuer.jwksUrl, minted.token, { algorithms: [alg] })).ok, 'a mint verifies');

    const cc = await postJson(`${issuer.url}/token`, 'grant_type=client_credentials', {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${WEB_CLIENT.client_id}:${WEB_CLIENT.client_secret}`).toString('base64')}`,
      },
    });
    t.equal(cc.status, 200);
    t.equal(decodeProtectedHeader(cc.body.access_token).alg, alg, 'JWT access tokens use it too');
    t.ok((await verifyAgainstJwks(issuer.jwksUrl, cc.body.access_token, { algorithms: [alg] })).ok);

    await issuer.rotateKey(); // two keys, so the check covers a published key as well as the active one
    const res = await fetch(issuer.jwksUrl);
    t.equal(res.headers.get('content-type'), 'application/jwk-set+json; charset=utf-8');
    const { keys } = (await res.json()) as { keys: JWK[] };
    t.equal(keys.length, 2);
    for (const jwk of keys) {
      for (const m of PRIVATE_MEMBERS) t.notOk(m in jwk, `${jwk.kid}: no "${m}"`);
      t.equal(jwk.kid, await calculateJwkThumbprint(jwk, 'sha256'), 'kid = RFC 7638 thumbprint');
      t.equal(jwk.alg, alg);
      t.equal(jwk.use, 'sig');
    }
  });
}

t.test('rotation: the new key signs, tokens of the old one verify until it is retired', async (t) => {
  const issuer = lab.issuer('rs256');
  const oldKid = await activeKid(issuer);
  const before = await issuer.mint({ user: ALICE.sub });
  const beforeId = await idTokenFrom(issuer, 'RS256');
  t.equal(decodeProtectedHeader(beforeId).kid, oldKid);

  const rotated = await issuer.rotateKey();
  t.not(rotated.kid, oldKid);
  t.equal(rotated.status, 'active');
  t.same((await issuer.keys()).map((k) => [k.kid, k.status]).slice(0, 2), [[rotated.kid, 'active'], [oldKid, 'published']]);
  t.equal((await issuer.mint({})).header.kid, rotated.kid, 'mint signs with the new key');
  t.equal(decodeProtectedHeader(await idTokenFrom(issuer, 'RS256')).kid, rotated.kid, 'oidc-provider signs with the new key');
  t.ok((await verifyAgainstJwks(issuer.jwksUrl, before.token)).ok, 'an old mint still verifies');
  t.ok((await verifyAgainstJwks(issuer.jwksUrl, beforeId)).ok, 'an old ID token still verifies');

  const retired = await issuer.retireKey(oldKid);
  t.equal(retired.kid, oldKid);
  t.notOk((await jwksOf(issuer)).keys.some((k) => k.kid === oldKid), 'gone from the JWKS');
  t.same(await verifyAgainstJwks(issuer.jwksUrl, before.token), { ok: false, code: 'ERR_JWKS_NO_MATCHING_KEY' }, 'the old mint no longer verifies');
  t.same(await verifyAgainstJwks(issuer.jwksUrl, beforeId), { ok: false, code: 'ERR_JWKS_NO_MATCHING_KEY' }, 'nor the old ID token');
  t.equal(decodeProtectedHeader(await idTokenFrom(issuer, 'RS256')).kid, rotated.kid, 'sign-in still works after retirement');
});

t.test('rotation and retirement over the control API', async (t) => {
  const issuer = lab.issuer('es256');
  const base = `${lab.url}/_lab/issuers/es256/keys`;
  const oldKid = await activeKid(issuer);
  const old = await issuer.mint({});

  const res = await fetch(`${base}/rotate`, { method: 'POST' });
  t.equal(res.status, 200);
  const rot = { body: (await res.json()) as { key: { kid: string; status: string; alg: string }; keys: { kid: string; status: string }[] } };
  const newKid = rot.body.key.kid;
  t.equal(rot.body.key.status, 'active');
  t.equal(rot.body.key.alg, 'ES256');
  t.equal(rot.body.keys[0]?.kid, newKid);
  t.equal(rot.body.keys.find((k) => k.kid === oldKid)?.status, 'published');
  t.equal((await issuer.mint({})).header.kid, newKid);
  t.ok((await verifyAgainstJwks(issuer.jwksUrl, old.token)).ok);

  const listed = await (await fetch(base)).json();
  t.same(listed, { keys: rot.body.keys });

  const active = await postJson(`${base}/retire`, { kid: newKid });
  t.equal(active.status, 409, 'the active key cannot be retired');
  t.same(Object.keys(active.body).sort(), ['error', 'message']);
  t.equal(active.body.error, 'key_active');
  await t.rejects(issuer.retireKey(newKid), { name: 'KeyStoreError', code: 'ERR_KEY_ACTIVE' });

  const unknown = await postJson(`${base}/retire`, { kid: 'no-such-kid' });
  t.equal(unknown.status, 404);
  t.equal(unknown.body.error, 'unknown_key');

  const retired = await postJson(`${base}/retire`, { kid: oldKid });
  t.equal(retired.status, 200);
  t.equal(retired.body.key.kid, oldKid);
  t.same(await verifyAgainstJwks(issuer.jwksUrl, old.token), { ok: false, code: 'ERR_JWKS_NO_MATCHING_KEY' });
});

t.test('key files: mode 0600 in a 0700 folder, and the same keys after a restart', async (t) => {
  const dataDir = t.testdir();
  const config = { issuers: [issuerConfig('persist', 'ES256')] };
  const first = await startLab({ config, dataDir });
  const minted = await first.issuer('persist').mint({});
  await first.issuer('persist').rotateKey();
  const keysBefore = await first.issuer('persist').keys();
  const file = join(dataDir, 'keys', 'persist.json');
  t.equal((await stat(file)).mode & 0o777, 0o600, 'key ring file is 0600');
  t.equal((await stat(join(dataDir, 'keys'))).mode & 0o777, 0o700, 'keys folder is 0700');
  await first.close();

  const second = await startLab({ config, dataDir });
  t.teardown(() => second.close());
  t.same(await second.issuer('persist').keys(), keysBefore, 'same keys, same statuses');
  t.ok((await verifyAgainstJwks(second.issuer('persist').jwksUrl, minted.token)).ok, 'a token from before the restart verifies');
  t.equal((await second.issuer('persist').mint({})).header.kid, keysBefore[0]!.kid, 'the same key signs');
  t.equal((await stat(file)).mode & 0o777, 0o600);
});
