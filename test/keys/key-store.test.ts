import t from 'tap';
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify, SignJWT, type JWK } from 'jose';
import { KeyRingError, KeyStore, KeyStoreError } from '../../keys/key-store.js';
import { publicJwk } from '../../keys/public-jwk.js';
import { fixedClock } from '../../shared/clock.js';
import { SIGNING_ALGORITHMS } from '../../shared/signing-algorithm.js';
import { startLab } from '../../server/lab/start-lab.js';

const clock = fixedClock(Date.UTC(2026, 0, 1));
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const storeIn = (dir: string) => new KeyStore({ dir: join(dir, 'keys'), clock });
const mode = async (path: string) => (await stat(path)).mode & 0o777;

async function signAndVerify(store: KeyStore, issuer: string, alg: (typeof SIGNING_ALGORITHMS)[number]) {
  const key = await store.signingKey(issuer, alg);
  const token = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.key);
  return jwtVerify(token, createLocalJWKSet(await store.publicJwks(issuer, alg) as { keys: JWK[] }));
}

t.test('keys are generated on first use and kept in <dir>/<issuer>.json', async (t) => {
  const dir = t.testdir();
  const store = storeIn(dir);
  t.same(await store.list('okta'), [], 'listing does not make a key');
  t.same(await readdir(dir), [], 'nothing written before first use');
  const key = await store.signingKey('okta', 'RS256');
  t.same(await store.list('okta'), [{ kid: key.kid, alg: 'RS256', createdAt: '2026-01-01T00:00:00.000Z', status: 'active' }], 'created_at comes from the clock');
  t.same(await readdir(join(dir, 'keys')), ['okta.json'], 'no temporary file is left behind');
  t.equal((await store.signingKey('okta', 'RS256')).kid, key.kid, 'the same key next time');
  t.equal((await storeIn(dir).signingKey('okta', 'RS256')).kid, key.kid, 'and after a restart');
});

t.test('file mode 0600, folder mode 0700', async (t) => {
  const dir = t.testdir();
  const store = storeIn(dir);
  await store.signingKey('okta', 'ES256');
  t.equal(await mode(join(dir, 'keys')), 0o700);
  t.equal(await mode(join(dir, 'keys', 'okta.json')), 0o600);
  await chmod(join(dir, 'keys', 'okta.json'), 0o644);
  await store.rotate('okta', 'ES256');
  t.equal(await mode(join(dir, 'keys', 'okta.json')), 0o600, 'a rewrite puts a loosened mode back to 0600');
});

for (const alg of SIGNING_ALGORITHMS) {
  t.test(`${alg}: signs, verifies against the public JWKS, kid = RFC 7638 thumbprint`, async (t) => {
    const store = new KeyStore({ dir: null, clock });
    const { protectedHeader } = await signAndVerify(store, 'iss', alg);
    t.equal(protectedHeader.alg, alg);
    const { keys } = await store.publicJwks('iss', alg);
    t.equal(keys.length, 1);
    const jwk = keys[0]!;
    t.equal(jwk.kid, await calculateJwkThumbprint(jwk, 'sha256'), 'kid is the SHA-256 thumbprint of the public key');
    t.equal(jwk.alg, alg);
    t.equal(jwk.use, 'sig');
    const expected = { RS256: ['RSA', undefined], PS256: ['RSA', undefined], ES256: ['EC', 'P-256'], EdDSA: ['OKP', 'Ed25519'] }[alg];
    t.same([jwk.kty, jwk.crv], expected);
    for (const m of PRIVATE_MEMBERS) t.notOk(m in jwk, `no "${m}" in the JWKS`);
    const [priv] = await store.privateJwks('iss', alg);
    t.type(priv!.d, 'string', 'the private JWK (for the in-process provider only) has d');
  });
}

