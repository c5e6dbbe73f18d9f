import t from 'tap';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTipLab } from '../exchange/helpers/tip-lab.js';
import { CreateTokenWithIAMCommand } from '@aws-sdk/client-sso-oidc';
import { main } from '../../server/cli/main.js';
import { FakeIo } from '../cli/helpers/cli-run.js';

/**
 * Secrets stay secret: private keys and the identity-context secret are 0600 in a 0700 folder,
 * never in a JWKS, the serve output, the request log or the exchange log; tokens presented in a
 * query string are redacted in the request log.
 */
const dir = await mkdtemp(join(tmpdir(), 'tti-lab-secrets-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const tip = await startTipLab({ dataDir: dir, inMemory: false });
t.teardown(() => tip.lab.close());

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

t.test('key files: 0600 in a 0700 folder; the data dir 0700', async (t) => {
  await tip.mint();
  t.equal((await stat(dir)).mode & 0o777, 0o700, 'data dir');
  const keysDir = join(dir, 'keys');
  t.equal((await stat(keysDir)).mode & 0o077, 0, 'keys dir: no group or other access');
  const files = await readdir(keysDir);
  t.ok(files.some((f) => f.startsWith('okta')), 'the issuer key ring is there');
  t.ok(files.includes('identity-context.secret'), 'the identity-context secret is there');
  for (const f of files) t.equal((await stat(join(keysDir, f))).mode & 0o777, 0o600, `${f} is 0600`);
});

t.test('no JWKS carries a private member', async (t) => {
  const instanceId = tip.instanceArn.split('/').pop();
  for (const url of [`${tip.lab.issuer('okta').url}/jwks`, `${tip.lab.url}/identity-center/${instanceId}/jwks`]) {
    const res = await fetch(url);
    t.equal(res.status, 200, url);
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    t.ok(keys.length > 0);
    for (const k of keys) for (const m of PRIVATE_MEMBERS) t.notOk(m in k, `${url}: no "${m}"`);
  }
});

t.test('tokens never reach the logs', async (t) => {
  const assertion = await tip.mint();
  const out = await tip.exchange({ assertion });
  const refreshed = await tip.oidc.send(new CreateTokenWithIAMCommand({ clientId: tip.applicationArn, grantType: 'refresh_token', refreshToken: out.refreshToken! }));
  await tip.exchange({ assertion }).catch(() => undefined); // a replay, refused and logged
  const exchangeLog = JSON.stringify(tip.lab.exchanges());
  const secrets = { 'assertion signature': assertion.split('.')[2]!, accessToken: out.accessToken!, refreshToken: out.refreshToken!, idToken: out.idToken!, 'new refresh token': refreshed.refreshToken!, 'identity context': out.awsAdditionalDetails!.identityContext! };
  for (const [name, value] of Object.entries(secrets)) t.notOk(exchangeLog.includes(value), `the exchange log holds no ${name}`);
  t.equal(JSON.parse(exchangeLog).length, 3, 'all three attempts are logged');

  const issuer = tip.lab.issuer('okta').url;
  await fetch(`${issuer}/me?access_token=SECRET-ACCESS-TOKEN`);
  await fetch(`${issuer}/session/end?id_token_hint=SECRET-ID-TOKEN&state=kept`);
  await fetch(`${issuer}/auth?client_id=0oa-tip-app&code_verifier=SECRET-VERIFIER&client_secret=SECRET-CLIENT`, { redirect: 'manual' });
  const requestLog = JSON.stringify(tip.lab.requests({ issuer: 'okta' }));
  t.notMatch(requestLog, /SECRET-/, 'the request log holds no credential from a query string');
  const me = tip.lab.requests({ issuer: 'okta' }).find((r) => r.path.endsWith('/me'));
  t.same(me?.query, { access_token: '[redacted]' }, 'the parameter name stays, its value does not');
  const end = tip.lab.requests({ issuer: 'okta' }).find((r) => r.path.endsWith('/session/end'));
  t.equal(end?.query.state, 'kept', 'other parameters are kept');
  const fromControl = await tip.lab.app.inject({ method: 'GET', url: '/_lab/requests' });
  t.notMatch(fromControl.body, /SECRET-/, 'nor does GET /_lab/requests');
});

t.test('serve prints no private key, secret or token', async (t) => {
  const io = new FakeIo();
  const config = join(dir, 'serve.yaml');
  await writeFile(config, 'issuers:\n  - name: okta\n    clients:\n      - client_id: app\n        client_secret: super-secret-client-secret\n        redirect_uris: [http://localhost:3000/callback]\n');
  const running = main(['serve', '--config', config, '--port', '0', '--data-dir', join(dir, 'serve-data')], io);
  let started = false;
  await Promise.race([
    io.waitFor(/mint: +POST .*\/mint/).then(() => (started = true)),
    running.then(() => {
      if (!started) t.fail(`serve did not start: ${io.stderr.join('\n')}`);
    }),
  ]);
  io.stop('SIGTERM');
  t.equal(await running, 0);
  const printed = `${io.stdout.join('\n')}\n${io.stderr.join('\n')}`;
  const ring = JSON.parse(await readFile(join(dir, 'serve-data', 'keys', (await readdir(join(dir, 'serve-data', 'keys'))).find((f) => f.startsWith('okta'))!), 'utf8')) as unknown;
  const privateValues = JSON.stringify(ring).match(/"d":"([^"]+)"/g) ?? [];
  t.ok(privateValues.length > 0, 'the ring on disk has its private key');
  for (const v of privateValues) t.notOk(printed.includes(v.slice(5, -1)), 'not printed');
  t.notMatch(printed, /super-secret-client-secret|PRIVATE KEY|"d":/);
});

