import t from 'tap';
import { parse } from 'yaml';
import { fixedClock } from '../../shared/clock.js';
import { startLab, type Lab } from '../../server/lab/start-lab.js';
import { Context } from '../../server/config/schema.js';
import { identityCenterSetupCheck } from '../../server/identity-center/setup/setup-config.js';
import { configSetupPlan } from '../../server/identity-center/setup/config-setup-plan.js';
import { runSetupPlan } from '../../server/identity-center/setup/run-setup-plan.js';
import { inProcessSender } from '../../server/identity-center/setup/apply-setup.js';
import type { SetupPlan } from '../../server/identity-center/setup/setup-plan.js';
import { sdkSender } from '../../server/sdk/sdk-sender.js';
import { parseScenarios } from '../../harness/scenario/load-scenarios.js';
import { scenarioSetupPlan } from '../../harness/scenario/scenario-setup-plan.js';

/**
 * The config's `identity_center:` and a scenario's `setup:` are two spellings of one setup plan,
 * and the plan's one executor makes the same state whether its calls go to the lab's operations
 * in-process or through the AWS SDK.
 */

const ISSUER_URL = 'http://127.0.0.1:4750/issuers/idp';
const ACCOUNT = '000000000000';
const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sso-oauth:CreateTokenWithIAM', Resource: '*' }] };

// The scenario namespaces what it names in a shared account (`<name>-${ns}`); the config names them so.
const CONFIG_INSTANCE = parse(`
name: tti-lab
users:
  - { user_name: alice, given_name: alice, family_name: Harness, emails: [alice@example.com] }
  - { user_name: bob, given_name: bob, family_name: Harness, emails: [bob@example.com], display_name: Bob }
groups:
  - { display_name: staff, members: [alice, bob] }
trusted_token_issuers:
  - { name: idp-n1, issuer: idp, claim_attribute_path: email, identity_store_attribute_path: emails.value }
applications:
  - name: web-n1
    assignment_required: false
    grants:
      jwt_bearer: [{ trusted_token_issuer: idp-n1, audiences: [aud-n1, other] }]
      refresh_token: true
      token_exchange: true
      authorization_code: { redirect_uris: ["http://localhost:3000/cb"] }
    actor_policy: ${JSON.stringify(POLICY)}
    scopes: [openid, s3:access_grants:read_write]
    assignments: [alice, "group:staff"]
`) as unknown;

const SCENARIO = `
name: same-setup
description: the setup the config above declares
setup:
  users:
    - { name: alice, user_name: alice, emails: [alice@example.com] }
    - { name: bob, user_name: bob, display_name: Bob, emails: [bob@example.com] }
  groups:
    - { name: staff, display_name: staff, members: [alice, bob] }
  trusted_token_issuers:
    - { name: idp, issuer: idp }
  applications:
    - name: web
      assignment_required: false
      grants:
        jwt_bearer: [{ trusted_token_issuer: idp, audiences: ["aud-\${ns}", other] }]
        refresh_token: true
        token_exchange: true
        authorization_code: { redirect_uris: ["http://localhost:3000/cb"] }
      scopes: [openid, "s3:access_grants:read_write"]
      assignments: [alice, "group:staff"]
steps:
  - mint: { user: alice }
`;

function configInstance() {
  const ctx = new Context();
  const setup = identityCenterSetupCheck({ instances: [CONFIG_INSTANCE] }, 'identity_center', ctx);
  if (ctx.issues.length || !setup) throw new Error(JSON.stringify(ctx.issues));
  return setup.instances![0]!;
}

const configPlan = (issuerUrl = ISSUER_URL) => configSetupPlan(configInstance(), 'identity_center.instances[0]', { issuers: new Map([['idp', issuerUrl]]), existingTrustedTokenIssuers: [] });

function scenarioPlan(text = SCENARIO): SetupPlan {
  const [sc] = parseScenarios(parse(text), 'same-setup.yaml');
  return scenarioSetupPlan(sc!, new Map([['ns', 'n1'], ['account', ACCOUNT], ['issuer.idp.url', ISSUER_URL], ['instance.arn', 'arn:aws:sso:::instance/ssoins-1'], ['instance.identity_store_id', 'd-1']]));
}

/** A plan with its references renamed in the order steps bind them (each format names them its own way) and without where each step was declared. */
function canonical(plan: SetupPlan): unknown {
  const names = new Map<string, string>([['instance.arn', '#instance'], ['instance.identity_store_id', '#store']]);
  for (const step of plan) for (const r of Object.keys(step.bind ?? {})) if (!names.has(r)) names.set(r, `#${names.size - 1}`);
  const rename = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rename);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === '$ref' ? names.get(x as string) ?? `unbound ${String(x)}` : rename(x)]));
    return v;
  };
  return plan.map(({ at: _at, ...step }) => rename({ ...step, bind: step.bind && Object.fromEntries(Object.entries(step.bind).map(([r, m]) => [names.get(r), m])), configures: step.configures && names.get(step.configures) }));
}