t.test('publicJwk copies an allow-list of members', async (t) => {
  const rsa = { kty: 'RSA', n: 'n', e: 'AQAB', d: 'd', p: 'p', q: 'q', dp: 'dp', dq: 'dq', qi: 'qi', oth: [], kid: 'k', alg: 'RS256', use: 'sig', x_future_private: 'secret' };
  t.same(publicJwk(rsa as JWK), { kty: 'RSA', n: 'n', e: 'AQAB', kid: 'k', alg: 'RS256', use: 'sig' }, 'a member it has never heard of is dropped too');
  t.same(publicJwk({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' }), { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' });
  t.same(publicJwk({ kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'd' }), { kty: 'OKP', crv: 'Ed25519', x: 'x' });
  t.throws(() => publicJwk({ kty: 'oct', k: 'secret' }), { message: 'unsupported key type oct' }, 'a symmetric key is never published');
});

t.test('rotation: a new signer; the old key stays published until retired', async (t) => {
  const dir = t.testdir();
  const store = storeIn(dir);
  const changes: string[] = [];
  store.onChange((issuer) => changes.push(issuer));
  const first = await store.signingKey('okta', 'RS256');
  const oldToken = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid: first.kid }).sign(first.key);

  clock.advance(1000);
  const rotated = await store.rotate('okta', 'RS256');
  t.equal(rotated.status, 'active');
  t.equal(rotated.createdAt, '2026-01-01T00:00:01.000Z');
  t.equal((await store.signingKey('okta', 'RS256')).kid, rotated.kid, 'the new key signs');
  t.same((await store.list('okta')).map((k) => [k.kid, k.status]), [[rotated.kid, 'active'], [first.kid, 'published']], 'active first');
  const jwks = await store.publicJwks('okta', 'RS256');
  t.same(jwks.keys.map((k) => k.kid), [rotated.kid, first.kid]);
  await t.resolves(jwtVerify(oldToken, createLocalJWKSet(jwks as { keys: JWK[] })), 'a token signed before rotation still verifies');

  await t.rejects(store.retire('okta', rotated.kid), new KeyStoreError('ERR_KEY_ACTIVE', `key "${rotated.kid}" is issuer "okta"'s signer; rotate before retiring it`));
  await t.rejects(store.retire('okta', 'nope'), { code: 'ERR_KEY_NOT_FOUND', message: 'issuer "okta" has no key "nope"' });
  const retired = await store.retire('okta', first.kid);
  t.same(retired, { kid: first.kid, alg: 'RS256', createdAt: '2026-01-01T00:00:00.000Z', status: 'published' });
  t.same((await store.publicJwks('okta', 'RS256')).keys.map((k) => k.kid), [rotated.kid], 'retired keys leave the JWKS');
  await t.rejects(jwtVerify(oldToken, createLocalJWKSet((await store.publicJwks('okta', 'RS256')) as { keys: JWK[] })), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  t.same(changes, ['okta', 'okta', 'okta'], 'listeners hear first key, rotation and retirement, not failed retirements');

  t.same((await storeIn(dir).list('okta')).map((k) => k.kid), [rotated.kid], 'all of it is on disk');
  const onDisk = JSON.parse(await readFile(join(dir, 'keys', 'okta.json'), 'utf8')) as { version: number; keys: unknown[] };
  t.equal(onDisk.version, 1);
  t.equal(onDisk.keys.length, 1);
});

t.test('a changed algorithm makes a new signer of that algorithm; the old key stays published', async (t) => {
  const store = new KeyStore({ dir: null, clock });
  const rs = await store.signingKey('okta', 'RS256');
  const es = await store.signingKey('okta', 'ES256');
  t.not(es.kid, rs.kid);
  t.same((await store.list('okta')).map((k) => [k.alg, k.status]), [['ES256', 'active'], ['RS256', 'published']]);
});

