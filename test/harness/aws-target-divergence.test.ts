import t from 'tap';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { harness } from '../../harness/harness.js';
import { mergeProfile } from '../../server/identity-center/profile/behaviour-profile.js';
import { cli } from '../cli/helpers/cli-run.js';
import { BUCKET, CREDENTIALS, ROLE_ARN, S3_CREDENTIALS, leftovers, startFakeAws, startS3 } from './helpers/fake-aws.js';

// The "aws" target's plumbing, tested against a second lab posing as AWS (endpoint override) whose
// behaviour profile differs from the emulator's in two known ways. The harness must find exactly
// those differences — and nothing else — in the same calls sent to both.
t.setTimeout(900_000);

const PROFILE = `name: fake-aws
failures:
  aud.mismatch:
    exception: AccessDeniedException
    status: 400
    error: access_denied
settings:
  attribute_match_case_sensitive:
    value: false
`;
const FILTER = ['aud-', 'user-', 'iss-', 'replay', 'instance-organization', 'sig-rotated-key', 'refresh-rotation'];

const s3 = await startS3();
t.teardown(() => s3.close());
const fake = await startFakeAws({ profile: PROFILE });
t.teardown(() => fake.lab.close());
const dir = await mkdtemp(join(tmpdir(), 'tti-harness-'));
const common = {
  catalog: true,
  filter: FILTER,
  awsEndpoint: fake.lab.url,
  credentials: CREDENTIALS,
  instanceArn: fake.instanceArn,
  roleArn: ROLE_ARN,
  bucket: BUCKET,
  s3Endpoint: s3.url,
  s3Credentials: S3_CREDENTIALS,
  region: 'us-east-1',
};
const out = await harness({ ...common, targets: ['mock', 'aws'], report: join(dir, 'report'), record: join(dir, 'aws.json'), suggestProfile: join(dir, 'suggested.yaml') });
const mock = out.run.results.mock!;
const aws = out.run.results.aws!;

t.test('both targets ran every scenario, and the aws target really went through the fake', async (t) => {
  t.ok(mock.length >= 15, `${mock.length} scenarios`);
  t.equal(aws.length, mock.length);
  for (const r of [...mock, ...aws]) t.not(r.status, 'error', `${r.target} ${r.scenario}: ${r.reason ?? ''}`);
  t.ok(fake.lab.exchanges().length >= mock.length, 'the fake saw the exchanges');
});

t.test('the divergences are exactly the two differences of the profile', async (t) => {
  const expected = new Set<string>();
  for (const r of mock) for (const s of r.steps) if (s.diagnosis?.failureKey === 'aud.mismatch') expected.add(`${r.scenario}/${s.id}`);
  t.ok(expected.size >= 5, `aud.mismatch is raised in ${expected.size} steps`);
  expected.add('user-case-difference/exchange');
  const found = new Set(out.comparison!.scenarios.flatMap((sc) => sc.rows.filter((r) => r.differences.length).map((r) => `${sc.scenario}/${r.step}`)));
  t.same([...found].sort(), [...expected].sort());
  const audRow = out.comparison!.scenarios.find((s) => s.scenario === 'aud-none-matching')!.rows.find((r) => r.step === 'exchange')!;
  t.same(audRow.differences, [
    { field: 'error', left: 'invalid_grant', right: 'access_denied' },
    { field: 'exception', left: 'InvalidGrantException', right: 'AccessDeniedException' },
  ], 'exception and error differ; the status (400) does not');
  const caseRow = out.comparison!.scenarios.find((s) => s.scenario === 'user-case-difference')!.rows.find((r) => r.step === 'exchange')!;
  t.same(caseRow.differences.map((d) => d.field), ['outcome'], 'refused by one, accepted by the other');
  t.equal(out.comparison!.scenarios.filter((s) => s.verdict === 'incomparable').length, 0);
  t.notOk(out.summary.ok, 'a divergence fails the run');
  t.equal(out.summary.divergentScenarios, expected.size);
});

