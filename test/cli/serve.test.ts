import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../server/cli/main.js';
import { FakeIo } from './helpers/cli-run.js';

const LAB_YAML = 'issuers:\n  - name: okta\n    description: Shaped like Okta\n';
const BAD_YAML = 'port: 4750\nissuers:\n  - name: okta\n    algoritm: RS256\n    clients:\n      - client_id: svc\n        grant_types: [client_credentials]\n';

/** Starts `tti-lab serve` in this process; resolves once it printed its URL. */
async function serve(...args: string[]) {
  const io = new FakeIo();
  const exit = main(['serve', ...args], io);
  const started = await Promise.race([io.waitFor(/listening on (\S+)/).then((m) => m[1]!), exit.then((code) => ({ code }))]);
  if (typeof started !== 'string') throw new Error(`serve exited ${started.code}: ${io.stderr.join('\n')}`);
  return { io, exit, url: started };
}

t.test('serve: prints its URLs, answers discovery, shuts down on a signal', async (t) => {
  const dir = t.testdir({ 'lab.yaml': LAB_YAML });
  const { io, exit, url } = await serve('--config', join(dir, 'lab.yaml'), '--port', '0', '--in-memory');
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.not(url, 'http://127.0.0.1:0', 'the bound port, not 0');
  const printed = io.stdout.join('\n');
  t.match(printed, `  data:       (in memory)`);
  t.match(printed, `  issuer okta:\n    issuer URL: ${url}/issuers/okta\n    discovery:  ${url}/issuers/okta/.well-known/openid-configuration\n    jwks:       ${url}/issuers/okta/jwks\n    mint:       POST ${url}/issuers/okta/mint`);
  const res = await fetch(`${url}/issuers/okta/.well-known/openid-configuration`);
  t.equal(res.status, 200);
  t.equal(((await res.json()) as { issuer: string }).issuer, `${url}/issuers/okta`);

  io.stop('SIGTERM');
  t.equal(await exit, 0);
  t.equal(io.stdout.at(-1), 'tti-lab: SIGTERM received, shutting down');
  await t.rejects(fetch(`${url}/issuers/okta/jwks`), 'closed');
});

t.test('serve: an invalid config prints every file/field error and exits 2', async (t) => {
  const dir = t.testdir({ 'lab.yaml': BAD_YAML });
  const file = join(dir, 'lab.yaml');
  const io = new FakeIo();
  t.equal(await main(['serve', '--config', file, '--port', '0'], io), 2);
  t.same(io.stdout, []);
  t.same(io.stderr.join('\n').split('\n'), [
    'tti-lab: the configuration is invalid; nothing was started.',
    `lab.yaml: issuers[0].algoritm: unknown field (did you mean "algorithm"?); expected one of name, algorithm, id_token_ttl, access_token_ttl, clients, resources, users, faults, description`,
    `lab.yaml: issuers[0].clients[0].client_secret: is required for the client_credentials grant: expected a client secret (a public client cannot authenticate)`,
  ]);
  t.same(await readdir(dir), ['lab.yaml'], 'no data dir was made');

  const missing = new FakeIo();
  t.equal(await main(['serve', '--config', join(dir, 'nope.yaml'), '--port', '0'], missing), 2);
  t.equal(missing.stderr.join('\n'), `tti-lab: the configuration is invalid; nothing was started.\n${join(dir, 'nope.yaml')}: cannot read the configuration: file not found`);
});

t.test('serve: a port in use gives a clear message', async (t) => {
  const blocker = createServer();
  blocker.listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  t.teardown(() => blocker.close());
  const { port } = blocker.address() as { port: number };
  const io = new FakeIo();
  t.equal(await main(['serve', '--port', String(port), '--in-memory'], io), 1);
  t.same(io.stderr, [
    `tti-lab: port ${port} is in use (127.0.0.1:${port}): stop what is listening there, pick another port with --port, or --port 0 for any free port; nothing was started.`,
  ]);

  const cfg = t.testdir({ 'lab.yaml': `port: ${port}\n` });
  const fromConfig = new FakeIo();
  t.equal(await main(['serve', '--config', join(cfg, 'lab.yaml'), '--in-memory'], fromConfig), 1);
  t.match(fromConfig.stderr.join(''), `port ${port} is in use`, 'names the config\'s port, not the default');
});

t.test('serve: --data-dir and the default data dir are relative to the working directory', async (t) => {
  const root = t.testdir({ cfg: { 'lab.yaml': LAB_YAML }, cwd: {} });
  t.chdir(join(root, 'cwd'));
  const config = join(root, 'cfg', 'lab.yaml');

  const byDefault = await serve('--config', config, '--port', '0');
  t.match(byDefault.io.stdout.join('\n'), `  data:       ${join(root, 'cwd', '.tti-lab')}`);
  byDefault.io.stop('SIGINT');
  t.equal(await byDefault.exit, 0);
  t.ok((await readdir(join(root, 'cwd', '.tti-lab', 'keys'))).includes('okta.json'), 'where `mint --offline` looks by default');

  const given = await serve('--config', config, '--port', '0', '--data-dir', 'state');
  given.io.stop('SIGINT');
  t.equal(await given.exit, 0);
  t.ok((await readdir(join(root, 'cwd', 'state', 'keys'))).includes('okta.json'));
  t.same(await readdir(join(root, 'cfg')), ['lab.yaml'], 'nothing beside the config file');
});

/** `tti-lab` as a process, on the TypeScript sources (no build needed). */
function spawnCli(...args: string[]) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/cli/fixtures/tti-lab.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null }));
  const printed = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const look = () => {
        const m = stdout.match(pattern);
        if (m) resolve(m);
      };
      child.stdout.on('data', look);
      exited.then(() => reject(new Error(`exited before printing ${pattern}: ${stderr}`)));
      look();
    });
  return { child, exited, printed, output: () => ({ stdout, stderr }) };
}

t.test('serve as a process: SIGTERM exits 0 after "shutting down"; an invalid config exits 2', async (t) => {
  const dir = t.testdir({ 'lab.yaml': LAB_YAML, 'bad.yaml': BAD_YAML });
  const lab = spawnCli('serve', '--config', join(dir, 'lab.yaml'), '--port', '0', '--in-memory');
  const bad = spawnCli('serve', '--config', join(dir, 'bad.yaml'), '--port', '0', '--in-memory');
  t.teardown(() => {
    lab.child.kill('SIGKILL');
    bad.child.kill('SIGKILL');
  });

  const [, url] = await lab.printed(/listening on (\S+)/);
  const discovery = await fetch(`${url}/issuers/okta/.well-known/openid-configuration`);
  t.equal(discovery.status, 200);
  t.equal(((await discovery.json()) as { issuer: string }).issuer, `${url}/issuers/okta`);
  lab.child.kill('SIGTERM');
  t.same(await lab.exited, { code: 0, signal: null });
  t.match(lab.output().stdout, /tti-lab: SIGTERM received, shutting down\n$/);

  t.same(await bad.exited, { code: 2, signal: null });
  t.match(bad.output().stderr, 'tti-lab: the configuration is invalid; nothing was started.\nbad.yaml: issuers[0].algoritm: unknown field');
  t.equal(bad.output().stdout, '');
});
