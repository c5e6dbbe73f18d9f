import { resolveTime } from '../../server/issuer/mint/resolve-time.js';
import type { MintRequest } from '../../server/issuer/mint/mint-token.js';
import {
  grantTypeOf, TOKEN_TYPE_ALIASES, type AssumeRoleStep, type CreateTokenWithIamStep, type Expectation, type GetDataAccessStep, type MintStep, type Scenario, type ScenarioStep, type StepKind,
} from '../scenario/scenario.js';
import { resolveDeep, resolveString, UnresolvedReference } from '../scenario/template.js';
import { scenarioSetupPlan } from '../scenario/scenario-setup-plan.js';
import { runSetupPlan } from '../../server/identity-center/setup/run-setup-plan.js';
import { normaliseAssumeRole, normaliseDataAccess, normaliseTokenResponse, Symbols, type Outcome } from '../compare/normalise.js';
import { errorFacts } from '../../server/sdk/sdk-sender.js';
import type { Diagnosis, RoleCredentials, ServiceName, Target, TargetSession } from '../targets/target.js';

export const CONTEXT_PROVIDER = 'arn:aws:iam::aws:contextProvider/IdentityCenter';
export const TAG_RUN = 'tti-lab-harness-run';
export const TAG_SCENARIO = 'tti-lab-harness-scenario';

export interface StepResult {
  id: string;
  kind: StepKind;
  outcome: Outcome;
  expected?: Expectation;
  /** Whether the outcome meets the expectation (only when the step has one). */
  met?: boolean;
  /** Why it failed, from a lab target; and the error message. Never compared. */
  diagnosis?: Diagnosis & { message?: string };
}

/** One SDK call as sent, symbolised (target-assigned values as `${…}`), for the record and for --dry-run. */
export interface CallRecord {
  phase: 'setup' | 'step' | 'cleanup';
  service: ServiceName;
  operation: string;
  input: unknown;
  /** Sent with the credentials of this earlier assume_role step (GetDataAccess), not the harness's. */
  session?: string;
}

export type ScenarioStatus = 'passed' | 'failed' | 'pending' | 'error';

export interface ScenarioResult {
  scenario: string;
  file: string;
  description: string;
  target: string;
  /** passed: every expectation met; failed: one was not, or setup was refused; pending: the target cannot run it; error: the harness could not. */
  status: ScenarioStatus;
  reason?: string;
  setup: Outcome;
  steps: StepResult[];
  calls: CallRecord[];
  cleanup: { deleted: number; failed: { call: string; message: string }[] };
}

export interface RunContext {
  runId: string;
  /** This scenario's namespace: unique names in a shared account. */
  ns: string;
  signal: AbortSignal;
}

class Aborted extends Error {
  constructor() {
    super('the run was interrupted');
    this.name = 'Aborted';
  }
}

/** A call the setup made that the target refused: the scenario stops there, and says where. */
class SetupRefused extends Error {
  constructor(
    readonly operation: string,
    readonly err: unknown,
  ) {
    super(`${operation} was refused: ${errorFacts(err).exception}: ${errorFacts(err).message}`);
  }
}

/** `matchedGrantTarget`: the expectation's, resolved and symbolised as the outcome's is. */
const met = (expected: Expectation, outcome: Outcome, matchedGrantTarget?: string): boolean => {
  if (expected.outcome === 'success') return outcome.outcome === 'success' && (matchedGrantTarget === undefined || outcome.matchedGrantTarget === matchedGrantTarget);
  if (outcome.outcome !== 'failure') return false;
  return outcome.exception === expected.exception && (expected.status === undefined || outcome.status === expected.status) && (expected.error === undefined || outcome.error === expected.error);
};

/** What a delete answers when the resource is gone already: it counts as removed. */
const GONE = ['ResourceNotFoundException', 'AccessGrantsInstanceNotExistsError', 'NoSuchAccessGrantsLocationError', 'NoSuchAccessGrantError'];

const STEP_OUTPUT_KEYS = ['token', 'accessToken', 'refreshToken', 'idToken', 'identityContext', 'kid', 'accessKeyId'];

/**
 * Runs one scenario on one target: the setup through the real operations, each step, and then the
 * cleanup of everything the setup made, in reverse order, whatever happened (a refusal, an error,
 * Ctrl-C). Never throws for what the target answers; every answer becomes an outcome.
 */