t.test('concurrent first use makes exactly one key', async (t) => {
  const dir = t.testdir();
  const store = storeIn(dir);
  const results = await Promise.all([
    ...Array.from({ length: 8 }, () => store.signingKey('okta', 'ES256').then((k) => k.kid)),
    store.publicJwks('okta', 'ES256').then((j) => j.keys[0]!.kid!),
    store.privateJwks('okta', 'ES256').then((j) => j[0]!.kid!),
    store.list('okta').then(() => undefined),
  ]);
  t.equal(new Set(results.filter(Boolean)).size, 1, 'every caller got the same key');
  t.equal((await store.list('okta')).length, 1);

  const other = t.testdir();
  const [a, b] = [storeIn(other), storeIn(other)];
  const kids = await Promise.all([a.signingKey('okta', 'ES256'), b.signingKey('okta', 'ES256'), a.signingKey('okta', 'ES256'), b.signingKey('okta', 'ES256')]);
  t.equal(new Set(kids.map((k) => k.kid)).size, 1, 'two stores on one data dir (two processes) agree on one key');
  t.equal((await storeIn(other).list('okta')).length, 1, 'and one key is on disk');
  t.same((await readdir(join(other, 'keys'))).sort(), ['okta.json'], 'no temporary file is left behind');
});

t.test('a corrupted key file gives an error naming the file and the fix', async (t) => {
  const cases: Record<string, [string, string]> = {
    'not JSON': ['{"version": 1, "keys": [', 'not valid JSON: '],
    'another format': ['{"keys": {}}', 'unknown key ring format: expected { "version": 1, "keys": [...] }'],
    'a key without its private part': [
      JSON.stringify({ version: 1, keys: [{ kid: 'k', alg: 'RS256', status: 'active', created_at: '2026-01-01T00:00:00.000Z', jwk: { kty: 'RSA', n: 'n', e: 'AQAB' } }] }),
      'keys[0].jwk has no private part (d)',
    ],
    'an unknown algorithm': [
      JSON.stringify({ version: 1, keys: [{ kid: 'k', alg: 'HS256', status: 'active', created_at: '2026-01-01T00:00:00.000Z', jwk: { kty: 'oct', k: 'x' } }] }),
      'keys[0].alg is not one of RS256, PS256, ES256, EdDSA',
    ],
  };
  for (const [name, [text, reason]] of Object.entries(cases)) {
    const dir = t.testdir({ keys: { 'okta.json': text } });
    const file = join(dir, 'keys', 'okta.json');
    const store = storeIn(dir);
    const err = await store.signingKey('okta', 'RS256').then(() => undefined, (e: unknown) => e);
    t.ok(err instanceof KeyRingError, name);
    const e = err as KeyRingError;
    t.equal(e.code, 'ERR_KEY_RING_UNREADABLE');
    t.equal(e.file, file);
    t.ok(e.reason.startsWith(reason), `${name}: ${e.reason}`);
    t.equal(e.message, `${file}: cannot load the key ring (${e.reason}); fix the file, or move it away to start this issuer with new keys (tokens it signed before will no longer verify)`);
    t.equal(await readFile(file, 'utf8'), text, `${name}: the file is left as it was`);
  }

  const dir = t.testdir({ keys: { 'okta.json': 'garbage' } });
  const store = storeIn(dir);
  await t.rejects(store.list('okta'), KeyRingError);
  await writeFile(join(dir, 'keys', 'okta.json'), JSON.stringify({ version: 1, keys: [] }));
  t.same(await store.list('okta'), [], 'once the file is fixed, the same store reads it again');
});

t.test('a lab whose key file is corrupted does not start', async (t) => {
  const dir = t.testdir({ data: { keys: { 'okta.json': '{' } } });
  await t.rejects(startLab({ config: { issuers: [{ name: 'okta' }] }, dataDir: join(dir, 'data') }), {
    code: 'ERR_KEY_RING_UNREADABLE',
    file: join(dir, 'data', 'keys', 'okta.json'),
  });
});

t.test('in-memory mode writes nothing', async (t) => {
  const dir = t.testdir();
  t.chdir(dir);
  const lab = await startLab({ config: { data_dir: 'data', issuers: [{ name: 'okta', algorithm: 'EdDSA' }] }, inMemory: true });
  t.teardown(() => lab.close());
  t.equal(lab.dataDir, null);
  const { kid } = (await lab.mint('okta')).header as { kid: string };
  const rotated = await lab.issuer('okta').rotateKey();
  await lab.issuer('okta').retireKey(kid);
  t.same((await lab.issuer('okta').keys()).map((k) => k.kid), [rotated.kid]);
  t.same(await readdir(dir), [], 'no data dir, no key file, nothing in the working directory');
});
