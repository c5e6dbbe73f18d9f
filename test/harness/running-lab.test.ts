import t from 'tap';
import { fileURLToPath } from 'node:url';
import { harness } from '../../harness/harness.js';
import { startLab } from '../../server/index.js';
import { tipTrustPolicy } from '../../harness/targets/mock-target.js';
import { ACCOUNT, ROLE_ARN, leftovers } from './helpers/fake-aws.js';

// --target mock --endpoint URL: a lab already running (tti-lab serve), reached like any AWS
// endpoint; its issuers by name, minted and rotated through its own routes.
t.setTimeout(300_000);

const lab = await startLab({ inMemory: true, config: { issuers: [{ name: 'idp' }], aws: { roles: [{ arn: ROLE_ARN, trust_policy: tipTrustPolicy(ACCOUNT) }] } } });
t.teardown(() => lab.close());

t.test('scenarios run one at a time on a running lab, rotation included, and leave nothing behind', async (t) => {
  const out = await harness({ catalog: true, filter: ['aud-string', 'aud-none-matching', 'sig-rotated-key', 'instance-organization'], targets: ['mock'], endpoint: lab.url, roleArn: ROLE_ARN, concurrency: 4 });
  const results = out.run.results.mock!;
  t.same(results.map((r) => `${r.scenario}:${r.status}`), ['aud-none-matching:passed', 'aud-string:passed', 'instance-organization:passed', 'sig-rotated-key:passed']);
  t.equal(results.find((r) => r.scenario === 'aud-none-matching')!.steps.find((s) => s.id === 'exchange')!.diagnosis?.failureKey, 'aud.mismatch', 'the failure key comes from the lab\'s exchange log');
  t.equal((await lab.issuer('idp').keys()).length, 2, 'the rotation happened on the running lab');
  t.ok(out.summary.ok);
  t.same(leftovers(lab), []);
});

t.test('a scenario issuer the running lab does not have is an error naming it', async (t) => {
  const { writeFile, mkdtemp } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(await mkdtemp(join(tmpdir(), 'tti-running-')), 'other-issuer.yaml');
  await writeFile(file, `name: other-issuer
description: signs with an issuer the running lab does not declare
setup:
  issuers: [{ name: okta }]
  trusted_token_issuers: [{ name: okta, issuer: okta }]
  users: [{ name: alice, emails: ["alice-\${ns}@example.com"] }]
  applications:
    - name: web
      grants: { jwt_bearer: [{ trusted_token_issuer: okta, audiences: ["web"] }] }
      assignments: [alice]
steps:
  - { id: token, mint: { issuer: okta, user: alice, claims: { aud: web } } }
  - { id: exchange, create_token_with_iam: { application: web, grant_type: jwt-bearer, assertion: "\${steps.token.token}" }, expect: success }
`);
  await t.rejects(harness({ files: [file], targets: ['mock'], endpoint: lab.url }), {
    name: 'HarnessError',
    message: `the lab at ${lab.url} has no issuer named "okta", which the scenarios sign with: run the harness against a lab started with its config (npx tti-lab serve --config examples/harness-lab.yaml --port 4751 --in-memory, then --endpoint http://127.0.0.1:4751), or declare issuers with those names in yours (docs/harness.md, Targets)`,
  }, 'said before any scenario starts');
  t.same(leftovers(lab), [], 'nothing was made');
});

t.test('the README\'s lab has no idp: the harness says which config to start; examples/harness-lab.yaml runs the catalog, AssumeRole included', async (t) => {
  const readmeLab = await startLab({ inMemory: true, config: fileURLToPath(new URL('../../examples/lab.yaml', import.meta.url)) });
  t.teardown(() => readmeLab.close());
  await t.rejects(harness({ catalog: true, filter: ['aud-string'], targets: ['mock'], endpoint: readmeLab.url }), { message: /has no issuer named "idp".*examples\/harness-lab\.yaml/ });

  const harnessLab = await startLab({ inMemory: true, config: fileURLToPath(new URL('../../examples/harness-lab.yaml', import.meta.url)) });
  t.teardown(() => harnessLab.close());
  const out = await harness({ catalog: true, filter: ['aud-string', 'instance-organization'], targets: ['mock'], endpoint: harnessLab.url, roleArn: 'arn:aws:iam::000000000000:role/TipBearer' });
  t.same(out.run.results.mock!.map((r) => `${r.scenario}:${r.status}`), ['aud-string:passed', 'instance-organization:passed']);
  t.same(leftovers(harnessLab), []);
});
