import type { Principal } from '../aws-credentials.js';

/**
 * A small evaluator for the resource-policy documents the lab meets: an application's ActorPolicy
 * (who may call sso-oauth:CreateTokenWithIAM) and a role's trust policy (who may sts:AssumeRole /
 * sts:SetContext). It honours Effect, Principal (AWS account, root, user, role, assumed-role session,
 * "*"), Action and NotAction with wildcards, and an explicit Deny winning over any Allow.
 * Conditions are not evaluated: a statement with a Condition is reported and treated as not matching
 * an Allow (never silently widened).
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
export function evaluatePolicy(policy: unknown, who: Principal, actions: string[]): PolicyDecision {
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
      if (st.Effect === 'Deny') return { allowed: false, reason: `${name} explicitly denies ${action} to ${who.arn}` };
      if (st.Effect === 'Allow') {
        if (st.Condition !== undefined) skippedForCondition = name;
        else allowedBy ??= name;
      }
    }
    if (!allowedBy) {
      return {
        allowed: false,
        reason: skippedForCondition
          ? `${skippedForCondition} would allow ${action} but has a Condition, which the lab does not evaluate`
          : `no statement allows ${action} to ${who.arn}`,
      };
    }
  }
  return { allowed: true, reason: `allows ${actions.join(' and ')} to ${who.arn}` };
}
