import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  anyValue, boolean, ConfigError, Context, integer, list, object, oneOf, optional, record, required, string, type Check, type Issue,
} from '../../server/config/schema.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../shared/signing-algorithm.js';
import { MINT_VARIANTS } from '../../server/issuer/mint/mint-token.js';
import {
  STEP_KINDS, STEP_OUTPUTS, type AssumeRoleStep, type CreateTokenWithIamStep, type Expectation, type MintStep, type Scenario,
  type GetDataAccessStep, type ScenarioAccessGrants, type ScenarioApplication, type ScenarioGroup, type ScenarioSetup, type ScenarioStep, type ScenarioTrustedTokenIssuer, type ScenarioUser, type StepKind,
} from './scenario.js';
import { parseExpressions, stringsIn } from './template.js';

const name = string({ pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$/, expected: 'a short name of letters, digits, - and _' });
const issuerName = string({ pattern: /^[a-z0-9][a-z0-9-]{0,40}$/, expected: 'an issuer name of lowercase letters, digits and dashes' });
const scenarioName = string({ pattern: /^[a-z0-9][a-z0-9-]{0,62}$/, expected: 'a scenario name of lowercase letters, digits and dashes' });
const text = string({ min: 1 });
const time: Check<number | string | null> = (value, path, ctx) => {
  if (value === 'none') return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  ctx.fail(path, 'expected epoch seconds, an ISO date, a relative time such as "+1h", or none');
  return undefined;
};

const expectation: Check<Expectation> = Object.assign(
  (value: unknown, path: string, ctx: Context): Expectation | undefined => {
    if (value === 'success') return { outcome: 'success' };
    if (typeof value === 'string' || value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.fail(path, 'expected success, or a mapping with exception (and optionally status, error), or, on a get_data_access step, { matched_grant_target }');
      return undefined;
    }
    if ('matched_grant_target' in value) {
      const m = object<{ matched_grant_target: string }>({ matched_grant_target: required(text) })(value, path, ctx);
      return m && { outcome: 'success', matchedGrantTarget: m.matched_grant_target };
    }
    const f = object<{ exception: string; status?: number; error?: string }>({
      exception: required(string({ pattern: /^[A-Z][A-Za-z]+$/, expected: 'an exception name such as InvalidGrantException' })),
      status: optional(integer({ min: 100, max: 599, expected: 'an HTTP status' })),
      error: optional(string({ pattern: /^[a-z_]+$/, expected: 'an OAuth error code such as invalid_grant' })),
    })(value, path, ctx);
    return f && { outcome: 'failure', ...f };
  },
  { expected: 'success, { exception, status, error } or { matched_grant_target }' },
);

const mintCheck = object<MintStep>({
  issuer: optional(issuerName, 'idp'),
  user: optional(name),
  claims: optional(record(anyValue()), {}),
  header: optional(record(anyValue())),
  iat: optional(time),
  nbf: optional(time),
  exp: optional(time),
  variant: optional(oneOf(MINT_VARIANTS)),
  tamper: optional(record(anyValue())),
});

const ctwiCheck = object<CreateTokenWithIamStep>({
  application: optional(name),
  client_id: optional(string()),
  grant_type: required(text),
  assertion: optional(string()),
  refresh_token: optional(string()),
  scope: optional(list(string())),
  subject_token: optional(string()),
  subject_token_type: optional(text),
  requested_token_type: optional(text),
  code: optional(string()),
  redirect_uri: optional(string()),
  code_verifier: optional(string()),
});

const assumeCheck = object<AssumeRoleStep>({
  role: required(name),
  context: optional(string()),
  provider_arn: optional(text),
  session_name: optional(text),
});

const permission = oneOf(['READ', 'WRITE', 'READWRITE'] as const);

const getDataAccessCheck = object<Omit<GetDataAccessStep, 'session'> & { session?: string }>({
  target: required(text),
  permission: required(permission),
  privilege: optional(oneOf(['Default', 'Minimal'] as const)),
  duration_seconds: optional(integer({ min: 1, expected: 'seconds, such as 900' })),
  session: optional(name),
});

