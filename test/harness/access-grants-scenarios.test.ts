import t from 'tap';
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../../server/config/schema.js';
import { harness } from '../../harness/harness.js';
import { loadScenarios, parseScenarios } from '../../harness/scenario/load-scenarios.js';
import { scenarioSetupPlan } from '../../harness/scenario/scenario-setup-plan.js';
import { runHarness } from '../../harness/run/run-harness.js';
import { MockTarget } from '../../harness/targets/mock-target.js';
import type { Target } from '../../harness/targets/target.js';
import { BUCKET, CREDENTIALS, ROLE_ARN, S3_CREDENTIALS, startFakeAws, startS3 } from './helpers/fake-aws.js';

// S3 Access Grants in the harness: setup.access_grants (the config's plan steps, with undo), the
// get_data_access step with an earlier AssumeRole step's session, on the mock, a lab posing as AWS,
// and --dry-run; the two catalog scenarios compared across targets.
t.setTimeout(600_000);

const FILTER = ['s3-access-grants'];
const catalog = (await loadScenarios({ catalog: true })).filter((s) => s.name.startsWith('s3-access-grants'));

t.test('the catalog scenarios: the workshop flow and a refusal', async (t) => {
  t.same(catalog.map((s) => s.name).sort(), ['s3-access-grants-get-data-access', 's3-access-grants-no-matching-grant']);
  const flow = catalog.find((s) => s.name === 's3-access-grants-get-data-access')!;
  t.same(flow.steps.map((s) => s.kind), ['mint', 'create_token_with_iam', 'assume_role', 'get_data_access']);
  const refusal = catalog.find((s) => s.name === 's3-access-grants-no-matching-grant')!;
  const gda = refusal.steps.filter((s) => s.kind === 'get_data_access');
  t.same(gda.map((s) => s.kind === 'get_data_access' && s.get_data_access.session), ['assume', 'assume'], 'session defaults to the latest assume_role step');
});

t.test('setup.access_grants compiles to the S3 Control plan steps, each with its undo', async (t) => {
  const sc = catalog.find((s) => s.name === 's3-access-grants-get-data-access')!;
  const values = new Map([['ns', 'r1-abcd'], ['account', '111122223333'], ['instance.arn', 'arn:aws:sso:::instance/ssoins-1'], ['instance.identity_store_id', 'd-1'], ['issuer.idp.url', 'https://idp'], ['role.bearer.arn', 'arn:aws:iam::111122223333:role/B']]);
  const steps = scenarioSetupPlan(sc, values).filter((s) => s.service === 's3-control');
  t.same(steps.map((s) => [s.operation, s.undo?.operation]), [
    ['CreateAccessGrantsInstance', 'DeleteAccessGrantsInstance'],
    ['CreateAccessGrantsLocation', 'DeleteAccessGrantsLocation'],
    ['CreateAccessGrant', 'DeleteAccessGrant'],
  ]);
  t.same(steps[1]!.input, { AccountId: { $ref: 'account' }, LocationScope: 's3://', IAMRoleArn: 'arn:aws:iam::111122223333:role/B' });
  t.same(steps[2]!.input, {
    AccountId: { $ref: 'account' },
    AccessGrantsLocationId: { $ref: 'access_grants.location.default.id' },
    Grantee: { GranteeType: 'DIRECTORY_USER', GranteeIdentifier: { $ref: 'user.alice.id' } },
    Permission: 'READ',
    AccessGrantsLocationConfiguration: { S3SubPrefix: 'tti-harness-r1-abcd/alice/*' },
  });
});

