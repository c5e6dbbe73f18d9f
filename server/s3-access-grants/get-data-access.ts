import { AwsError } from '../aws/aws-error.js';
import type { AwsCallContext } from '../aws/aws-registry.js';
import type { Principal } from '../aws/aws-credentials.js';
import { evaluatePolicy, roleArnOfSession } from '../aws/iam/evaluate-policy.js';
import type { ModelCall, ModelHandler } from '../aws/model/model-service.js';
import type { AccessGrantRecord, AccessGrantsInstanceRecord, IdentityCenterState } from '../identity-center/state/model.js';
import { accountOf, assumedRoleArn, newTemporaryCredentials } from '../identity-center/sts/temporary-credentials.js';
import type { ExchangeLogEntry } from '../identity-center/sso-oidc/exchange/exchange-log.js';
import type { TraceEntry } from '../identity-center/sso-oidc/exchange/trace.js';
import { instanceOf, paginate, refuse, requestAccount } from './access-grants-operations.js';
import { isS3Target, permissionCovers, scopeCovers, scopeSpecificity } from './grant-scope.js';

type Call = ModelCall<AwsCallContext>;

/** The service principal S3 Access Grants assumes location roles as (GetDataAccess, "Additional Permissions"). */
export const ACCESS_GRANTS_SERVICE_PRINCIPAL = 'access-grants.s3.amazonaws.com';

/** Who is asking: the IAM identity behind the credentials and, for an identity-enhanced session, the directory user and their groups. */
export interface DataAccessCaller {
  /** The IAM grantee the call matches: a role's ARN for a role session, else the user's ARN. */
  iamArn: string;
  directory?: { userId: string; groupIds: string[]; instanceArn: string; identityStoreId: string; keys: Record<string, unknown> };
  /** Why there is no directory identity, when there is none. */
  noDirectory?: string;
}

export function dataAccessCaller(state: IdentityCenterState, principal: Principal, instance: AccessGrantsInstanceRecord): DataAccessCaller {
  const iamArn = roleArnOfSession(principal.arn) ?? principal.arn;
  const keys = principal.sessionContext;
  const userId = keys?.['identitystore:UserId'];
  if (typeof userId !== 'string') return { iamArn, noDirectory: 'the credentials carry no identity context (not an identity-enhanced session: AssumeRole with ProvidedContexts from CreateTokenWithIAM)' };
  const icArn = String(keys?.['identitycenter:InstanceArn']);
  if (!instance.IdentityCenterArn) return { iamArn, noDirectory: `the session is identity-enhanced (user ${userId}), but the S3 Access Grants instance is not associated with Identity Center` };
  if (instance.IdentityCenterArn !== icArn) return { iamArn, noDirectory: `the session's user ${userId} is from ${icArn}, the S3 Access Grants instance is associated with ${instance.IdentityCenterArn}` };
  const storeId = state.instances[icArn]?.IdentityStoreId ?? '';
  const store = state.identityStores[storeId];
  const groupIds = store ? Object.values(store.Memberships).filter((m) => m.MemberId.UserId === userId).map((m) => m.GroupId) : [];
  return { iamArn, directory: { userId, groupIds, instanceArn: icArn, identityStoreId: storeId, keys: keys ?? {} } };
}

/** One grant as GetDataAccess weighed it: whether it applies, and why (the explain output). */
export interface ConsideredGrant {
  AccessGrantId: string;
  Grantee: AccessGrantRecord['Grantee'];
  Permission: string;
  GrantScope: string;
  matches: boolean;
  reason: string;
}

/** Whether a grant's grantee is the caller: the directory user, one of their groups, or the IAM identity. */
function granteeMatches(grant: AccessGrantRecord, caller: DataAccessCaller): string | undefined {
  const { GranteeType: type, GranteeIdentifier: id } = grant.Grantee;
  if (type === 'IAM') return id === caller.iamArn ? undefined : `grantee IAM ${id} is not the caller's IAM identity ${caller.iamArn}`;
  if (!caller.directory) return `grantee ${type} ${id}: ${caller.noDirectory}`;
  if (type === 'DIRECTORY_USER') return id === caller.directory.userId ? undefined : `grantee user ${id} is not the session's user ${caller.directory.userId}`;
  return caller.directory.groupIds.includes(id) ? undefined : `grantee group ${id} is not among the user's groups (${caller.directory.groupIds.join(', ') || 'none'})`;
}

