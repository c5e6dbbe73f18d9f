import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { AwsQueryContext, AwsQueryService } from '../../aws/aws-registry.js';
import { AwsError } from '../../aws/aws-error.js';
import { evaluatePolicy, roleArnOfSession, type ConditionContext } from '../../aws/iam/evaluate-policy.js';
import type { Principal } from '../../aws/aws-credentials.js';
import { STS_CONSTRAINTS } from '../../aws/model/constraints/sts-constraints.js';
import type { ModelCall } from '../../aws/model/model-service.js';
import { serviceModel } from '../../aws/model/service-models.js';
import { ExchangeFailure } from '../sso-oidc/exchange/exchange-failure.js';
import type { IdentityContext } from '../sso-oidc/tokens/token-service.js';
import { checkWebIdentityTimes } from './check-web-identity-times.js';
import { verifyWithIssuerKey } from '../sso-oidc/steps/verify-signature.js';
import { matchAudience } from '../sso-oidc/steps/check-audience.js';
import { stsError } from './sts-error.js';
import { accountOf, assumedRoleArn, newTemporaryCredentials, principalUniqueId } from './temporary-credentials.js';

export const IDENTITY_CENTER_CONTEXT_PROVIDER = 'arn:aws:iam::aws:contextProvider/IdentityCenter';

type StsCall = ModelCall<AwsQueryContext>;

/** A ProvidedContexts entry as the model reads it. */
interface ProvidedContext {
  ProviderArn?: string;
  ContextAssertion?: string;
}

function roleOf(ctx: AwsQueryContext, roleArn: string) {
  return ctx.lab.config.aws.roles.find((r) => r.arn === roleArn);
}

/** Issues and registers temporary credentials for a role session: the output's Credentials and AssumedRoleUser. */
function issueSession(ctx: AwsQueryContext, roleArn: string, session: string, duration: number, sessionContext: Record<string, unknown> | undefined) {
  const creds = newTemporaryCredentials();
  const expiresAt = ctx.lab.clock.now() + duration * 1000;
  const arn = assumedRoleArn(roleArn, session);
  const roleId = principalUniqueId('AROA', roleArn);
  ctx.lab.aws.credentials.addTemporary({ ...creds, accountId: accountOf(roleArn), arn, expiresAt, ...(sessionContext ? { sessionContext } : {}) });
  return {
    Credentials: { AccessKeyId: creds.accessKeyId, SecretAccessKey: creds.secretAccessKey, SessionToken: creds.sessionToken, Expiration: new Date(expiresAt) },
    AssumedRoleUser: { AssumedRoleId: `${roleId}:${session}`, Arn: arn },
  };
}

const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * The role session's parameters, read and validated by the model and STS_CONSTRAINTS: the session
 * lasts the profile's sts_default_duration_seconds when DurationSeconds is not given, and must not
 * exceed the role's MaxSessionDuration; the RoleArn must name an IAM role.
 */
function roleParams({ input, ctx }: StsCall) {
  const profile = ctx.lab.ssoOidc.profile;
  const roleArn = input.RoleArn as string;
  if (!ROLE_ARN.test(roleArn)) throw new AwsError('ValidationError', 400, `${roleArn} is invalid`);
  const duration = (input.DurationSeconds as number | undefined) ?? profile.settings.sts_default_duration_seconds.value;
  checkDuration(ctx, roleArn, duration);
  return { roleArn, session: input.RoleSessionName as string, duration };
}

/** The condition keys IAM puts in every signed request's context that trust policies use. */
export function principalKeys(caller: Principal): ConditionContext {
  // aws:PrincipalArn of a role session is the role's ARN, not the session's (IAM global condition keys).
  return { 'aws:PrincipalArn': roleArnOfSession(caller.arn) ?? caller.arn, 'aws:PrincipalAccount': caller.accountId };
}

/** The session condition keys an Identity Center context assertion sets (IdC guide, "AWS STS condition context keys for IAM Identity Center"). */
function identityCenterKeys(verified: IdentityContext): Record<string, string> {
  return {
    'identitystore:UserId': verified.userId,
    'identitystore:IdentityStoreArn': verified.identityStoreArn,
    'identitycenter:ApplicationArn': verified.applicationArn,
    'identitycenter:CredentialId': verified.credentialId,
    'identitycenter:InstanceArn': verified.instanceArn,
  };
}

/**
 * Reads ProvidedContexts: at most one assertion, from the Identity Center provider, sealed by this
 * lab and unexpired — an sts:identity_context, or an sts:audit_context ("supported for backward
 * compatibility"). Returns the request-context keys the trust policy sees (sts:RequestContextProviders,
 * sts:RequestContext/<key>) and the session's keys.
 */