const rotateCheck = object<{ issuer: string }>({ issuer: optional(issuerName, 'idp') });

const actionChecks: Record<StepKind, Check<unknown>> = {
  mint: mintCheck,
  create_token_with_iam: ctwiCheck,
  assume_role: assumeCheck,
  rotate_key: rotateCheck,
  get_data_access: getDataAccessCheck,
};

const step: Check<ScenarioStep> = Object.assign(
  (value: unknown, path: string, ctx: Context): ScenarioStep | undefined => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.fail(path, `expected a step: a mapping with one of ${STEP_KINDS.join(', ')}`);
      return undefined;
    }
    const input = value as Record<string, unknown>;
    const kinds = STEP_KINDS.filter((k) => input[k] !== undefined);
    for (const key of Object.keys(input)) {
      if (!(STEP_KINDS as readonly string[]).includes(key) && key !== 'id' && key !== 'expect') {
        ctx.fail(`${path}.${key}`, `unknown field; expected id, expect and one of ${STEP_KINDS.join(', ')}`);
      }
    }
    if (kinds.length !== 1) {
      ctx.fail(path, kinds.length ? `has ${kinds.join(' and ')}; a step does exactly one thing` : `expected one of ${STEP_KINDS.join(', ')}`);
      return undefined;
    }
    const kind = kinds[0]!;
    const before = ctx.issues.length;
    const id = input.id === undefined ? undefined : name(input.id, `${path}.id`, ctx);
    const action = actionChecks[kind](input[kind] ?? {}, `${path}.${kind}`, ctx);
    const expect = input.expect === undefined ? undefined : expectation(input.expect, `${path}.expect`, ctx);
    if (ctx.issues.length !== before) return undefined;
    return { kind, [kind]: action, id: id ?? '', ...(expect ? { expect } : {}) } as ScenarioStep;
  },
  { expected: 'a step' },
);

const userCheck = object<ScenarioUser>({
  name: required(name),
  user_name: optional(text),
  display_name: optional(text),
  emails: optional(list(text), []),
  external_ids: optional(list(object<{ issuer: string; id: string }>({ issuer: required(text), id: required(text) })), []),
});

const appCheck = object<ScenarioApplication>({
  name: required(name),
  assignment_required: optional(boolean()),
  grants: optional(
    object<ScenarioApplication['grants']>({
      jwt_bearer: optional(list(object<{ trusted_token_issuer: string; audiences: string[] }>({ trusted_token_issuer: required(name), audiences: required(list(string(), { min: 1, expected: 'a list of audiences' })) }), { min: 1 })),
      refresh_token: optional(boolean()),
      token_exchange: optional(boolean()),
      authorization_code: optional(object<{ redirect_uris: string[] }>({ redirect_uris: required(list(text, { min: 1 })) })),
    }),
    {},
  ),
  authentication_method: optional(boolean(), true),
  scopes: optional(list(text), []),
  assignments: optional(list(text), []),
});

const DEFAULT_TTI: ScenarioTrustedTokenIssuer = { name: 'idp', issuer: 'idp', claim_attribute_path: 'email', identity_store_attribute_path: 'emails.value' };