/**
 * Weighs every grant of the instance for a target and permission: a grant applies when its grantee
 * is the caller (directory user, one of the user's groups, or — for any caller, identity-enhanced
 * or not — the IAM identity), its permission covers the one asked (READWRITE covers READ and WRITE)
 * and its scope covers the target. The most specific applicable scope wins; among equally specific
 * ones the exact permission, then user over group over IAM, then the oldest grant (assumed).
 */
export function weighGrants(instance: AccessGrantsInstanceRecord, caller: DataAccessCaller, target: string, permission: string, targetIsObject: boolean): { considered: ConsideredGrant[]; best?: AccessGrantRecord } {
  const considered: ConsideredGrant[] = [];
  const applicable: AccessGrantRecord[] = [];
  for (const grant of Object.values(instance.Grants)) {
    const why =
      granteeMatches(grant, caller) ??
      (permissionCovers(grant.Permission, permission) ? undefined : `${grant.Permission} does not cover ${permission}`) ??
      (scopeCovers(grant.GrantScope, target, targetIsObject) ? undefined : `scope ${grant.GrantScope} does not cover ${target}`);
    considered.push({ AccessGrantId: grant.AccessGrantId, Grantee: grant.Grantee, Permission: grant.Permission, GrantScope: grant.GrantScope, matches: why === undefined, reason: why ?? `applies (scope specificity ${scopeSpecificity(grant.GrantScope)})` });
    if (why === undefined) applicable.push(grant);
  }
  const rank = { DIRECTORY_USER: 0, DIRECTORY_GROUP: 1, IAM: 2 } as const;
  applicable.sort(
    (a, b) =>
      scopeSpecificity(b.GrantScope) - scopeSpecificity(a.GrantScope) ||
      Number(b.Permission === permission) - Number(a.Permission === permission) ||
      rank[a.Grantee.GranteeType] - rank[b.Grantee.GranteeType] ||
      a.CreatedAt - b.CreatedAt,
  );
  return { considered, ...(applicable[0] ? { best: applicable[0] } : {}) };
}

const explainLines = (considered: ConsideredGrant[]) =>
  considered.length === 0 ? 'the instance has no grants' : considered.map((c) => `${c.AccessGrantId} (${c.Grantee.GranteeType} ${c.Grantee.GranteeIdentifier}, ${c.Permission}, ${c.GrantScope}): ${c.reason}`).join('; ');

