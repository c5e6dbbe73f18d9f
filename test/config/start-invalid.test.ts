import t from 'tap';
import { createServer } from 'node:net';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLab } from '../../server/lab/start-lab.js';

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