const setupCheck = object<ScenarioSetup>({
  instance: optional(oneOf(['existing', 'account'] as const), 'existing'),
  issuers: optional(list(object<{ name: string; algorithm: SigningAlgorithm }>({ name: required(issuerName), algorithm: optional(oneOf(SIGNING_ALGORITHMS), 'RS256') }), { min: 1 }), [{ name: 'idp', algorithm: 'RS256' }]),
  trusted_token_issuers: optional(
    list(object<ScenarioTrustedTokenIssuer>({ name: required(name), issuer: optional(issuerName, 'idp'), issuer_url: optional(text), claim_attribute_path: optional(text, 'email'), identity_store_attribute_path: optional(text, 'emails.value') })),
    [DEFAULT_TTI],
  ),
  users: optional(list(userCheck), []),
  groups: optional(list(object<ScenarioGroup>({ name: required(name), display_name: optional(text), members: optional(list(name), []) })), []),
  applications: optional(list(appCheck), []),
  roles: optional(list(name), []),
  access_grants: optional(
    object<ScenarioAccessGrants>({
      locations: optional(list(object<ScenarioAccessGrants['locations'][number]>({ name: required(name), scope: required(string({ pattern: /^s3:\/\//, expected: 's3://, s3://<bucket> or s3://<bucket>/<prefix>' })), role: required(name) })), []),
      grants: optional(list(object<ScenarioAccessGrants['grants'][number]>({ name: optional(name), location: required(name), sub_prefix: optional(text), grantee: required(text), permission: required(permission) })), []),
    }),
  ),
});

const scenarioCheck = object<Omit<Scenario, 'file'>>({
  name: required(scenarioName),
  description: required(text),
  tags: optional(list(name), []),
  setup: required(setupCheck),
  steps: required(list(step, { min: 1, expected: 'a list of steps' })),
});

/** References a scenario may make, by their first segment, and what may follow it. */
function checkReference(path: string, sc: Omit<Scenario, 'file'>, stepIndex: number | undefined): string | undefined {
  const [root, n, field, ...rest] = path.split('.');
  const names = (list: { name: string }[]) => list.map((x) => x.name);
  const one = (kind: string, declared: string[], fields: string[]) => {
    if (!n || !declared.includes(n)) return `no ${kind} "${n ?? ''}"; declared: ${declared.join(', ') || 'none'}`;
    if (!field || rest.length || !fields.includes(field)) return `\${${path}}: expected ${fields.map((f) => `${root}.${n}.${f}`).join(' or ')}`;
    return undefined;
  };
  switch (root) {
    case 'ns':
    case 'run':
    case 'account':
      return n === undefined ? undefined : `\${${path}}: ${root} has no fields`;
    case 'instance':
      return n && ['arn', 'id', 'identity_store_id'].includes(n) && field === undefined ? undefined : `\${${path}}: expected instance.arn, instance.id or instance.identity_store_id`;
    case 'issuer':
      return one('issuer', names(sc.setup.issuers), ['url']);
    case 'tti':
      return one('trusted token issuer', names(sc.setup.trusted_token_issuers), ['arn']);
    case 'app':
      return one('application', names(sc.setup.applications), ['arn']);
    case 'user':
      return one('user', names(sc.setup.users), ['id', 'user_name', 'email']);
    case 'group':
      return one('group', names(sc.setup.groups), ['id']);
    case 'role':
      return one('role', sc.setup.roles, ['arn', 'name']);
    case 'access_grants': {
      const kinds = { location: sc.setup.access_grants?.locations ?? [], grant: sc.setup.access_grants?.grants ?? [] };
      const declared = n === 'location' || n === 'grant' ? kinds[n].map((x) => x.name) : undefined;
      if (!declared || !field || !declared.includes(field) || rest.join('.') !== 'id') return `\${${path}}: expected access_grants.location.<name>.id or access_grants.grant.<name>.id of a declared one (setup.access_grants)`;
      return undefined;
    }
    case 'steps': {
      const earlier = stepIndex === undefined ? [] : sc.steps.slice(0, stepIndex);
      const target = earlier.find((s) => s.id === n);
      if (!target) return `no earlier step "${n ?? ''}"${stepIndex === undefined ? ' (setup cannot use step outputs)' : `; earlier steps: ${earlier.map((s) => s.id).join(', ') || 'none'}`}`;
      const outputs = STEP_OUTPUTS[target.kind];
      if (!field || rest.length || !outputs.includes(field)) return `\${${path}}: a ${target.kind} step gives ${outputs.map((o) => `steps.${n}.${o}`).join(', ')}`;
      return undefined;
    }
    default:
      return `\${${path}}: unknown reference; expected ns, run, account, instance, issuer, tti, app, user, group, role, access_grants or steps`;
  }
}

/** The rules no single field can see: names unique, references declared, templates well formed. */
function crossCheck(sc: Omit<Scenario, 'file'>): Issue[] {
  const issues: Issue[] = [];
  const fail = (path: string, message: string) => issues.push({ path, message });
  const s = sc.setup;
  const unique = (items: { name: string }[], path: string) => {
    const seen = new Set<string>();
    for (const [i, x] of items.entries()) {
      if (seen.has(x.name)) fail(`${path}[${i}].name`, `"${x.name}" is declared twice`);
      seen.add(x.name);
    }
  };
  unique(s.issuers, 'setup.issuers');
  unique(s.trusted_token_issuers, 'setup.trusted_token_issuers');
  unique(s.users, 'setup.users');
  unique(s.groups, 'setup.groups');
  unique(s.applications, 'setup.applications');
  const issuers = s.issuers.map((i) => i.name);
  const ttis = s.trusted_token_issuers.map((t) => t.name);
  const users = s.users.map((u) => u.name);
  const groups = s.groups.map((g) => g.name);
  const apps = s.applications.map((a) => a.name);
  for (const [i, t] of s.trusted_token_issuers.entries()) {
    if (!issuers.includes(t.issuer)) fail(`setup.trusted_token_issuers[${i}].issuer`, `no issuer "${t.issuer}"; declared: ${issuers.join(', ')}`);
  }
  for (const [i, g] of s.groups.entries()) {
    for (const [k, m] of g.members.entries()) if (!users.includes(m)) fail(`setup.groups[${i}].members[${k}]`, `no user "${m}"; declared: ${users.join(', ') || 'none'}`);
  }
  for (const [i, a] of s.applications.entries()) {
    for (const [k, j] of (a.grants.jwt_bearer ?? []).entries()) {
      if (!ttis.includes(j.trusted_token_issuer)) fail(`setup.applications[${i}].grants.jwt_bearer[${k}].trusted_token_issuer`, `no trusted token issuer "${j.trusted_token_issuer}"; declared: ${ttis.join(', ') || 'none'}`);
    }
    for (const [k, who] of a.assignments.entries()) {
      const isGroup = who.startsWith('group:');
      const known = isGroup ? groups.includes(who.slice(6)) : users.includes(who);
      if (!known) fail(`setup.applications[${i}].assignments[${k}]`, `no ${isGroup ? 'group' : 'user'} "${isGroup ? who.slice(6) : who}"; assignments name users by name and groups as group:<name>`);
    }
  }
  const ag = s.access_grants;
  if (ag) {
    unique(ag.locations, 'setup.access_grants.locations');
    unique(ag.grants, 'setup.access_grants.grants');
    const locations = ag.locations.map((l) => l.name);
    for (const [i, l] of ag.locations.entries()) if (!s.roles.includes(l.role)) fail(`setup.access_grants.locations[${i}].role`, `no role "${l.role}"; declare it under setup.roles`);
    for (const [i, g] of ag.grants.entries()) {
      const at = `setup.access_grants.grants[${i}]`;
      if (!locations.includes(g.location)) fail(`${at}.location`, `no location "${g.location}"; declared: ${locations.join(', ') || 'none'}`);
      const [kind, who] = g.grantee.startsWith('group:') ? ['group', g.grantee.slice(6)] : g.grantee.startsWith('role:') ? ['role', g.grantee.slice(5)] : ['user', g.grantee];
      const known = kind === 'group' ? groups : kind === 'role' ? s.roles : users;
      if (!known.includes(who!)) fail(`${at}.grantee`, `no ${kind} "${who}"; grantees are users by name, group:<name> or role:<name>`);
    }
  }
  const ids = new Set<string>();
  for (const [i, st] of sc.steps.entries()) {
    const at = `steps[${i}]`;
    if (ids.has(st.id)) fail(`${at}.id`, `"${st.id}" is used by an earlier step`);
    ids.add(st.id);
    if (st.kind === 'mint') {
      if (!issuers.includes(st.mint.issuer)) fail(`${at}.mint.issuer`, `no issuer "${st.mint.issuer}"; declared: ${issuers.join(', ')}`);
      if (st.mint.user !== undefined && !users.includes(st.mint.user)) fail(`${at}.mint.user`, `no user "${st.mint.user}"; declared: ${users.join(', ') || 'none'}`);
    }
    if (st.kind === 'rotate_key' && !issuers.includes(st.rotate_key.issuer)) fail(`${at}.rotate_key.issuer`, `no issuer "${st.rotate_key.issuer}"; declared: ${issuers.join(', ')}`);
    if (st.kind === 'create_token_with_iam') {
      const c = st.create_token_with_iam;
      if ((c.application === undefined) === (c.client_id === undefined)) fail(`${at}.create_token_with_iam`, 'expected application (a scenario application) or client_id (a raw clientId), not both');
      if (c.application !== undefined && !apps.includes(c.application)) fail(`${at}.create_token_with_iam.application`, `no application "${c.application}"; declared: ${apps.join(', ') || 'none'}`);
    }
    if (st.kind === 'assume_role' && !s.roles.includes(st.assume_role.role)) fail(`${at}.assume_role.role`, `no role "${st.assume_role.role}"; declare it under setup.roles`);
    if (st.kind === 'get_data_access') {
      const session = st.get_data_access.session;
      const earlier = sc.steps.slice(0, i).filter((x) => x.kind === 'assume_role').map((x) => x.id);
      if (!session) fail(`${at}.get_data_access`, 'no earlier assume_role step: GetDataAccess is called with the credentials of one (session: <its id>)');
      else if (!earlier.includes(session)) fail(`${at}.get_data_access.session`, `no earlier assume_role step "${session}"; earlier ones: ${earlier.join(', ') || 'none'}`);
    }
    if (st.expect?.outcome === 'success' && st.expect.matchedGrantTarget !== undefined && st.kind !== 'get_data_access') fail(`${at}.expect.matched_grant_target`, 'only a get_data_access step matches a grant');
    if (st.expect && (st.kind === 'mint' || st.kind === 'rotate_key')) fail(`${at}.expect`, `a ${st.kind} step happens in the harness, not on the target; it has nothing to expect`);
  }
  for (const [path, value] of stringsIn({ setup: s, steps: sc.steps }, '')) {
    const parsed = parseExpressions(value);
    if (typeof parsed === 'string') {
      fail(path, parsed);
      continue;
    }
    const stepIndex = /^steps\[(\d+)\]/.exec(path)?.[1];
    for (const e of parsed) {
      const problem = checkReference(e.path, sc, stepIndex === undefined ? undefined : Number(stepIndex));
      if (problem) fail(path, problem);
    }
  }
  return issues;
}

/** Parses and checks scenarios from a YAML document; errors name the file, the scenario and the field. */
export function parseScenarios(doc: unknown, file: string): Scenario[] {
  const items: { value: unknown; at: string }[] =
    doc && typeof doc === 'object' && !Array.isArray(doc) && 'scenarios' in doc
      ? Array.isArray((doc as { scenarios: unknown }).scenarios)
        ? ((doc as { scenarios: unknown[] }).scenarios.map((value, i) => ({ value, at: `scenarios[${i}]` })))
        : []
      : [{ value: doc, at: '' }];
  if (!items.length) throw new ConfigError(file, [{ path: 'scenarios', message: 'expected a list of scenarios' }]);
  const out: Scenario[] = [];
  const issues: Issue[] = [];
  for (const { value, at } of items) {
    const label = value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string' ? `scenario "${(value as { name: string }).name}"` : `scenario ${at || '(unnamed)'}`;
    const ctx = new Context();
    // setup may be left out: its fields' defaults still apply.
    const input = value && typeof value === 'object' && !Array.isArray(value) && (value as { setup?: unknown }).setup == null ? { ...value, setup: {} } : value;
    const parsed = scenarioCheck(input, '', ctx);
    const found = parsed ? [...ctx.issues, ...crossCheck(withStepIds(parsed))] : ctx.issues;
    if (found.length || !parsed) {
      issues.push(...(found.length ? found : [{ path: '', message: 'is invalid' }]).map((i) => ({ path: `${label}${at && !label.includes(at) ? ` (${at})` : ''}${i.path ? `: ${i.path}` : ''}`, message: i.message })));
      continue;
    }
    out.push({ ...withStepIds(parsed), file });
  }
  if (issues.length) throw new ConfigError(file, issues);
  return out;
}

function withStepIds<T extends { steps: ScenarioStep[]; setup: ScenarioSetup }>(sc: T): T {
  const ag = sc.setup.access_grants;
  return {
    ...sc,
    setup: {
      ...sc.setup,
      users: sc.setup.users.map((u) => ({ ...u, user_name: u.user_name ?? `${u.name}-\${ns}` })),
      groups: sc.setup.groups.map((g) => ({ ...g, display_name: g.display_name ?? `${g.name}-\${ns}` })),
      ...(ag ? { access_grants: { ...ag, grants: ag.grants.map((g, i) => ({ ...g, name: g.name ?? `grant${i + 1}` })) } } : {}),
    },
    steps: withSessions(sc.steps.map((s, i) => ({ ...s, id: s.id || `step${i + 1}` }))),
  };
}

/** A get_data_access step without `session` calls with the latest earlier assume_role step's session. */
function withSessions(steps: ScenarioStep[]): ScenarioStep[] {
  let latest: string | undefined;
  return steps.map((st) => {
    if (st.kind === 'assume_role') latest = st.id;
    if (st.kind !== 'get_data_access' || st.get_data_access.session || latest === undefined) return st;
    return { ...st, get_data_access: { ...st.get_data_access, session: latest } };
  });
}

export async function loadScenarioFile(path: string): Promise<Scenario[]> {
  let textContent: string;
  try {
    textContent = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [{ path: '', message: `cannot read the scenario file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  let doc: unknown;
  try {
    doc = parse(textContent);
  } catch (err) {
    throw new ConfigError(basename(path), [{ path: '', message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` }]);
  }
  return parseScenarios(doc, basename(path));
}

/** The built-in catalog's folder, from the sources, from dist/harness/scenario/ or from the CLI bundle dist/tti-lab.cjs. */
export function catalogDir(): string {
  for (const rel of ['../catalog/', '../../../harness/catalog/', '../harness/catalog/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error('the harness catalog (harness/catalog/) is not where it should be');
}

/**
 * Loads scenario files (and, with `catalog`, every file of harness/catalog/), sorted by name. Every
 * file's problems are reported together; a name used twice is an error naming both files.
 */
export async function loadScenarios(opts: { files?: string[]; catalog?: boolean }): Promise<Scenario[]> {
  const files = [...(opts.files ?? [])];
  if (opts.catalog) {
    const dir = catalogDir();
    files.push(...(await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f)));
  }
  const errors: ConfigError[] = [];
  const all: Scenario[] = [];
  for (const f of files) {
    try {
      all.push(...(await loadScenarioFile(f)));
    } catch (err) {
      if (err instanceof ConfigError) errors.push(err);
      else throw err;
    }
  }
  const byName = new Map<string, Scenario>();
  for (const sc of all) {
    const other = byName.get(sc.name);
    if (other) errors.push(new ConfigError(sc.file, [{ path: `scenario "${sc.name}": name`, message: `already used by ${other.file}` }]));
    byName.set(sc.name, sc);
  }
  if (errors.length) throw new ScenarioErrors(errors);
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

/** Several files' problems at once; a ConfigError, so the CLI reports it as one. */
export class ScenarioErrors extends ConfigError {
  constructor(readonly errors: ConfigError[]) {
    super(errors[0]!.source, errors.flatMap((e) => e.issues));
    this.message = errors.map((e) => e.message).join('\n');
  }
}
