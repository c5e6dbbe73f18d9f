import type { Principal } from '../aws-credentials.js';

/**
 * A small evaluator for the resource-policy documents the lab meets: an application's ActorPolicy
 * (who may call sso-oauth:CreateTokenWithIAM) and a role's trust policy (who may sts:AssumeRole /
 * sts:SetContext, sts:AssumeRoleWithWebIdentity). It honours Effect, Principal (AWS account, root,
 * user, role, assumed-role session, Federated, Service, "*"), Action and NotAction with wildcards, and an
 * explicit Deny winning over any Allow. Conditions follow IAM's documented semantics
 * (IAM User Guide, "Condition operators" and "Single-valued vs. multivalued context keys"):
 *
 * - operators: String(Not)Equals, String(Not)EqualsIgnoreCase, String(Not)Like, Arn(Not)Equals,
 *   Arn(Not)Like, Bool and Null, each (but Null) with an `IfExists` suffix and the `ForAllValues:` /
 *   `ForAnyValue:` set qualifiers;
 * - condition key names are case-insensitive, String and Arn values case-sensitive;
 * - several values for a key are ORed; several keys, and several operators, are ANDed;
 * - a key absent from the request: false, except for a negated operator (true), `…IfExists`
 *   (true), `ForAllValues:` (true) and `ForAnyValue:` (false); `Null: {key: "true"}` holds when the
 *   key is absent, `"false"` when it is present;
 * - `*Like` and the ARN operators match `*` and `?`; the ARN operators compare the six
 *   colon-separated parts of an ARN one by one (the sixth, the resource, runs to the end).
 *
 * Anything else — another operator (Numeric*, Date*, IpAddress, Binary*), a policy variable
 * (`${…}`) — is refused with `unsupported` and a reason naming it, never silently matched or
 * skipped: an unknown Deny must not turn into an allow, an unknown Allow must not look like a
 * wrong value.
 */

export interface PolicyDecision {
  allowed: boolean;
  /** Why, for traces and `x-tti-lab-reason`. */
  reason: string;
  /** The action refused (the first of `actions` that is not allowed), when the decision is a refusal. */
  action?: string;
  /** Set when the policy uses something the lab does not evaluate: the decision is a refusal, not a verdict. */
  unsupported?: boolean;
}

interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Condition?: unknown;
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/** `*` and `?` wildcards; Action names are matched ignoring case, as IAM does. */
const wildcard = (pattern: string, value: string, ignoreCase = true) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'is' : 's').test(value);

