import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SSOOIDCClient, CreateTokenWithIAMCommand } from '@aws-sdk/client-sso-oidc';
import { startLab } from '../../server/index.js';
import { cli } from '../cli/helpers/cli-run.js';

/**
 * docs/cookbook.md, docs/aud.md and docs/identity-center-as-issuer.md show code and output; this
 * runs them: the cookbook's lab.yaml, its shell lines, reports.mjs and tap example, and each
 * console example, whose lines (up to each "…") must appear in what the command prints now.
 */
type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];

const repo = fileURLToPath(new URL('../../', import.meta.url));
const doc = (name: string) => readFile(join(repo, 'docs', name), 'utf8');
const block = (text: string, opening: string): string => {
  const start = text.indexOf(opening);
  if (start === -1) throw new Error(`no block opening with ${JSON.stringify(opening)}`);
  const body = text.indexOf('\n', start) + 1;
  return text.slice(body, text.indexOf('\n```', body) + 1);
};

/** Shell words of a simple command line: spaces split, single and double quotes group. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+?)(?=\s|$|')/g)) {
    const piece = m[1] ?? m[2] ?? m[3] ?? '';
    if (m.index! > 0 && !/\s/.test(line[m.index! - 1]!) && out.length) out[out.length - 1] += piece;
    else out.push(piece);
  }
  return out;
}

/** Every line after the command, cut at each "…", is found in the output. */
function expectShown(t: TapTest, example: string, output: string) {
  const lines = example.split('\n').slice(1);
  let checked = 0;
  for (const line of lines) {
    for (const fragment of line.split('…').map((f) => f.trim()).filter(Boolean)) {
      t.ok(output.includes(fragment), `shown: ${fragment.slice(0, 90)}`);
      checked++;
    }
  }
  t.ok(checked > 3, 'the example has lines to check');
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: join(repo, 'test-artifacts', 'docs'), env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const kill = setTimeout(() => child.kill(), 120_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, out, err });
    });
  });
}

const cookbook = await doc('cookbook.md');
const dir = await mkdtemp(join(tmpdir(), 'tti-docs-'));
const labYaml = join(dir, 'lab.yaml');
await writeFile(labYaml, block(cookbook, '```yaml\n# lab.yaml'));
const lab = await startLab({ config: labYaml, port: 0 });
t.teardown(() => lab.close());
const work = join(repo, 'test-artifacts', 'docs');
await mkdir(work, { recursive: true });

const shell = block(cookbook, '```sh\nnpx tti-lab serve');
const mintLine = shell.split('\n').find((l) => l.startsWith('export ID_TOKEN=$(npx tti-lab mint'))!;
const mintArgs = words(mintLine.slice('export ID_TOKEN=$(npx tti-lab '.length, -1));

t.test('cookbook: the lab.yaml starts, the mint line mints, reports.mjs gets an identity-enhanced session', async (t) => {
  t.match(shell, 'npx tti-lab serve --config lab.yaml');
  t.match(shell, 'export AWS_ENDPOINT_URL=http://127.0.0.1:4750 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1');
  const minted = await cli(...mintArgs, '--endpoint', lab.url);
  t.equal(minted.code, 0, minted.err);
  await writeFile(join(work, 'reports.mjs'), block(cookbook, '```js\n// reports.mjs'));
  const res = await run(['reports.mjs'], { AWS_ENDPOINT_URL: lab.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', ID_TOKEN: minted.out });
  t.equal(res.code, 0, res.err);
  t.match(res.out, /^identity-enhanced session ASIA[A-Z0-9]+ for scopes .*s3:access_grants:read_write/);
});

t.test('cookbook: the tap example passes', async (t) => {
  const source = block(cookbook, '```ts\nimport t from \'tap\';')
    .replace("from 'tti-lab'", "from '../../server/index.js'")
    .replace("config: 'lab.yaml'", `config: ${JSON.stringify(labYaml)}`);
  await writeFile(join(work, 'cookbook-tap.mts'), source);
  const res = await run(['--import', 'tsx', 'cookbook-tap.mts'], {});
  t.equal(res.code, 0, res.out + res.err);
  t.match(res.out, /^ok 1 - the ID token is exchanged/m);
  t.match(res.out, /^ok 2 - an access token is refused at the aud check/m);
  t.notMatch(res.out, /^not ok/m);
});

t.test('aud.md: the explain example is what explain prints', async (t) => {
  const example = block(await doc('aud.md'), '```console\n$ tti-lab explain "$(tti-lab mint');
  const command = example.split('\n')[0]!;
  const inner = command.slice(command.indexOf('$(') + 2, command.lastIndexOf(')'));
  const minted = await cli(...words(inner).slice(1), '--endpoint', lab.url);
  t.equal(minted.code, 0, minted.err);
  const explained = await cli('explain', minted.out, '--endpoint', lab.url);
  t.equal(explained.code, 1);
  expectShown(t, example, explained.out);
});

t.test('identity-center-as-issuer.md: an idToken presented back, as explain shows it', async (t) => {
  const example = block(await doc('identity-center-as-issuer.md'), '```console\n$ tti-lab explain "$IDENTITY_CENTER_ID_TOKEN"');
  const reports = Object.values(lab.services.identityCenter.state.read.applications).find((a) => a.Name === 'reports')!;
  const oidc = new SSOOIDCClient({ endpoint: lab.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const { token } = await lab.mint('okta', { user: '00u1alice', claims: { aud: '0oa1b2c3d4e5f6g7h8i9' } });
  const { idToken } = await oidc.send(new CreateTokenWithIAMCommand({ clientId: reports.ApplicationArn, grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: token }));
  const explained = await cli('explain', idToken!, '--application', reports.ApplicationArn, '--endpoint', lab.url);
  t.equal(explained.code, 1);
  expectShown(t, example, explained.out);
  const whole = await cli('explain', idToken!, '--endpoint', lab.url);
  t.match(whole.out, /No application was checked\n  iss https:\/\/identitycenter\.amazonaws\.com\/ssoins-\w+ is Identity Center itself/);
});
