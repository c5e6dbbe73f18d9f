import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../../server/config/schema.js';
import { loadScenarios, parseScenarios } from '../../harness/scenario/load-scenarios.js';
import { cli } from '../cli/helpers/cli-run.js';

const dir = await mkdtemp(join(tmpdir(), 'tti-scenarios-'));
const write = async (name: string, text: string) => {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
};

const GOOD = `name: good
description: a valid scenario
setup:
  users: [{ name: alice, emails: ["alice-\${ns}@example.com"] }]
  applications:
    - name: web
      grants: { jwt_bearer: [{ trusted_token_issuer: idp, audiences: ["web-\${ns}"] }] }
      assignments: [alice]
steps:
  - id: token
    mint: { user: alice, claims: { aud: "web-\${ns}" } }
  - id: exchange
    create_token_with_iam: { application: web, grant_type: jwt-bearer, assertion: "\${steps.token.token}" }
    expect: success
`;

/** The messages a document's problems produce, one per line. */
function problems(doc: unknown, file = 'x.yaml'): string[] {
  try {
    parseScenarios(doc, file);
  } catch (err) {
    t.type(err, ConfigError);
    return (err as Error).message.split('\n');
  }
  return [];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a YAML document the cases change freely
const base = () => parse(GOOD) as Record<string, any>;

t.test('a valid scenario parses, with the defaults filled in', async (t) => {
  const [sc] = parseScenarios(base(), 'good.yaml');
  t.equal(sc!.file, 'good.yaml');
  t.same(sc!.setup.issuers, [{ name: 'idp', algorithm: 'RS256' }], 'one issuer, idp, by default');
  t.same(sc!.setup.trusted_token_issuers, [{ name: 'idp', issuer: 'idp', claim_attribute_path: 'email', identity_store_attribute_path: 'emails.value' }]);
  t.equal(sc!.setup.users[0]!.user_name, 'alice-${ns}', 'user names are namespaced by default');
  t.equal(sc!.setup.instance, 'existing');
  t.same(sc!.steps.map((s) => [s.id, s.kind]), [['token', 'mint'], ['exchange', 'create_token_with_iam']]);
  t.same(sc!.steps[1]!.expect, { outcome: 'success' });
});

t.test('errors name the file, the scenario and the field', async (t) => {
  const cases: [string, (d: Record<string, any>) => void, RegExp][] = [
    ['a typo in a field', (d) => { d.steps[1].create_token_with_iam.grantType = 'x'; }, /^x\.yaml: scenario "good": steps\[1\]\.create_token_with_iam\.grantType: unknown field \(did you mean "grant_type"\?\)/],
    ['a missing required field', (d) => { delete d.description; }, /^x\.yaml: scenario "good": description: is required/],
    ['a step doing two things', (d) => { d.steps[0].rotate_key = { issuer: 'idp' }; }, /scenario "good": steps\[0\]: has mint and rotate_key; a step does exactly one thing/],
    ['a step doing nothing', (d) => { d.steps.push({ id: 'x' }); }, /scenario "good": steps\[2\]: expected one of mint, create_token_with_iam, assume_role, rotate_key/],
    ['an unknown expectation', (d) => { d.steps[1].expect = 'fine'; }, /scenario "good": steps\[1\]\.expect: expected success, or a mapping with exception/],
    ['an expectation without an exception', (d) => { d.steps[1].expect = { status: 400 }; }, /steps\[1\]\.expect\.exception: is required/],
    ['a bad status', (d) => { d.steps[1].expect = { exception: 'InvalidGrantException', status: 'four hundred' }; }, /steps\[1\]\.expect\.status: expected an HTTP status/],
    ['an unknown application', (d) => { d.steps[1].create_token_with_iam.application = 'api'; }, /steps\[1\]\.create_token_with_iam\.application: no application "api"; declared: web/],
    ['an undeclared user in an assignment', (d) => { d.setup.applications[0].assignments = ['bob']; }, /setup\.applications\[0\]\.assignments\[0\]: no user "bob"/],
    ['an undeclared trusted token issuer', (d) => { d.setup.applications[0].grants.jwt_bearer[0].trusted_token_issuer = 'okta'; }, /setup\.applications\[0\]\.grants\.jwt_bearer\[0\]\.trusted_token_issuer: no trusted token issuer "okta"; declared: idp/],
    ['a reference to a later step', (d) => { d.steps[0].mint.claims.aud = '${steps.exchange.accessToken}'; }, /steps\[0\]\.mint\.claims\.aud: no earlier step "exchange"; earlier steps: none/],
    ['an output a step does not give', (d) => { d.steps[1].create_token_with_iam.assertion = '${steps.token.idToken}'; }, /steps\[1\]\.create_token_with_iam\.assertion: \$\{steps\.token\.idToken\}: a mint step gives steps\.token\.token/],
    ['an unknown reference', (d) => { d.steps[0].mint.claims.aud = '${application.web.arn}'; }, /\$\{application\.web\.arn\}: unknown reference/],
    ['an unknown filter', (d) => { d.steps[0].mint.claims.aud = '${ns|shout}'; }, /steps\[0\]\.mint\.claims\.aud: "\$\{ns\|shout\}": unknown filter "shout"/],
    ['an unclosed expression', (d) => { d.steps[0].mint.claims.aud = 'web-${ns'; }, /an unclosed "\$\{"/],
    ['a step id used twice', (d) => { d.steps[1].id = 'token'; }, /steps\[1\]\.id: "token" is used by an earlier step/],
    ['an expectation on a mint', (d) => { d.steps[0].expect = 'success'; }, /steps\[0\]\.expect: a mint step happens in the harness, not on the target/],
    ['a bad mint variant', (d) => { d.steps[0].mint.variant = 'broken'; }, /steps\[0\]\.mint\.variant: expected one of valid, alg_none/],
    ['application and client_id together', (d) => { d.steps[1].create_token_with_iam.client_id = 'x'; }, /steps\[1\]\.create_token_with_iam: expected application .* or client_id .*, not both/],
    ['an AssumeRole on an undeclared role', (d) => { d.steps.push({ assume_role: { role: 'bearer' } }); }, /steps\[2\]\.assume_role\.role: no role "bearer"; declare it under setup\.roles/],
    ['a bad scenario name', (d) => { d.name = 'Good Scenario'; }, /scenario "Good Scenario": name: expected a scenario name of lowercase letters/],
  ];
  for (const [what, change, expected] of cases) {
    const doc = base();
    change(doc);
    const msgs = problems(doc);
    t.ok(msgs.some((m) => expected.test(m)), `${what}: ${msgs.join(' | ')}`);
  }
});

t.test('every problem of a file is reported at once', async (t) => {
  const doc = base();
  doc.steps[1].create_token_with_iam.application = 'api';
  doc.setup.applications[0].assignments = ['bob'];
  t.equal(problems(doc).length, 2);
});

t.test('a file with several scenarios names each, and its index when the name is missing', async (t) => {
  const msgs = problems({ scenarios: [base(), { description: 'no name', steps: [] }] }, 'many.yaml');
  t.ok(msgs.some((m) => /^many\.yaml: scenario scenarios\[1\]: name: is required/.test(m)), msgs.join(' | '));
  t.ok(msgs.some((m) => /^many\.yaml: scenario scenarios\[1\]: steps: expected a list of steps of at least 1 item/.test(m)), msgs.join(' | '));
});

t.test('files: unreadable, not YAML, names used twice', async (t) => {
  await t.rejects(loadScenarios({ files: [join(dir, 'missing.yaml')] }), /missing\.yaml: cannot read the scenario file: ENOENT/);
  const bad = await write('bad.yaml', 'name: [unclosed');
  await t.rejects(loadScenarios({ files: [bad] }), /bad\.yaml: not valid YAML/);
  const a = await write('a.yaml', GOOD);
  const b = await write('b.yaml', GOOD);
  await t.rejects(loadScenarios({ files: [a, b] }), /b\.yaml: scenario "good": name: already used by a\.yaml/);
});

t.test('tti-lab harness list checks files; a bad one exits 2 with the file, scenario and field', async (t) => {
  const good = await write('good.yaml', GOOD);
  const ok = await cli('harness', 'list', good);
  t.equal(ok.code, 0, ok.err);
  t.match(ok.out, /^good +\S* +2 steps +good\.yaml$/m);
  const broken = await write('broken.yaml', GOOD.replace('application: web', 'application: api'));
  const bad = await cli('harness', 'list', broken);
  t.equal(bad.code, 2);
  t.match(bad.err, /broken\.yaml: scenario "good": steps\[1\]\.create_token_with_iam\.application: no application "api"; declared: web/);
  const catalog = await cli('harness', 'list', '--catalog');
  t.equal(catalog.code, 0, catalog.err);
  t.match(catalog.out, /\d+ scenarios, all valid/);
});

t.test('usage errors', async (t) => {
  const cases: [string[], RegExp][] = [
    [['harness'], /expected an action: run, compare or list/],
    [['harness', 'run'], /give scenario files, or --catalog/],
    [['harness', 'run', '--catalog'], /--target mock or --target aws is required/],
    [['harness', 'run', '--catalog', '--target', 'gcp'], /--target: expected mock or aws, got "gcp"/],
    [['harness', 'run', '--catalog', '--target', 'aws'], /--target aws needs --instance-arn/],
    [['harness', 'run', '--catalog', '--target', 'aws', '--instance-arn', 'arn:aws:sso:::instance/ssoins-1234567890abcdef'], /needs where Identity Center can fetch the issuer: --bucket NAME .* or --issuer-url URL/],
    [['harness', 'run', '--catalog', '--target', 'mock', '--shard', '3/2'], /--shard: expected i\/n with 1 ≤ i ≤ n/],
    [['harness', 'run', '--catalog', '--target', 'mock', '--concurrency', '0'], /--concurrency: expected a whole number from 1 to 64/],
    [['harness', 'compare', '--catalog', '--target', 'mock'], /compare needs --against CASSETTE/],
  ];
  for (const [argv, expected] of cases) {
    const r = await cli(...argv);
    t.equal(r.code, 2, argv.join(' '));
    t.match(r.err, expected);
  }
});