function readContexts(contexts: readonly ProvidedContext[], ctx: AwsQueryContext): { requestKeys: ConditionContext; session?: Record<string, unknown> } {
  const profile = ctx.lab.ssoOidc.profile;
  if (contexts.length === 0) return { requestKeys: {} };
  for (const c of contexts) {
    if (c.ProviderArn !== IDENTITY_CENTER_CONTEXT_PROVIDER) {
      throw stsError(profile, 'context.provider_invalid', {}, `ProviderArn ${JSON.stringify(c.ProviderArn)}; the Identity Center context provider is ${IDENTITY_CENTER_CONTEXT_PROVIDER}`);
    }
  }
  if (contexts.length > 1) {
    throw stsError(profile, 'context.more_than_one', {}, `${contexts.length} context assertions; a session carries one, sts:identity_context or sts:audit_context, not both`);
  }
  const verified = ctx.lab.ssoOidc.tokens.verifyIdentityContext(contexts[0]!.ContextAssertion ?? '', Object.values(ctx.lab.identityCenter.state.read.instances));
  if ('error' in verified) {
    throw stsError(profile, verified.error.includes('expired') ? 'context.assertion_expired' : 'context.assertion_invalid', {}, `${verified.error}; pass awsAdditionalDetails.identityContext from CreateTokenWithIAM (the idToken's sts:identity_context claim) or its sts:audit_context claim`);
  }
  const keys = identityCenterKeys(verified);
  return {
    requestKeys: {
      'sts:RequestContextProviders': [IDENTITY_CENTER_CONTEXT_PROVIDER],
      ...Object.fromEntries(Object.entries(keys).map(([k, v]) => [`sts:RequestContext/${k}`, v])),
    },
    session: { ...keys, 'lab:context_assertion': verified.claim },
  };
}

/** The role's MaxSessionDuration: its own, or IAM's default (the profile's sts_role_max_session_duration_seconds). */
function checkDuration(ctx: AwsQueryContext, roleArn: string, duration: number): void {
  const profile = ctx.lab.ssoOidc.profile;
  const max = roleOf(ctx, roleArn)?.max_session_duration ?? profile.settings.sts_role_max_session_duration_seconds.value;
  if (duration > max) throw stsError(profile, 'parameter.duration_exceeds_max', {}, `DurationSeconds ${duration} > MaxSessionDuration ${max} of ${roleArn}`);
}

/**
 * AssumeRole, with `ProvidedContexts` from the Identity Center context provider: the result is an
 * identity-enhanced session carrying the user (identitystore:UserId and the other Identity Center
 * keys). The trust policy must allow sts:AssumeRole, and sts:SetContext when a context is provided;
 * both are evaluated with the same request context (aws:PrincipalArn, aws:PrincipalAccount and, with a
 * context, sts:RequestContextProviders and sts:RequestContext/<key>).
 */
async function assumeRole(call: StsCall) {
  const { ctx } = call;
  const profile = ctx.lab.ssoOidc.profile;
  const caller = ctx.principal!;
  const { roleArn, session, duration } = roleParams(call);
  // The context is read first: its values are part of the request context the trust policy sees.
  const { requestKeys, session: sessionContext } = readContexts((call.input.ProvidedContexts as ProvidedContext[] | undefined) ?? [], ctx);
  const role = roleOf(ctx, roleArn);
  const denied = (action: string, detail: string) => stsError(profile, 'role.not_assumable', { caller: caller.arn, role: roleArn, action }, detail);
  if (!role) throw denied('sts:AssumeRole', `role ${roleArn} is not declared in the lab config (aws.roles)`);
  const actions = sessionContext ? ['sts:AssumeRole', 'sts:SetContext'] : ['sts:AssumeRole'];
  const decision = evaluatePolicy(role.trust_policy, caller, actions, { ...principalKeys(caller), ...requestKeys });
  if (!decision.allowed) throw denied(decision.action ?? 'sts:AssumeRole', `the trust policy of ${roleArn}: ${decision.reason}`);
  return issueSession(ctx, roleArn, session, duration, sessionContext);
}

/** GetCallerIdentity: who signed the request. */
function getCallerIdentity({ ctx }: StsCall) {
  const p = ctx.principal!;
  const assumed = /^arn:aws:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/.exec(p.arn);
  const userId = assumed
    ? `${principalUniqueId('AROA', `arn:aws:iam::${p.accountId}:role/${assumed[1]}`)}:${assumed[2]}`
    : p.arn.endsWith(':root')
      ? p.accountId
      : principalUniqueId(p.arn.includes(':role/') ? 'AROA' : 'AIDA', p.arn);
  return { UserId: userId, Account: p.accountId, Arn: p.arn };
}