export async function runScenario(target: Target, sc: Scenario, ctx: RunContext): Promise<ScenarioResult> {
  const result: ScenarioResult = {
    scenario: sc.name,
    file: sc.file,
    description: sc.description,
    target: target.name,
    status: 'passed',
    setup: { outcome: 'done' },
    steps: [],
    calls: [],
    cleanup: { deleted: 0, failed: [] },
  };
  const gap = target.unsupported(sc);
  if (gap) return { ...result, status: 'pending', reason: gap, setup: { outcome: 'skipped', reason: gap } };

  let session: TargetSession;
  try {
    session = await target.open(sc, ctx.ns, ctx.signal);
  } catch (err) {
    return { ...result, status: 'error', reason: `the target could not be prepared: ${(err as Error).message}`, setup: { outcome: 'skipped', reason: 'target not prepared' } };
  }
  const values = new Map<string, string>();
  const symbols = new Symbols();
  const bind = (ref: string, value: string) => {
    values.set(ref, value);
    symbols.add(value, ref);
  };
  bind('ns', ctx.ns);
  bind('run', ctx.runId);
  bind('account', session.account);
  bind('instance.arn', session.instance.arn);
  bind('instance.id', session.instance.arn.split('/').pop()!);
  bind('instance.identity_store_id', session.instance.identityStoreId);
  for (const i of sc.setup.issuers) bind(`issuer.${i.name}.url`, session.issuer(i.name).url);
  for (const r of sc.setup.roles) {
    const arn = session.roleArn(r);
    bind(`role.${r}.arn`, arn);
    bind(`role.${r}.name`, arn.split('/').pop()!);
  }

  const undo: { call: string; run: () => Promise<void> }[] = [];
  const rawCalls: { phase: CallRecord['phase']; service: ServiceName; operation: string; input: Record<string, unknown>; session?: string }[] = [];
  /** Role sessions earlier AssumeRole steps gave, by step id: never bound as values, never recorded. */
  const sessions = new Map<string, RoleCredentials>();
  const send = async (phase: CallRecord['phase'], service: ServiceName, operation: string, input: Record<string, unknown>, as?: string) => {
    if (phase !== 'cleanup' && ctx.signal.aborted) throw new Aborted();
    rawCalls.push({ phase, service, operation, input, ...(as !== undefined ? { session: as } : {}) });
    return as === undefined ? session.send(service, operation, input) : session.sendAs(sessions.get(as)!, service, operation, input);
  };
  const setupCall = async (service: ServiceName, operation: string, input: Record<string, unknown>) => {
    try {
      return await send('setup', service, operation, input);
    } catch (err) {
      if (err instanceof Aborted) throw err;
      throw new SetupRefused(operation, err);
    }
  };
  const tags = [{ Key: TAG_RUN, Value: ctx.runId }, { Key: TAG_SCENARIO, Value: sc.name }];

  try {
    try {
      await setup(sc, { values, bind, session, setupCall, undo, send, tags });
    } catch (err) {
      if (err instanceof SetupRefused) {
        const f = errorFacts(err.err);
        result.setup = { outcome: 'failure', exception: f.exception, status: f.status, error: f.error, call: err.operation };
        result.status = 'failed';
        result.reason = err.message;
        return result;
      }
      throw err;
    }
    for (const st of sc.steps) {
      const step = await runStep(st, sc, { session, values, bind, symbols, send, sessions, ns: ctx.ns });
      if (st.expect) {
        step.expected = st.expect;
        const target = st.expect.outcome === 'success' && st.expect.matchedGrantTarget !== undefined ? st.expect.matchedGrantTarget : undefined;
        step.met = met(st.expect, step.outcome, target === undefined ? undefined : symbols.string(resolveString(target, values)));
        if (!step.met) result.status = 'failed';
      }
      result.steps.push(step);
    }
  } catch (err) {
    result.status = 'error';
    result.reason = err instanceof Aborted ? 'interrupted (Ctrl-C): cleaned up what was made' : `${(err as Error).name}: ${(err as Error).message}`;
  } finally {
    for (const u of undo.reverse()) {
      try {
        await u.run();
        result.cleanup.deleted += 1;
      } catch (err) {
        const f = errorFacts(err);
        if (GONE.includes(f.exception)) result.cleanup.deleted += 1;
        else result.cleanup.failed.push({ call: u.call, message: `${f.exception}: ${f.message}` });
      }
    }
    try {
      await session.close();
    } catch (err) {
      result.cleanup.failed.push({ call: 'close', message: (err as Error).message });
    }
    result.calls = rawCalls.map((c) => ({ phase: c.phase, service: c.service, operation: c.operation, input: symbols.value(c.input), ...(c.session !== undefined ? { session: c.session } : {}) }));
  }
  return result;
}

/** References the scenario's templates may name (template.ts); the plan's others (memberships) stay its own. */
const SCENARIO_REFS = /^(instance|user|group|tti|app|access_grants)\./;