const GOOD = parse(await readFile(new URL('../../harness/catalog/s3-access-grants-get-data-access.yaml', import.meta.url), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const problems = (change: (doc: Record<string, any>) => void): string[] => { // eslint-disable-line @typescript-eslint/no-explicit-any
  const doc = structuredClone(GOOD);
  change(doc);
  try {
    parseScenarios(doc, 'x.yaml');
  } catch (err) {
    t.type(err, ConfigError);
    return (err as Error).message.split('\n');
  }
  return [];
};

t.test('bad get_data_access steps and access_grants setups name the field', async (t) => {
  t.same(problems(() => undefined), []);
  t.match(problems((d) => { d.steps[3].get_data_access.session = 'exchange'; }), [/steps\[3\]\.get_data_access\.session: no earlier assume_role step "exchange"; earlier ones: assume/]);
  t.match(problems((d) => { d.steps.splice(2, 1); }), [/steps\[2\]\.get_data_access\.session: no earlier assume_role step "assume"; earlier ones: none/]);
  t.match(problems((d) => { d.steps.splice(2, 1); delete d.steps[2].get_data_access.session; }), [/steps\[2\]\.get_data_access: no earlier assume_role step: GetDataAccess is called with the credentials of one/]);
  t.match(problems((d) => { d.steps[3].get_data_access.permission = 'ALL'; }), [/steps\[3\]\.get_data_access\.permission/]);
  t.match(problems((d) => { d.setup.access_grants.locations[0].role = 'nobody'; }), [/setup\.access_grants\.locations\[0\]\.role: no role "nobody"; declare it under setup\.roles/]);
  t.match(problems((d) => { d.setup.access_grants.grants[0].grantee = 'group:staff'; }), [/setup\.access_grants\.grants\[0\]\.grantee: no group "staff"/]);
  t.match(problems((d) => { d.setup.access_grants.grants[0].location = 'bucket'; }), [/setup\.access_grants\.grants\[0\]\.location: no location "bucket"; declared: default/]);
  t.match(problems((d) => { d.steps[2].expect = { matched_grant_target: 's3://x/*' }; }), [/steps\[2\]\.expect\.matched_grant_target: only a get_data_access step matches a grant/]);
});

t.test('the matched grant target is checked: a wrong expectation fails the scenario', async (t) => {
  const doc = structuredClone(GOOD);
  doc.steps[3].expect = { matched_grant_target: 's3://tti-harness-${ns}/*' };
  const [sc] = parseScenarios(doc, 'x.yaml');
  const run = await runHarness({ scenarios: [sc!], targets: [new MockTarget()] });
  const r = run.results.mock![0]!;
  t.equal(r.status, 'failed');
  t.match(r.steps.at(-1), { id: 'access', met: false, outcome: { outcome: 'success', matchedGrantTarget: 's3://tti-harness-${ns}/alice/*' } });
  t.same(r.cleanup.failed, []);
});

t.test('an access grant already gone at cleanup counts as removed', async (t) => {
  const sc = catalog.find((s) => s.name === 's3-access-grants-get-data-access')!;
  const mock = new MockTarget();
  // Each delete is sent twice: the second meets NoSuchAccessGrantError, NoSuchAccessGrantsLocationError, AccessGrantsInstanceNotExistsError.
  const target: Target = {
    name: mock.name, kind: mock.kind, concurrent: true, description: mock.description,
    unsupported: (x) => mock.unsupported(x),
    prepare: (scenarios, runId) => mock.prepare(scenarios, runId),
    close: () => mock.close(),
    open: async (x, ns, signal) => {
      const session = await mock.open(x, ns);
      void signal;
      return { ...session, send: async (service, operation, input) => {
        if (/^DeleteAccessGrant/.test(operation)) await session.send(service, operation, input);
        return session.send(service, operation, input);
      } };
    },
  };
  const run = await runHarness({ scenarios: [sc], targets: [target] });
  const r = run.results.mock![0]!;
  t.equal(r.status, 'passed');
  t.same(r.cleanup, { deleted: 7, failed: [] });
});

t.test('mock and a lab posing as AWS: both pass, the same calls, the same normalised outcomes', async (t) => {
  const s3 = await startS3();
  t.teardown(() => s3.close());
  const fake = await startFakeAws();
  t.teardown(() => fake.lab.close());
  const dir = await mkdtemp(join(tmpdir(), 'tti-harness-ag-'));
  const out = await harness({
    catalog: true, filter: FILTER, targets: ['mock', 'aws'], awsEndpoint: fake.lab.url, credentials: CREDENTIALS, instanceArn: fake.instanceArn,
    roleArn: ROLE_ARN, bucket: BUCKET, s3Endpoint: s3.url, s3Credentials: S3_CREDENTIALS, region: 'us-east-1', record: join(dir, 'aws.json'),
  });
  const mock = out.run.results.mock!;
  const aws = out.run.results.aws!;
  for (const r of [...mock, ...aws]) {
    t.equal(r.status, 'passed', `${r.target} ${r.scenario}: ${r.reason ?? ''} ${JSON.stringify(r.steps.filter((s) => s.met === false))}`);
    t.same(r.cleanup.failed, [], `${r.target} ${r.scenario}: cleaned up`);
  }
  t.same(out.comparison!.scenarios.map((s) => [s.scenario, s.verdict]).sort(), [['s3-access-grants-get-data-access', 'same'], ['s3-access-grants-no-matching-grant', 'same']]);
  for (const r of mock) t.same(aws.find((a) => a.scenario === r.scenario)!.calls, r.calls, `${r.scenario}: same SDK inputs`);
  const flow = mock.find((r) => r.scenario === 's3-access-grants-get-data-access')!;
  t.same(flow.steps.at(-1)!.outcome, {
    outcome: 'success',
    credentials: { accessKeyId: 'present', secretAccessKey: 'present', sessionToken: 'present', expiration: 'present' },
    matchedGrantTarget: 's3://tti-harness-${ns}/alice/*',
    grantee: { type: 'DIRECTORY_USER', identifier: '${user.alice.id}' },
  }, 'vended credentials and expiry compared by presence only');
  const gda = flow.calls.find((c) => c.operation === 'GetDataAccess')!;
  t.same(gda, { phase: 'step', service: 's3-control', operation: 'GetDataAccess', input: { AccountId: '${account}', Target: 's3://tti-harness-${ns}/alice/report.csv', Permission: 'READ' }, session: 'assume' });
  t.same(flow.calls.filter((c) => c.phase === 'cleanup').map((c) => c.operation).slice(0, 3), ['DeleteAccessGrant', 'DeleteAccessGrantsLocation', 'DeleteAccessGrantsInstance'], 'access grants removed first, in reverse');
  t.same(fake.lab.services.identityCenter.state.read.accessGrants?.['000000000000'], undefined, 'no access grants instance left on the fake');
  const cassette = await readFile(join(dir, 'aws.json'), 'utf8');
  t.notMatch(cassette, /\b(AKIA|ASIA)[A-Z0-9]{12,}/, 'no vended access key in the cassette');
  t.match(cassette, /"matchedGrantTarget": ?"s3:\/\/tti-harness-\$\{ns\}\/alice\/\*"/);
});

t.test('--dry-run lists GetDataAccess, signed with the assume step\'s session', async (t) => {
  const out = await harness({ catalog: true, filter: ['s3-access-grants-get-data-access'], targets: ['mock'], dryRun: true });
  const calls = out.run.results.mock![0]!.calls;
  t.same(calls.filter((c) => c.service === 's3-control').map((c) => `${c.phase} ${c.operation}`), [
    'setup CreateAccessGrantsInstance', 'setup CreateAccessGrantsLocation', 'setup CreateAccessGrant', 'step GetDataAccess',
    'cleanup DeleteAccessGrant', 'cleanup DeleteAccessGrantsLocation', 'cleanup DeleteAccessGrantsInstance',
  ]);
  t.match(out.text, /step +s3-control GetDataAccess \{"AccountId":"\$\{account\}","Target":"s3:\/\/tti-harness-\$\{ns\}\/alice\/report.csv","Permission":"READ"\} \(signed with step assume's session\)/);
});
