import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The CLI as `npm start` and `npx tti-lab` run it: bin/tti-lab.js on the bundle dist/tti-lab.cjs that
// `npm run build` makes (npm ci / npm install run it). The other CLI tests run the TypeScript sources;
// this one checks that bundling lost nothing a user reaches first: the example lab starts, its
// issuers, the AWS endpoint and the workbench answer, the harness finds its catalog.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = `${ROOT}bin/tti-lab.js`;
const BUNDLE = `${ROOT}dist/tti-lab.cjs`;

t.before(() => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` (npm install and npm ci run it)`);
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

t.test('the built CLI serves the example lab', async (t) => {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', 'examples/lab.yaml', '--port', '0', '--in-memory'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/listening on (\S+)/);
      if (m) resolve(m[1]!);
    });
    child.on('close', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  t.teardown(() => {
    child.kill('SIGKILL');
  });

  const discovery = await fetch(`${url}/issuers/okta/.well-known/openid-configuration`);
  t.equal(discovery.status, 200, 'an issuer answers discovery');
  t.equal(((await discovery.json()) as { issuer: string }).issuer, `${url}/issuers/okta`);

  const mint = await fetch(`${url}/issuers/okta/mint`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ claims: { sub: 'alice', aud: 'api://x' } }) });
  t.equal(mint.status, 200, 'mint signs a token');

  // oidc-provider is in its own bundle (dist/tti-lab-provider.cjs), loaded by the first request that needs it.
  const token = await fetch(`${url}/issuers/okta/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('0oa1b2c3d4e5f6g7h8i9:okta-lab-secret').toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  t.equal(token.status, 200, 'the token endpoint (oidc-provider) answers');
  t.match(await token.json(), { access_token: String, token_type: 'Bearer' });

  const workbench = await fetch(`${url}/workbench/`);
  t.equal(workbench.status, 200, 'the workbench finds its assets beside the bundle');
  t.match(await workbench.text(), /<html/i);

  // An unsigned AWS call: the endpoint answers in the protocol's error shape.
  const aws = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SWBExternalService.ListInstances' }, body: '{}' });
  t.ok(aws.status >= 400 && aws.status < 500, 'a client error');
  t.match(await aws.json(), { __type: /MissingAuthenticationToken|IncompleteSignature/ });

  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  t.equal(code, 0, 'SIGTERM shuts it down cleanly');
  t.match(stdout, /SIGTERM received, shutting down/);
});

t.test('the built CLI: every command answers --help; the harness finds its catalog', async (t) => {
  for (const cmd of ['serve', 'mint', 'keys', 'explain', 'harness', 'publish-issuer']) {
    const { code, stdout } = await run([cmd, '--help']);
    t.equal(code, 0, `${cmd} --help`);
    t.match(stdout, new RegExp(`Usage: tti-lab ${cmd}`));
  }
  const list = await run(['harness', 'list', '--catalog']);
  t.equal(list.code, 0, list.stderr);
  t.match(list.stdout, /aud/i, 'the catalog is listed');
});

t.test('the build makes a V8 code cache the built CLI accepts (Node without a compile cache of its own)', { skip: 'enableCompileCache' in (await import('node:module')).default ? 'Node has module.enableCompileCache(), which bin/tti-lab.js uses instead' : false }, async (t) => {
  const script = `const r = require(${JSON.stringify(`${ROOT}bin/load-bundle.cjs`)}).loadBundle(${JSON.stringify(BUNDLE)}); console.log(r.cache, typeof r.exports.main);`;
  const out = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('close', () => resolve(stdout.trim()));
  });
  t.equal(out, 'accepted function', `${BUNDLE}.v8-cache is made for this bundle and this Node, and V8 takes it`);
});