interface SetupEnv {
  values: Map<string, string>;
  bind(ref: string, value: string): void;
  session: TargetSession;
  setupCall(service: ServiceName, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  send(phase: CallRecord['phase'], service: ServiceName, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  undo: { call: string; run: () => Promise<void> }[];
  tags: { Key: string; Value: string }[];
}

/** The scenario's setup plan (scenario-setup-plan.ts), run by the lab's own executor through the target; what it makes is undone afterwards. */
async function setup(sc: Scenario, env: SetupEnv): Promise<void> {
  const plan = scenarioSetupPlan(sc, env.values, env.tags);
  // An account instance is the plan's to make: the target's instance is not bound for it.
  const bindings = new Map([...env.values].filter(([k]) => sc.setup.instance === 'existing' || !k.startsWith('instance.')));
  await runSetupPlan(plan, {
    bindings,
    send: (step, input) => env.setupCall(step.service, step.operation, input),
    onBind: (ref, value) => {
      if (!SCENARIO_REFS.test(ref)) return;
      env.bind(ref, value);
      if (ref === 'instance.arn') env.bind('instance.id', value.split('/').pop()!);
    },
    onUndo: (call) => env.undo.push({ call: call.operation, run: async () => void (await env.send('cleanup', call.service, call.operation, call.input)) }),
  });
  for (const u of sc.setup.users) {
    env.values.set(`user.${u.name}.user_name`, resolveString(u.user_name, env.values));
    const email = u.emails[0] === undefined ? undefined : resolveString(u.emails[0], env.values);
    if (email) env.values.set(`user.${u.name}.email`, email);
  }
}

interface StepEnv {
  session: TargetSession;
  values: Map<string, string>;
  bind(ref: string, value: string): void;
  symbols: Symbols;
  send(phase: CallRecord['phase'], service: ServiceName, operation: string, input: Record<string, unknown>, as?: string): Promise<Record<string, unknown>>;
  sessions: Map<string, RoleCredentials>;
  ns: string;
}

async function runStep(st: ScenarioStep, sc: Scenario, env: StepEnv): Promise<StepResult> {
  const base = { id: st.id, kind: st.kind };
  const output = (field: string, value: unknown) => {
    if (typeof value !== 'string' || !value) return;
    env.values.set(`steps.${st.id}.${field}`, value);
    if (STEP_OUTPUT_KEYS.includes(field)) env.symbols.addExact(value, `steps.${st.id}.${field}`);
  };
  let service: ServiceName;
  let operation: string;
  let input: Record<string, unknown>;
  let as: string | undefined;
  try {
    switch (st.kind) {
      case 'mint': {
        const { token, at } = await mint(st.mint, sc, env, st.id);
        env.symbols.mintedAt.set(token, at);
        // A harness-minted token is compared by its content, not its bytes; its output is not symbolised.
        env.values.set(`steps.${st.id}.token`, token);
        return { ...base, outcome: { outcome: 'done' } };
      }
      case 'rotate_key': {
        const kid = await env.session.issuer(st.rotate_key.issuer).rotate();
        output('kid', kid);
        return { ...base, outcome: { outcome: 'done' } };
      }
      case 'create_token_with_iam':
        service = 'sso-oidc';
        operation = 'CreateTokenWithIAM';
        input = tokenRequest(st.create_token_with_iam, env.values);
        break;
      case 'assume_role':
        service = 'sts';
        operation = 'AssumeRole';
        input = assumeRoleRequest(st.assume_role, env.values, env.ns);
        break;
      case 'get_data_access':
        as = st.get_data_access.session;
        if (!env.sessions.has(as)) return { ...base, outcome: { outcome: 'skipped', reason: `step "${as}" gave no credentials (an earlier step did not give it)` } };
        service = 's3-control';
        operation = 'GetDataAccess';
        input = dataAccessRequest(st.get_data_access, env.values, env.session.account);
        break;
    }
  } catch (err) {
    if (err instanceof UnresolvedReference) return { ...base, outcome: { outcome: 'skipped', reason: `${err.message} (an earlier step did not give it)` } };
    throw err;
  }
  try {
    const out = await env.send('step', service, operation, input, as);
    if (st.kind === 'create_token_with_iam') {
      const details = out.awsAdditionalDetails as { identityContext?: string } | undefined;
      for (const f of ['accessToken', 'refreshToken', 'idToken', 'issuedTokenType']) output(f, out[f]);
      output('identityContext', details?.identityContext);
      return { ...base, outcome: normaliseTokenResponse(out, env.symbols) };
    }
    const creds = out.Credentials as { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined;
    output('accessKeyId', creds?.AccessKeyId);
    if (st.kind === 'get_data_access') {
      output('matchedGrantTarget', out.MatchedGrantTarget);
      return { ...base, outcome: normaliseDataAccess(out, env.symbols) };
    }
    if (creds?.AccessKeyId && creds.SecretAccessKey) env.sessions.set(st.id, { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, ...(creds.SessionToken ? { sessionToken: creds.SessionToken } : {}) });
    output('assumedRoleArn', (out.AssumedRoleUser as { Arn?: string } | undefined)?.Arn);
    return { ...base, outcome: normaliseAssumeRole(out, env.symbols) };
  } catch (err) {
    if (err instanceof Aborted) throw err;
    const f = errorFacts(err);
    const diagnosis = { ...((await env.session.diagnose?.(err)) ?? {}), ...(f.message ? { message: f.message } : {}) };
    return { ...base, outcome: { outcome: 'failure', exception: f.exception, status: f.status, error: f.error }, diagnosis };
  }
}

/** A mint step as a request with absolute times, resolved on the target's clock: both targets sign the same claims. */
async function mint(m: MintStep, sc: Scenario, env: StepEnv, stepId: string): Promise<{ token: string; at: number }> {
  const now = Math.floor(env.session.now() / 1000);
  const claims: Record<string, unknown> = { jti: `${env.ns}-${stepId}` };
  if (m.user !== undefined) {
    const user = sc.setup.users.find((u) => u.name === m.user)!;
    claims.sub = env.values.get(`user.${user.name}.user_name`);
    claims.preferred_username = claims.sub;
    const email = env.values.get(`user.${user.name}.email`);
    if (email) claims.email = email;
  }
  for (const [k, v] of Object.entries(resolveDeep(m.claims, env.values))) {
    if (v === null) delete claims[k];
    else claims[k] = v;
  }
  const time = (v: number | string | null | undefined, dflt: number | undefined, field: string) => (v === null ? null : v === undefined ? dflt ?? null : resolveTime(v, now, field));
  const req: MintRequest = {
    claims,
    iat: time(m.iat, now, 'iat'),
    exp: time(m.exp, now + 3600, 'exp'),
    nbf: time(m.nbf, undefined, 'nbf'),
    ...(m.header ? { header: resolveDeep(m.header, env.values) } : {}),
    ...(m.variant ? { variant: m.variant } : {}),
    ...(m.tamper ? { tamper: resolveDeep(m.tamper, env.values) } : {}),
  };
  const { token } = await env.session.issuer(m.issuer).mint(req);
  return { token, at: now };
}

function tokenRequest(c: CreateTokenWithIamStep, values: Map<string, string>): Record<string, unknown> {
  const r = (s: string | undefined) => (s === undefined ? undefined : resolveString(s, values));
  const tokenType = (s: string | undefined) => (s === undefined ? undefined : TOKEN_TYPE_ALIASES[s] ?? r(s));
  const input: Record<string, unknown> = {
    clientId: c.application !== undefined ? values.get(`app.${c.application}.arn`) : r(c.client_id),
    grantType: grantTypeOf(c),
    assertion: r(c.assertion),
    refreshToken: r(c.refresh_token),
    scope: c.scope === undefined ? undefined : resolveDeep(c.scope, values),
    subjectToken: r(c.subject_token),
    subjectTokenType: tokenType(c.subject_token_type),
    requestedTokenType: tokenType(c.requested_token_type),
    code: r(c.code),
    redirectUri: r(c.redirect_uri),
    codeVerifier: r(c.code_verifier),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

function assumeRoleRequest(a: AssumeRoleStep, values: Map<string, string>, ns: string): Record<string, unknown> {
  const context = a.context === undefined ? undefined : resolveString(a.context, values);
  return {
    RoleArn: values.get(`role.${a.role}.arn`),
    RoleSessionName: a.session_name !== undefined ? resolveString(a.session_name, values) : `tti-harness-${ns}`,
    ...(context !== undefined ? { ProvidedContexts: [{ ProviderArn: a.provider_arn ?? CONTEXT_PROVIDER, ContextAssertion: context }] } : {}),
  };
}

/** GetDataAccess for the account the target's caller is in (GetCallerIdentity on AWS, the lab's account on the mock). */
function dataAccessRequest(g: GetDataAccessStep, values: Map<string, string>, account: string): Record<string, unknown> {
  return {
    AccountId: account,
    Target: resolveString(g.target, values),
    Permission: g.permission,
    ...(g.privilege !== undefined ? { Privilege: g.privilege } : {}),
    ...(g.duration_seconds !== undefined ? { DurationSeconds: g.duration_seconds } : {}),
  };
}