/** The S3 actions the lab records for a permission (the location role's policy in aws-samples/s3-access-grants-workshop). */
const ACTIONS = {
  READ: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAcl', 's3:GetObjectVersionAcl', 's3:ListMultipartUploadParts', 's3:ListBucket'],
  WRITE: ['s3:PutObject', 's3:PutObjectAcl', 's3:PutObjectVersionAcl', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload'],
} as const;

/**
 * GetDataAccess as named steps, each recorded in the trace the exchange log keeps (`GET
 * /_lab/exchanges`, operation GetDataAccess): which grants were weighed and why each applies or not,
 * the location role's trust, the duration, the credentials vended.
 */
function dataAccessSteps(call: Call, trace: TraceEntry[], step: { name: string }): Record<string, unknown> {
  const { lab } = call.ctx;
  const profile = lab.ssoOidc.profile;
  const pass = (name: string, title: string, reason: string, facts?: Record<string, unknown>) => trace.push({ step: name, title, verdict: 'pass', reason, ...(facts ? { facts } : {}) });
  step.name = 'instance-exists';
  const account = requestAccount(call);
  const state = lab.identityCenter.state.read;
  const instance = instanceOf(call, state, account);
  pass('instance-exists', 'The account has an S3 Access Grants instance', instance.AccessGrantsInstanceArn);
  const target = call.input.Target as string;
  const permission = call.input.Permission as 'READ' | 'WRITE' | 'READWRITE';
  const privilege = (call.input.Privilege as string | undefined) ?? 'Default';
  const targetIsObject = call.input.TargetType === 'Object';
  const duration = (call.input.DurationSeconds as number | undefined) ?? profile.settings.s3_access_grants_default_duration_seconds.value;
  const denied = (detail: string) => refuse(call, 'data_access.denied', detail, { permission, target });
  step.name = 'target-is-s3-path';
  if (!isS3Target(target)) throw denied(`target ${JSON.stringify(target)} is not an S3 path (s3://<bucket>/<key or prefix>)`);
  const caller = dataAccessCaller(state, call.ctx.principal, instance);
  pass('caller-resolved', 'Who is asking', caller.directory ? `directory user ${caller.directory.userId} (groups: ${caller.directory.groupIds.join(', ') || 'none'}) and IAM identity ${caller.iamArn}` : `IAM identity ${caller.iamArn} only: ${caller.noDirectory}`, {
    iam: caller.iamArn,
    ...(caller.directory ? { userId: caller.directory.userId, groupIds: caller.directory.groupIds } : {}),
  });
  const { considered, best } = weighGrants(instance, caller, target, permission, targetIsObject);
  for (const c of considered) trace.push({ step: `grant ${c.AccessGrantId}`, title: `${c.Grantee.GranteeType} ${c.Grantee.GranteeIdentifier}: ${c.Permission} on ${c.GrantScope}`, verdict: c.matches ? 'pass' : 'skip', reason: c.reason });
  step.name = 'grant-matched';
  if (!best) throw denied(`no grant of ${instance.AccessGrantsInstanceArn} gives ${caller.directory ? `user ${caller.directory.userId}, their groups or ` : ''}${caller.iamArn} ${permission} on ${target}. Grants considered: ${explainLines(considered)}`);
  pass('grant-matched', 'The most specific applicable grant', `${best.AccessGrantId}: ${best.Permission} on ${best.GrantScope} for ${best.Grantee.GranteeType} ${best.Grantee.GranteeIdentifier}`, { MatchedGrantTarget: best.GrantScope });
  const location = instance.Locations[best.AccessGrantsLocationId]!;
  // S3 Access Grants assumes the location's role as its service principal.
  step.name = 'location-role-assumable';
  const role = lab.config.aws.roles.find((r) => r.arn === location.IAMRoleArn);
  const contextAction = best.Grantee.GranteeType === 'IAM' ? 'sts:SetSourceIdentity' : 'sts:SetContext';
  const service: Principal = { accessKeyId: '', accountId: '', arn: ACCESS_GRANTS_SERVICE_PRINCIPAL };
  const stsRefusal = (action: string, detail: string) => refuse(call, 'data_access.sts_not_authorized', `grant ${best.AccessGrantId} matched, but ${detail}`, { action, role: location.IAMRoleArn });
  if (!role) throw stsRefusal('sts:AssumeRole', `its location's role ${location.IAMRoleArn} is not declared in the lab config (aws.roles)`);
  const decision = evaluatePolicy(role.trust_policy, service, ['sts:AssumeRole', contextAction], { 'aws:SourceAccount': account, 'aws:SourceArn': instance.AccessGrantsInstanceArn });
  if (!decision.allowed) throw stsRefusal(decision.action ?? 'sts:AssumeRole', `the trust policy of ${location.IAMRoleArn} does not let ${ACCESS_GRANTS_SERVICE_PRINCIPAL} ${decision.action ?? 'sts:AssumeRole'}: ${decision.reason}`);
  pass('location-role-assumable', "The location's role trusts S3 Access Grants", `${location.IAMRoleArn} allows ${ACCESS_GRANTS_SERVICE_PRINCIPAL} sts:AssumeRole and ${contextAction}`);
  step.name = 'duration-allowed';
  const maxSession = role.max_session_duration ?? profile.settings.sts_role_max_session_duration_seconds.value;
  if (duration > maxSession) throw refuse(call, 'data_access.sts_validation', `durationSeconds ${duration} > MaxSessionDuration ${maxSession} of the location role ${location.IAMRoleArn}`);
  pass('duration-allowed', 'The duration fits the role', `${duration} s ≤ MaxSessionDuration ${maxSession} s`);
  const scope = privilege === 'Minimal' ? target : best.GrantScope;
  const creds = newTemporaryCredentials();
  const expiresAt = lab.clock.now() + duration * 1000;
  const session = `access-grants-${creds.accessKeyId.slice(-8).toLowerCase()}`;
  const actions = permission === 'READWRITE' ? [...ACTIONS.READ, ...ACTIONS.WRITE] : [...ACTIONS[permission]];
  const directoryKeys = best.Grantee.GranteeType !== 'IAM' && caller.directory ? caller.directory.keys : {};
  const grantInfo = { instanceArn: instance.AccessGrantsInstanceArn, grantId: best.AccessGrantId, matchedGrantTarget: best.GrantScope, scope, permission, privilege, actions, grantee: best.Grantee };
  lab.aws.credentials.addTemporary({
    ...creds,
    accountId: accountOf(location.IAMRoleArn),
    arn: assumedRoleArn(location.IAMRoleArn, session),
    expiresAt,
    sessionContext: { ...directoryKeys, 'lab:access_grants': grantInfo },
  });
  pass('credentials-vended', 'Temporary credentials of the location role', `${creds.accessKeyId}, ${privilege} privilege: ${permission} on ${scope} until ${new Date(expiresAt).toISOString()}`, { accessKeyId: creds.accessKeyId, scope, actions });
  return {
    Credentials: { AccessKeyId: creds.accessKeyId, SecretAccessKey: creds.secretAccessKey, SessionToken: creds.sessionToken, Expiration: new Date(expiresAt) },
    MatchedGrantTarget: best.GrantScope,
    Grantee: best.Grantee,
  };
}

const getDataAccess: ModelHandler = (call) => {
  const trace: TraceEntry[] = [];
  const step = { name: 'request' };
  const record = (outcome: 'success' | 'failure', failure?: ExchangeLogEntry['failure']) =>
    call.ctx.lab.ssoOidc.exchanges.record({ time: new Date(call.ctx.lab.clock.now()).toISOString(), operation: 'GetDataAccess', grantType: null, clientId: null, caller: call.ctx.principal.arn, outcome, ...(failure ? { failure } : {}), trace });
  try {
    const out = dataAccessSteps(call, trace, step);
    record('success');
    return out;
  } catch (err) {
    if (err instanceof AwsError) {
      const reason = err.detail ?? err.message;
      const key = reason.split(':')[0]!;
      trace.push({ step: step.name, title: 'Refused', verdict: 'fail', reason, failure: key });
      record('failure', { key, exception: err.type, status: err.status, error: err.type, step: step.name, reason });
    }
    throw err;
  }
};

/**
 * ListCallerAccessGrants: the grants that apply to the caller (the same grantee rule as
 * GetDataAccess), optionally those whose scope starts with `grantscope`.
 */
const listCallerAccessGrants: ModelHandler = (call) => {
  const account = requestAccount(call);
  const state = call.ctx.lab.identityCenter.state.read;
  const instance = instanceOf(call, state, account);
  const caller = dataAccessCaller(state, call.ctx.principal, instance);
  const prefix = call.input.GrantScope as string | undefined;
  const mine = Object.values(instance.Grants).filter((g) => granteeMatches(g, caller) === undefined && (prefix === undefined || g.GrantScope.startsWith(prefix)));
  const { page, NextToken } = paginate(mine, call);
  return { CallerAccessGrantsList: page.map((g) => ({ Permission: g.Permission, GrantScope: g.GrantScope, ...(g.ApplicationArn ? { ApplicationArn: g.ApplicationArn } : {}) })), ...(NextToken ? { NextToken } : {}) };
};

export const DATA_ACCESS_OPERATIONS: Record<string, ModelHandler> = {
  GetDataAccess: getDataAccess,
  ListCallerAccessGrants: listCallerAccessGrants,
};