/** The role ARN behind an assumed-role session ARN (arn:aws:sts::123:assumed-role/Name/session). */
export function roleArnOfSession(arn: string): string | undefined {
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:aws:iam::${m[1]}:role/${m[2]}` : undefined;
}

function principalMatches(spec: unknown, who: Principal): boolean {
  if (spec === '*') return true;
  if (!spec || typeof spec !== 'object') return false;
  const federated = asList((spec as Record<string, unknown>).Federated);
  if (federated.includes(who.arn)) return true;
  // A service principal (access-grants.s3.amazonaws.com) is named by its service name, which is its `arn` here.
  if (asList((spec as Record<string, unknown>).Service).includes(who.arn)) return true;
  const aws = asList((spec as Record<string, unknown>).AWS);
  const roleArn = roleArnOfSession(who.arn);
  return aws.some((p) => {
    if (p === '*') return true;
    if (/^\d{12}$/.test(p)) return p === who.accountId;
    if (p === `arn:aws:iam::${who.accountId}:root`) return true;
    return p === who.arn || (roleArn !== undefined && p === roleArn) || wildcard(p, who.arn);
  });
}

function actionMatches(st: Statement, action: string): boolean {
  if (st.NotAction !== undefined) return !asList(st.NotAction).some((a) => wildcard(a, action));
  return asList(st.Action).some((a) => wildcard(a, action));
}

/** The request context: condition key → value (a list for a multivalued key); undefined = absent. */
export type ConditionContext = Record<string, string | string[] | undefined>;

/** `arn:partition:service:region:account:resource`, the resource keeping its own colons. */
function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** ArnEquals and ArnLike "behave identically": case-sensitive, part by part, with `*` and `?`. */
function arnMatches(actual: string, pattern: string): boolean {
  const want = arnParts(pattern);
  const got = arnParts(actual);
  return !!want && !!got && want.every((p, i) => wildcard(p, got[i]!, false));
}

const MATCHERS: Record<string, (actual: string, expected: string) => boolean> = {
  StringEquals: (a, e) => a === e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringLike: (a, e) => wildcard(e, a, false),
  ArnEquals: arnMatches,
  ArnLike: arnMatches,
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};
const SUPPORTED = [...Object.keys(MATCHERS), ...Object.keys(NEGATED), 'Null'];

/** A condition's verdict: holds, fails (why) or cannot be evaluated by the lab (why). */
type Verdict = { holds: true } | { holds: false; why: string; unsupported?: boolean };

const fails = (why: string): Verdict => ({ holds: false, why });
const refuse = (why: string): Verdict => ({ holds: false, why, unsupported: true });

/** Policy values as IAM reads them: a string, a number or a boolean, or a list of them. */
function policyValues(v: unknown): string[] | undefined {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || !list.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) return undefined;
  return list.map(String);
}

function lookup(context: ConditionContext, key: string): string[] | undefined {
  const lower = key.toLowerCase();
  const found = Object.keys(context).find((k) => k.toLowerCase() === lower);
  const v = found === undefined ? undefined : context[found];
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list.length === 0 ? undefined : list;
}

/** One operator over one key. */
function evaluateKey(rawOp: string, key: string, expected: unknown, context: ConditionContext): Verdict {
  const m = /^(?:(ForAllValues|ForAnyValue):)?([A-Za-z]+?)(IfExists)?$/.exec(rawOp);
  const set = m?.[1] as 'ForAllValues' | 'ForAnyValue' | undefined;
  const base = m?.[2] ?? rawOp;
  const ifExists = !!m?.[3];
  if (!m || !SUPPORTED.includes(base) || (base === 'Null' && (ifExists || set))) {
    return refuse(`the lab does not evaluate the condition operator ${rawOp}; it evaluates ${SUPPORTED.join(', ')} (with IfExists and ForAllValues:/ForAnyValue:, except Null)`);
  }
  const wanted = policyValues(expected);
  if (!wanted) return refuse(`condition ${rawOp} ${key} has no usable value (expected a string or a list of strings)`);
  if (wanted.some((w) => w.includes('${'))) return refuse(`condition ${rawOp} ${key} uses a policy variable (${wanted.find((w) => w.includes('${'))}), which the lab does not evaluate`);
  const actual = lookup(context, key);
  const shown = actual === undefined ? 'absent' : JSON.stringify(actual.length === 1 ? actual[0] : actual);
  if (base === 'Null') {
    const holds = wanted.some((w) => (w.toLowerCase() === 'true' ? actual === undefined : w.toLowerCase() === 'false' ? actual !== undefined : false));
    return holds ? { holds } : fails(`condition Null ${key}: the key is ${actual === undefined ? 'absent' : 'present'}, expected ${wanted.join(' or ')} (true = absent)`);
  }
  const negated = Object.hasOwn(NEGATED, base);
  const match = MATCHERS[negated ? NEGATED[base]! : base]!;
  if (actual === undefined) {
    if (set === 'ForAllValues') return { holds: true };
    if (set === 'ForAnyValue') return fails(`condition ${rawOp} ${key}: the key is absent from this request, and ForAnyValue of nothing is false`);
    if (ifExists || negated) return { holds: true };
    return fails(`condition ${rawOp} ${key}: the key is absent from this request`);
  }
  const hit = (a: string) => wanted.some((e) => match(a, e));
  const ok = (a: string) => (negated ? !hit(a) : hit(a));
  let holds: boolean;
  if (set === 'ForAllValues') holds = actual.every(ok);
  else if (set === 'ForAnyValue') holds = actual.some(ok);
  else holds = negated ? !actual.some(hit) : actual.some(hit);
  return holds ? { holds } : fails(`condition ${rawOp} ${key} is ${shown}, expected ${negated ? 'none of' : ''}${negated ? ' ' : ''}${JSON.stringify(wanted.length === 1 ? wanted[0] : wanted)}`);
}

/** Evaluates a Condition block: every operator, every key must hold. */
function evaluateCondition(condition: unknown, context: ConditionContext): Verdict {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return refuse('the Condition is not an object');
  let failed: Verdict | undefined;
  for (const [rawOp, block] of Object.entries(condition as Record<string, unknown>)) {
    if (!block || typeof block !== 'object' || Array.isArray(block)) return refuse(`condition ${rawOp} is not an object of keys to values`);
    for (const [key, expected] of Object.entries(block as Record<string, unknown>)) {
      const v = evaluateKey(rawOp, key, expected, context);
      if (!v.holds && v.unsupported) return v;
      if (!v.holds) failed ??= v;
    }
  }
  return failed ?? { holds: true };
}

function statements(policy: unknown): Statement[] | string {
  let doc = policy;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return 'the policy is not valid JSON';
    }
  }
  if (!doc || typeof doc !== 'object') return 'the policy is not a JSON object';
  const st = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(st) ? st : st && typeof st === 'object' ? [st] : [];
  if (list.length === 0) return 'the policy has no Statement';
  return list as Statement[];
}

/**
 * What in `policy` the lab cannot evaluate (an operator or a value it does not support), so the
 * config can refuse it at start instead of every call being denied; undefined when all of it can be.
 */
export function unevaluableCondition(policy: unknown): string | undefined {
  const list = statements(policy);
  if (typeof list === 'string') return undefined;
  for (const [i, st] of list.entries()) {
    if (st.Condition === undefined) continue;
    const verdict = evaluateCondition(st.Condition, {});
    if (!verdict.holds && verdict.unsupported) return `${st.Sid ? `statement "${st.Sid}"` : `statement ${i + 1}`}: ${verdict.why}`;
  }
  return undefined;
}

/** Does `policy` let `who` perform every one of `actions`? */
export function evaluatePolicy(policy: unknown, who: Principal, actions: string[], context: ConditionContext = {}): PolicyDecision {
  const list = statements(policy);
  if (typeof list === 'string') return { allowed: false, reason: list };
  for (const action of actions) {
    let allowedBy: string | undefined;
    let skippedForCondition: string | undefined;
    for (const [i, st] of list.entries()) {
      const name = st.Sid ? `statement "${st.Sid}"` : `statement ${i + 1}`;
      if (!actionMatches(st, action)) continue;
      const principalOk = st.NotPrincipal !== undefined ? !principalMatches(st.NotPrincipal, who) : st.Principal === undefined ? true : principalMatches(st.Principal, who);
      if (!principalOk) continue;
      const verdict: Verdict = st.Condition === undefined ? { holds: true } : evaluateCondition(st.Condition, context);
      if (!verdict.holds && verdict.unsupported) return { allowed: false, action, unsupported: true, reason: `${name}: ${verdict.why}` };
      if (st.Effect === 'Deny' && verdict.holds) return { allowed: false, action, reason: `${name} explicitly denies ${action} to ${who.arn}` };
      if (st.Effect === 'Allow') {
        if (!verdict.holds) skippedForCondition ??= `${name} (${verdict.why})`;
        else allowedBy ??= name;
      }
    }
    if (!allowedBy) {
      return {
        allowed: false,
        action,
        reason: skippedForCondition
          ? `${skippedForCondition} would allow ${action} but its Condition does not hold`
          : `no statement allows ${action} to ${who.arn}`,
      };
    }
  }
  return { allowed: true, reason: `allows ${actions.join(' and ')} to ${who.arn}` };
}
