import t from 'tap';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { KeyStore, type KeySummary } from '../../keys/key-store.js';
import { systemClock } from '../../shared/clock.js';
import { startLab } from '../../server/lab/start-lab.js';
import type { MintResult } from '../../server/issuer/mint/mint-token.js';
import { cli } from './helpers/cli-run.js';

const LAB_YAML = `port: 4750
data_dir: data
issuers:
  - name: okta
    users:
      - sub: 00u1alice
        email: alice@example.com
`;

async function json<T>(argv: string[]): Promise<T> {
  const { code, out, err } = await cli(...argv, '--json');
  if (code !== 0) throw new Error(`${argv.join(' ')} failed (${code}): ${err}`);
  return JSON.parse(out) as T;
}

t.test('mint --offline: signed with the data dir\'s keys, iss as the lab would serve it', async (t) => {
  const root = t.testdir({ cfg: { 'lab.yaml': LAB_YAML }, cwd: {} });
  const dir = join(root, 'cfg');
  const config = join(dir, 'lab.yaml');
  t.chdir(join(root, 'cwd'));
  const result = await json<MintResult>(['mint', '--offline', '--config', config, '--issuer', 'okta', '--user', '00u1alice', '--aud', 'app']);
  t.equal(result.payload.iss, 'http://127.0.0.1:4750/issuers/okta');
  t.equal(result.payload.email, 'alice@example.com');
  t.same(await readdir(join(dir, 'data', 'keys')), ['okta.json'], 'the config\'s data_dir is relative to the config file, not the working directory');
  const store = new KeyStore({ dir: join(dir, 'data', 'keys'), clock: systemClock });
  const { payload } = await jwtVerify(result.token, createLocalJWKSet((await store.publicJwks('okta', 'RS256')) as { keys: JWK[] }), { audience: 'app' });
  t.equal(payload.sub, '00u1alice');

  const other = await json<MintResult>(['mint', '--offline', '--config', config, '--issuer', 'okta', '--endpoint', 'https://lab.test:8443']);
  t.equal(other.payload.iss, 'https://lab.test:8443/issuers/okta', '--endpoint sets the issuer URL');
  t.equal(other.header.kid, result.header.kid, 'the same key');
});

t.test('--data-dir is relative to the working directory', async (t) => {
  const root = t.testdir({ cfg: { 'lab.yaml': LAB_YAML }, cwd: {} });
  const [dir, cwd] = [join(root, 'cfg'), join(root, 'cwd')];
  t.chdir(cwd);
  const { code } = await cli('mint', '--offline', '--config', join(dir, 'lab.yaml'), '--issuer', 'okta', '--data-dir', 'mine', '--token-only');
  t.equal(code, 0);
  t.same(await readdir(join(cwd, 'mine', 'keys')), ['okta.json']);
  t.same(await readdir(dir), ['lab.yaml'], 'the config\'s data_dir was not used');
});

t.test('keys --offline list|rotate|retire, then a lab on the same data dir serves them', async (t) => {
  const dir = t.testdir({ 'lab.yaml': LAB_YAML });
  const config = join(dir, 'lab.yaml');
  const offline = ['--offline', '--config', config, '--issuer', 'okta'];
  const [first] = (await json<{ keys: KeySummary[] }>(['keys', 'list', ...offline])).keys;
  t.equal(first!.status, 'active', 'list makes the first key, as the lab would');
  const rotated = (await json<{ keys: KeySummary[] }>(['keys', 'rotate', ...offline])).keys;
  t.same(rotated.map((k) => k.status), ['active', 'published']);
  t.equal(rotated[1]!.kid, first!.kid);

  const refused = await cli('keys', 'retire', rotated[0]!.kid, ...offline);
  t.equal(refused.code, 1);
  t.equal(refused.err, `tti-lab keys: key "${rotated[0]!.kid}" is issuer "okta"'s signer; rotate before retiring it`);
  const unknown = await cli('keys', 'retire', 'nope', ...offline);
  t.equal(unknown.code, 1);
  t.equal(unknown.err, 'tti-lab keys: issuer "okta" has no key "nope"');

  const lab = await startLab({ config, port: 0 });
  t.teardown(() => lab.close());
  const jwks = (await (await fetch(lab.issuer('okta').jwksUrl)).json()) as { keys: { kid: string }[] };
  t.same(jwks.keys.map((k) => k.kid), rotated.map((k) => k.kid), 'the lab publishes what keys --offline made');
  t.equal((await lab.mint('okta')).header.kid, rotated[0]!.kid, 'and signs with the active one');
});

t.test('offline errors: unknown issuer, invalid config, corrupted key ring', async (t) => {
  const dir = t.testdir({ 'lab.yaml': LAB_YAML, 'bad.yaml': 'issuers:\n  - name: okta\n    algorithm: HS256\n' });
  const config = join(dir, 'lab.yaml');
  const unknown = await cli('mint', '--offline', '--config', config, '--issuer', 'auth0');
  t.equal(unknown.code, 2);
  t.equal(unknown.err, `tti-lab mint: ${config} declares no issuer "auth0"; it has: okta\nRun \`tti-lab mint --help\` for usage.`);

  const bad = join(dir, 'bad.yaml');
  const invalid = await cli('keys', 'list', '--offline', '--config', bad, '--issuer', 'okta');
  t.equal(invalid.code, 2);
  t.equal(invalid.err, `tti-lab keys: the configuration is invalid.\nbad.yaml: issuers[0].algorithm: expected one of RS256, PS256, ES256, EdDSA, got the string "HS256"`);

  await cli('keys', 'list', '--offline', '--config', config, '--issuer', 'okta');
  const ring = join(dir, 'data', 'keys', 'okta.json');
  await writeFile(ring, '{ not json');
  const corrupted = await cli('mint', '--offline', '--config', config, '--issuer', 'okta');
  t.equal(corrupted.code, 1);
  t.match(corrupted.err, `tti-lab mint: ${ring}: cannot load the key ring (not valid JSON: `);
  t.match(corrupted.err, /fix the file, or move it away to start this issuer with new keys/);
});