t.test('the config and a scenario declaring the same setup compile to the same plan', async (t) => {
  const fromConfig = configPlan();
  const fromScenario = scenarioPlan();
  t.same(fromConfig.map((s) => s.operation), [
    'CreateUser', 'CreateUser', 'CreateGroup', 'CreateGroupMembership', 'CreateGroupMembership', 'CreateTrustedTokenIssuer',
    'CreateApplication', 'PutApplicationGrant', 'PutApplicationGrant', 'PutApplicationGrant', 'PutApplicationGrant', 'PutApplicationAuthenticationMethod',
    'PutApplicationAccessScope', 'PutApplicationAccessScope', 'PutApplicationAssignmentConfiguration', 'CreateApplicationAssignment', 'CreateApplicationAssignment',
  ]);
  t.strictSame(canonical(fromScenario), canonical(fromConfig));
  t.equal(fromConfig[5]!.at, 'identity_center.instances[0].trusted_token_issuers[0]', 'each step names the config field it comes from');
  t.equal(fromScenario[5]!.at, 'setup.trusted_token_issuers[0]', '… or the scenario field');
  t.notSame(canonical(scenarioPlan(SCENARIO.replace('"aud-${ns}"', '"aud-${ns}-x"'))), canonical(fromConfig), 'an audience apart makes another plan');
  t.notSame(canonical(configPlan(`${ISSUER_URL}/`)), canonical(fromConfig), 'so does another IssuerUrl');
});

t.test('a scenario template naming what the plan makes is resolved when the step runs', async (t) => {
  const plan = scenarioPlan(SCENARIO.replace('{ name: staff, display_name: staff,', '{ name: staff, display_name: "staff-${user.alice.id|upper}",'));
  t.same(plan[2]!.input.DisplayName, { $join: ['staff-', { $ref: 'user.alice.id', filters: ['upper'] }] });
  const made: string[] = [];
  await runSetupPlan(plan.slice(0, 3), {
    bindings: new Map([['instance.identity_store_id', 'd-1']]),
    send: async (step, input) => {
      made.push(`${step.operation} ${JSON.stringify(input.UserName ?? input.DisplayName)}`);
      return step.operation === 'CreateUser' ? { UserId: `u-${String(input.UserName)}` } : { GroupId: 'g-1' };
    },
  });
  t.same(made, ['CreateUser "alice"', 'CreateUser "bob"', 'CreateGroup "staff-U-ALICE"']);
});

/** The Identity Center state, with what each lab assigned (ids, ARNs, an application's OAuth client id) named by the plan's references, and without the idempotency tokens the SDK adds. */
function stateOf(lab: Lab, bound: Map<string, string>): unknown {
  const { clientTokens: _tokens, ...state } = lab.services.identityCenter.state.read;
  const bindings = new Map(bound);
  for (const [ref, arn] of bound) if (ref.startsWith('app.')) bindings.set(`${ref}.client_id`, state.applications[arn]!.OAuthClientId ?? '');
  let text = JSON.stringify(state);
  const values = [...bindings].filter(([, v]) => v.length > 3).sort((a, b) => b[1].length - a[1].length);
  for (const [ref, value] of values) text = text.split(value).join(`\${${ref}}`);
  return JSON.parse(text);
}

t.test('the plan applied in-process and through the AWS SDK makes the same state', async (t) => {
  const now = Date.now();
  const start = () => startLab({ inMemory: true, clock: fixedClock(now), config: { issuers: [{ name: 'idp' }] } });
  const labs = [await start(), await start()];
  t.teardown(() => Promise.all(labs.map((l) => l.close())));
  const states: unknown[] = [];
  for (const [n, lab] of labs.entries()) {
    const instance = lab.services.identityCenter.defaultInstance();
    const bindings = new Map([['instance.arn', instance.InstanceArn], ['instance.identity_store_id', instance.IdentityStoreId], ['instance.id', instance.InstanceArn.split('/').pop()!]]);
    const plan = configSetupPlan(configInstance(), 'identity_center.instances[0]', { issuers: new Map([['idp', lab.issuer('idp').url]]), existingTrustedTokenIssuers: [] });
    let send;
    if (n === 0) send = inProcessSender(lab.services, ACCOUNT);
    else {
      const sdk = sdkSender({ region: 'us-east-1', endpoint: lab.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      t.teardown(() => sdk.destroy());
      send = (step: SetupPlan[number], input: Record<string, unknown>) => sdk.send(step.service, step.operation, input);
    }
    const bound = await runSetupPlan(plan, { bindings, send });
    bound.set('issuer.idp.url', lab.issuer('idp').url);
    states.push(stateOf(lab, bound));
  }
  const [inProcess, viaSdk] = states as [{ applications: Record<string, unknown> }, unknown];
  t.equal(Object.keys(inProcess.applications).length, 1, 'the application was made');
  t.match(JSON.stringify(inProcess), /"\$\{user\.alice\.id\}"/, 'ids are named by the references the plan bound');
  t.strictSame(viaSdk, inProcess);
});