const stripScheme = (u: string) => u.replace(/^https?:\/\//, '').replace(/\/+$/, '');

/**
 * AssumeRoleWithWebIdentity (unsigned): the web identity token is checked against the IAM OIDC
 * providers in the config — issuer, signature (keys by discovery), expiry, and `aud` among the
 * provider's client ids: `aud` again, from IAM's side.
 */
async function assumeRoleWithWebIdentity(call: StsCall) {
  const { ctx } = call;
  const profile = ctx.lab.ssoOidc.profile;
  const { roleArn, session, duration } = roleParams(call);
  const token = call.input.WebIdentityToken as string;
  let payload: Record<string, unknown>;
  let header: Record<string, unknown>;
  try {
    payload = decodeJwt(token) as Record<string, unknown>;
    header = decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    throw stsError(profile, 'web_identity.bad_token', { detail: 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)' }, 'not a JWT');
  }
  const iss = typeof payload.iss === 'string' ? payload.iss : '';
  const account = accountOf(roleArn);
  const provider = ctx.lab.config.aws.oidc_providers.find((p) => stripScheme(p.url) === stripScheme(iss));
  if (!provider) throw stsError(profile, 'web_identity.no_provider', { iss: stripScheme(iss) }, `no IAM OIDC provider in aws.oidc_providers has the URL ${iss}`);
  const alg = String(header.alg);
  if (!/^(RS|PS|ES)(256|384|512)$/.test(alg)) throw stsError(profile, 'web_identity.bad_token', { detail: 'Unsupported JWT algorithm' }, `alg ${alg} is not accepted`);
  let jwk;
  try {
    jwk = (await ctx.lab.ssoOidc.issuerKeys.key(iss, typeof header.kid === 'string' ? header.kid : undefined, alg)).jwk;
  } catch (err) {
    if (err instanceof ExchangeFailure) throw stsError(profile, 'web_identity.keys_unavailable', {}, err.reason);
    throw err;
  }
  try {
    // The exchange's own signature check: the key bound to its algorithm, the token unchanged.
    await verifyWithIssuerKey(ctx.lab.ssoOidc.issuerKeys, jwk, token, alg);
  } catch (err) {
    if (!(err instanceof ExchangeFailure)) throw err;
    throw stsError(profile, 'web_identity.bad_token', { detail: 'The ID Token provided is not valid: the signature does not verify' }, err.reason);
  }
  const timeProblem = checkWebIdentityTimes(payload, ctx.lab.clock.now(), profile);
  if (timeProblem) throw timeProblem;
  // The exchange's own aud reading: a string or an array of strings, one of them a client id of the provider.
  const { match: matched } = matchAudience(payload.aud, provider.client_ids);
  if (matched === undefined) {
    throw stsError(profile, 'web_identity.bad_audience', {}, `aud ${JSON.stringify(payload.aud)} is not among the provider's client ids ${JSON.stringify(provider.client_ids)}`);
  }
  const role = roleOf(ctx, roleArn);
  const host = stripScheme(provider.url);
  const providerArn = `arn:aws:iam::${account}:oidc-provider/${host}`;
  const federated: Principal = { accessKeyId: '', accountId: account, arn: providerArn };
  const conditions: ConditionContext = { [`${host}:aud`]: matched, [`${host}:sub`]: typeof payload.sub === 'string' ? payload.sub : undefined };
  const decision = role ? evaluatePolicy(role.trust_policy, federated, ['sts:AssumeRoleWithWebIdentity'], conditions) : { allowed: false, reason: `role ${roleArn} is not declared in aws.roles` };
  if (!decision.allowed) throw stsError(profile, 'web_identity.not_assumable', {}, decision.reason);
  const issued = issueSession(ctx, roleArn, session, duration, undefined);
  return { Credentials: issued.Credentials, SubjectFromWebIdentityToken: String(payload.sub ?? ''), AssumedRoleUser: issued.AssumedRoleUser, Provider: host, Audience: matched };
}

/**
 * STS (awsQuery, Version 2011-06-15) on the model: STS's model (loaded on the first call) reads the form and writes the
 * response XML from the output shapes; STS_CONSTRAINTS holds the lengths, ranges and patterns. The
 * behaviour profile's `sts_failures` give the refusals' codes and messages (sts-error.ts); STS's
 * common errors (AccessDenied, ValidationError) are answered by any action, as the real one does.
 */
export function stsService(): AwsQueryService {
  return {
    modelName: 'sts',
    get model() {
      return serviceModel('sts');
    },
    constraints: STS_CONSTRAINTS,
    commonErrors: ['AccessDenied', 'ValidationError', 'ValidationException'],
    unsignedActions: ['AssumeRoleWithWebIdentity'],
    handlers: {
      AssumeRole: assumeRole,
      AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
      GetCallerIdentity: getCallerIdentity,
    },
  };
}
