import t from 'tap';
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
  const out = await harness({ files: [file], targets: ['mock'], endpoint: lab.url });
  const [r] = out.run.results.mock!;
  t.equal(r!.status, 'error');
  t.match(r!.reason, /unknown_issuer|no issuer|okta/);
  t.same(leftovers(lab), [], 'what was made before the error is removed');
});
