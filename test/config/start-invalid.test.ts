import t from 'tap';
import { createServer } from 'node:net';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { startLab } from '../../server/lab/start-lab.js';
import { ListenError } from '../../server/lab/listen-error.js';

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves true when something can listen on the port again, i.e. nothing was left open there. */
async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

t.test('an invalid config object starts nothing', async (t) => {
  const port = await freePort();
  await t.rejects(
    startLab({ port, inMemory: true, config: { issuers: [{ name: 'okta', clients: [{ client_id: 'svc', grant_types: ['client_credentials'] }] }] } }),
    { code: 'ERR_CONFIG_INVALID', message: /issuers\[0\]\.clients\[0\]\.client_secret: is required/ },
  );
  t.ok(await canListen(port), 'the port is still free');
});

t.test('an invalid config file starts nothing and writes nothing', async (t) => {
  const dir = t.testdir({ 'lab.yaml': 'port: 4750\nissuers:\n  - name: okta\n    algoritm: RS256\n' });
  const port = await freePort();
  await t.rejects(startLab({ config: join(dir, 'lab.yaml'), port, dataDir: join(dir, 'data') }), {
    message: `lab.yaml: issuers[0].algoritm: unknown field (did you mean "algorithm"?); expected one of name, algorithm, id_token_ttl, access_token_ttl, clients, resources, users, faults, description`,
  });
  t.ok(await canListen(port));
  t.same(await readdir(dir), ['lab.yaml'], 'no data dir was made');
});

t.test('a TLS file that cannot be read starts nothing', async (t) => {
  const dir = t.testdir({ 'lab.yaml': 'tls:\n  cert: missing-cert.pem\n  key: missing-key.pem\n' });
  const port = await freePort();
  await t.rejects(startLab({ config: join(dir, 'lab.yaml'), port, inMemory: true }), {
    code: 'ERR_CONFIG_INVALID',
    message: `lab.yaml: tls.cert: cannot read ${join(dir, 'missing-cert.pem')}: ENOENT`,
  });
  t.ok(await canListen(port));
});

t.test('a valid config file starts, and close frees the port', async (t) => {
  const dir = t.testdir();
  await writeFile(join(dir, 'lab.yaml'), 'issuers:\n  - name: okta\n');
  const port = await freePort();
  const lab = await startLab({ config: join(dir, 'lab.yaml'), port, inMemory: true });
  t.equal(lab.url, `http://127.0.0.1:${port}`);
  t.notOk(await canListen(port), 'listening');
  await lab.close();
  t.ok(await canListen(port), 'freed');
});

t.test('startLab takes a free port, not the config\'s, unless told (the README\'s startLab({ config }) beside a running serve)', async (t) => {
  const blocker = createServer();
  blocker.listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  t.teardown(() => blocker.close());
  const { port } = blocker.address() as { port: number };
  const dir = t.testdir({ 'lab.yaml': `port: ${port}\nissuers:\n  - name: okta\n` });
  const lab = await startLab({ config: join(dir, 'lab.yaml'), inMemory: true });
  t.teardown(() => lab.close());
  t.not(lab.url, `http://127.0.0.1:${port}`, 'the config\'s port is serve\'s; startLab took another');

  const err = await startLab({ config: join(dir, 'lab.yaml'), inMemory: true, useConfigPort: true }).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof ListenError, 'a ListenError, not a raw socket error');
  t.equal((err as ListenError).message, `cannot start the lab: port ${port} is in use (127.0.0.1:${port}): stop what is listening there, or pass another port (startLab({ port }), tti-lab serve --port); leave startLab's port out, or give 0, for any free port`);
  t.equal((err as ListenError).code, 'EADDRINUSE');
  await t.rejects(startLab({ inMemory: true, port }), { name: 'ListenError', port }, 'an explicit port that is taken names it too');
});