t.test('both targets received the same calls, apart from what each assigns', async (t) => {
  for (const r of mock) {
    const other = aws.find((a) => a.scenario === r.scenario)!;
    t.same(other.calls, r.calls, `${r.scenario}: same SDK inputs`);
    t.ok(r.calls.length > 3);
  }
  const sample = JSON.stringify(mock[0]!.calls);
  t.notMatch(sample, /arn:aws:sso::\d{12}:application\//, 'application ARNs are symbolised');
  t.match(sample, /\$\{app\.\w+\.arn\}/);
});

t.test('everything the harness made is gone: on the fake, and in the bucket', async (t) => {
  t.same(leftovers(fake.lab), []);
  for (const r of [...mock, ...aws]) t.same(r.cleanup.failed, [], `${r.target} ${r.scenario}`);
  const harnessObjects = await readdir(join(s3.dir, BUCKET), { recursive: true }).catch(() => [] as string[]);
  t.same(harnessObjects.filter((f) => /jwks|openid-configuration/.test(String(f))), [], 'published issuer documents were removed');
});

t.test('the suggested profile change, with provenance observed, merges over the default', async (t) => {
  const text = await readFile(join(dir, 'suggested.yaml'), 'utf8');
  t.match(text, /user-case-difference\/exchange: aws accepted what mock refused \(user\.not_found\)/);
  const doc = parse(text) as { failures: Record<string, { exception: string; status: number; error: string; provenance: string; source: string }> };
  t.same(Object.keys(doc.failures), ['aud.mismatch']);
  t.match(doc.failures['aud.mismatch'], { exception: 'AccessDeniedException', status: 400, error: 'access_denied', provenance: 'observed' });
  t.match(doc.failures['aud.mismatch']!.source, /aud-none-matching\/exchange/);
  t.match(doc.failures['aud.mismatch']!.source, /was InvalidGrantException 400 invalid_grant, observed/);
  const merged = mergeProfile(doc, 'suggested.yaml');
  t.equal(merged.failures['aud.mismatch']!.exception, 'AccessDeniedException');
  t.equal(merged.failures['aud.mismatch']!.provenance, 'observed');
});

t.test('reports: JSON, Markdown, JUnit XML', async (t) => {
  const files = (await readdir(join(dir, 'report'))).sort();
  t.same(files, ['junit.xml', 'profile-suggestion.yaml', 'report.json', 'report.md']);
  const json = JSON.parse(await readFile(join(dir, 'report', 'report.json'), 'utf8')) as { format: string; summary: { divergentScenarios: number }; comparison: { divergences: number }; run: { results: Record<string, unknown[]> } };
  t.equal(json.format, 'tti-lab-harness-report/1');
  t.equal(json.summary.divergentScenarios, out.summary.divergentScenarios);
  t.equal(json.comparison.divergences, out.comparison!.divergences);
  t.same(Object.keys(json.run.results), ['mock', 'aws']);
  const md = await readFile(join(dir, 'report', 'report.md'), 'utf8');
  t.match(md, /^# tti-lab harness — run \w+/);
  t.match(md, /\| \*\*≠\*\* \| aud-none-matching \| exchange \| \*\*InvalidGrantException 400 invalid_grant\*\* \| \*\*AccessDeniedException 400 access_denied\*\* \|/);
  t.match(md, /## Divergences/);
  t.match(md, /`exception`: "InvalidGrantException" ≠ "AccessDeniedException"/);
  const xml = await readFile(join(dir, 'report', 'junit.xml'), 'utf8');
  t.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="tti-lab harness \w+">/);
  const suites = [...xml.matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/g)].map((m) => ({ name: m[1], tests: Number(m[2]), failures: Number(m[3]) }));
  t.same(suites.map((s) => s.name), ['tti-lab harness: mock', 'tti-lab harness: aws', 'tti-lab harness: mock vs aws']);
  t.equal(suites[0]!.failures, 0, 'mock meets every expectation');
  t.equal(suites[1]!.failures, out.summary.perTarget.aws!.failed, 'aws misses some (the fake answers differently)');
  t.equal(suites[2]!.failures, out.summary.divergentScenarios);
  t.equal((xml.match(/<testcase /g) ?? []).length, suites.reduce((n, s) => n + s.tests, 0), 'one testcase per test');
  t.match(xml, /<testcase classname="harness\.compare" name="aud-none-matching"><failure message="mock and aws differ">exchange\.error: &quot;invalid_grant&quot; ≠ &quot;access_denied&quot;/);
  t.notMatch(xml, /<(?!\/?(testsuites|testsuite|testcase|failure|error|skipped)\b)[a-z]/, 'only JUnit elements');
});

t.test('the cassette keeps the aws outcomes, with nothing secret in it', async (t) => {
  const text = await readFile(join(dir, 'aws.json'), 'utf8');
  const cassette = JSON.parse(text) as { format: string; target: { name: string }; scenarios: { scenario: string; steps: unknown[] }[] };
  t.equal(cassette.format, 'tti-lab-harness-cassette/1');
  t.equal(cassette.target.name, 'aws');
  t.equal(cassette.scenarios.length, aws.length);
  t.notMatch(text, /eyJ[\w-]+\.[\w-]+/, 'no JWT');
  t.notMatch(text, /\b\d{12}\b/, 'no account id');
  t.notMatch(text, /\b(AKIA|ASIA)[A-Z0-9]{12,}/, 'no access key');
  t.notMatch(text, /\bao[ar][\w-]{16,}/, 'no access or refresh token');
  t.notMatch(text, /arn:aws:sso::/, 'no ARN of the account');
  t.notMatch(text, /127\.0\.0\.1/, 'no issuer URL');
  t.match(text, /\$\{app\.web\.arn\}|\$\{tti\.idp\.arn\}|\$\{user\.alice\.id\}/, 'references instead');
});

t.test('compare --against the cassette, offline: the same divergences, exit status 1', async (t) => {
  const r = await cli('harness', 'compare', '--catalog', '--target', 'mock', ...FILTER.flatMap((f) => ['--filter', f]), '--against', join(dir, 'aws.json'), '--concurrency', '4');
  t.equal(r.code, 1, r.err);
  t.match(r.out, /scenario \/ step +mock +aws \(cassette\)/);
  t.match(r.out, /≠ aud-none-matching/);
  t.match(r.out, /exception: "InvalidGrantException" ≠ "AccessDeniedException"/);
  t.match(r.out, /= aud-string/);
  t.match(r.out, new RegExp(`${out.summary.divergentScenarios} scenarios diverge`));
});
