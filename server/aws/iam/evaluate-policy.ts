import type { Principal } from '../aws-credentials.js';

/**
 * A small evaluator for the resource-policy documents the lab meets: an application's ActorPolicy
 * (who may call sso-oauth:CreateTokenWithIAM) and a role's trust policy (who may sts:AssumeRole /
 * sts:SetContext, sts:AssumeRoleWithWebIdentity). It honours Effect, Principal (AWS account, root,
 * user, role, assumed-role session, Federated, "*"), Action and NotAction with wildcards, the common
 * string, ARN and Bool condition operators over the request context the caller supplies, and an
 * explicit Deny winning over any Allow. A condition the lab cannot evaluate (unknown operator, key
 * absent from the context) does not match, so an Allow is never silently widened.
 */

export interface PolicyDecision {
  allowed: boolean;
  /** Why, for traces and `x-tti-lab-reason`. */
  reason: string;
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

const wildcard = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(value);

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

export type ConditionContext = Record<string, string | string[] | undefined>;

const OPERATORS: Record<string, (actual: string, expected: string) => boolean> = {
  StringEquals: (a, e) => a === e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringLike: (a, e) => wildcard(e, a),
  ArnEquals: (a, e) => a === e,
  ArnLike: (a, e) => wildcard(e, a),
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
};
const NEGATED: Record<string, string> = { StringNotEquals: 'StringEquals', StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase', StringNotLike: 'StringLike', ArnNotEquals: 'ArnEquals', ArnNotLike: 'ArnLike' };

/** Evaluates a Condition block; returns why it does not hold, or undefined when it holds. */
function conditionFails(condition: unknown, context: ConditionContext): string | undefined {
  if (!condition || typeof condition !== 'object') return 'the Condition is not an object';
  for (const [rawOp, block] of Object.entries(condition as Record<string, unknown>)) {
    const anyValue = rawOp.startsWith('ForAnyValue:');
    const op = rawOp.replace(/^(ForAnyValue|ForAllValues):/, '');
    const negated = Object.hasOwn(NEGATED, op);
    const fn = OPERATORS[negated ? NEGATED[op]! : op];
    if (!fn) return `condition operator ${rawOp} is not evaluated by the lab`;
    if (!block || typeof block !== 'object') return `condition ${rawOp} is not an object`;
    for (const [key, expected] of Object.entries(block as Record<string, unknown>)) {
      const ctxKey = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
      const actual = ctxKey === undefined ? undefined : context[ctxKey];
      if (actual === undefined) {
        if (negated) continue;
        return `condition key ${key} is not present in this request`;
      }
      const actuals = Array.isArray(actual) ? actual : [actual];
      const wanted = asList(expected);
      const hit = (a: string) => wanted.some((e) => fn(a, e));
      const holds = negated ? !actuals.some(hit) : anyValue || actuals.length > 1 ? actuals.some(hit) : hit(actuals[0]!);
      if (!holds) return `condition ${rawOp} ${key} is ${JSON.stringify(actual)}, expected ${negated ? 'none of' : ''} ${JSON.stringify(expected)}`;
    }
  }
  return undefined;
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
      const conditionProblem = st.Condition === undefined ? undefined : conditionFails(st.Condition, context);
      if (st.Effect === 'Deny' && conditionProblem === undefined) return { allowed: false, reason: `${name} explicitly denies ${action} to ${who.arn}` };
      if (st.Effect === 'Allow') {
        if (conditionProblem !== undefined) skippedForCondition = `${name} (${conditionProblem})`;
        else allowedBy ??= name;
      }
    }
    if (!allowedBy) {
      return {
        allowed: false,
        reason: skippedForCondition
          ? `${skippedForCondition} would allow ${action} but its Condition does not hold`
          : `no statement allows ${action} to ${who.arn}`,
      };
    }
  }
  return { allowed: true, reason: `allows ${actions.join(' and ')} to ${who.arn}` };
}
