import { Pipeline, type FlowContext } from '../exchange/pipeline.js';
import type { AnyStep } from '../exchange/step.js';
import { checkFormSameOrigin } from '../steps/check-form-same-origin.js';
import { checkClientIsApplication } from '../steps/check-client-is-application.js';
import { checkCallerAllowed } from '../steps/check-caller-allowed.js';
import { checkGrantConfigured } from '../steps/check-grant-configured.js';
import { checkAssertionWellFormed } from '../steps/check-assertion-well-formed.js';
import { checkIssuerTrusted } from '../steps/check-issuer-trusted.js';
import { fetchIssuerKeys, verifySignature } from '../steps/verify-signature.js';
import { checkTokenTimes } from '../steps/check-token-times.js';
import { checkAudience } from '../steps/check-audience.js';
import { checkRequiredClaims } from '../steps/check-required-claims.js';
import { resolveUser } from '../steps/resolve-user.js';
import { checkUserAssigned } from '../steps/check-user-assigned.js';
import { checkNotReplayed } from '../steps/check-not-replayed.js';
import { checkScopesAllowed } from '../steps/check-scopes-allowed.js';
import { issueTokens } from '../steps/issue-tokens.js';
import { checkRefreshToken } from '../steps/check-refresh-token.js';
import { checkCodeValid } from '../steps/check-code-valid.js';
import { checkRedirectUriMatches } from '../steps/check-redirect-uri-matches.js';
import { checkPkce } from '../steps/check-pkce.js';
import { checkSubjectToken } from '../steps/check-subject-token.js';
import { checkRequestedTokenType } from '../steps/check-requested-token-type.js';
import { checkPublicClient } from '../steps/check-public-client.js';
import { checkPublicGrant } from '../steps/check-public-grant.js';
import { checkDeviceCode } from '../steps/check-device-code.js';
import { checkEntitledAssignment } from '../steps/check-entitled-assignment.js';
import { checkClientMetadata } from '../steps/check-client-metadata.js';
import { registerPublicClient } from '../steps/register-public-client.js';
import { beginDeviceAuthorization, checkStartUrl } from '../steps/begin-device-authorization.js';
import { checkAuthorizeClient, checkAuthorizeGrant, checkAuthorizeParametersUnique } from '../steps/check-authorize-client.js';
import { checkAuthorizeRedirectUri } from '../steps/check-authorize-redirect-uri.js';
import { checkAuthorizeScopes, checkCodeChallenge, checkResponseType } from '../steps/check-authorize-request.js';
import { checkAuthorizeUser, issueAuthorizationCode } from '../steps/issue-authorization-code.js';
import { checkUserCode, checkVerifyingUser, recordDeviceDecision } from '../steps/check-user-code.js';
import { DEVICE_CODE_GRANT } from '../oauth-server/public-clients.js';

/**
 * Every flow of SSO OIDC as a typed pipeline of named steps, grouped by flow. One table:
 * CreateTokenWithIAM, CreateToken, the OAuth server's pages, `explain` and the docs all read it, so
 * "why was this token rejected" has one source of truth. Each flow's context type is what its
 * steps established (`FlowContext`).
 */

// CreateTokenWithIAM: every grant starts with which application, may the caller act for it, has it this grant.
const iam = () => Pipeline.for('application').then(checkClientIsApplication).then(checkCallerAllowed).then(checkGrantConfigured);

export const JWT_BEARER_FLOW = iam()
  .then(checkAssertionWellFormed)
  .then(checkIssuerTrusted)
  .then(fetchIssuerKeys)
  .then(verifySignature)
  .then(checkTokenTimes)
  .then(checkAudience)
  .then(checkRequiredClaims)
  .then(resolveUser)
  .then(checkUserAssigned)
  .then(checkNotReplayed)
  .then(checkScopesAllowed)
  .effect(issueTokens);
export const REFRESH_TOKEN_FLOW = iam().then(checkRefreshToken).then(checkScopesAllowed).effect(issueTokens);
export const AUTHORIZATION_CODE_FLOW = iam().then(checkCodeValid).then(checkRedirectUriMatches).then(checkPkce).then(checkUserAssigned).then(checkScopesAllowed).effect(issueTokens);
export const TOKEN_EXCHANGE_FLOW = iam().then(checkSubjectToken).then(checkRequestedTokenType).then(checkUserAssigned).then(checkScopesAllowed).effect(issueTokens);

export type JwtBearerContext = FlowContext<typeof JWT_BEARER_FLOW>;
export type RefreshTokenContext = FlowContext<typeof REFRESH_TOKEN_FLOW>;
export type AuthorizationCodeContext = FlowContext<typeof AUTHORIZATION_CODE_FLOW>;
export type TokenExchangeContext = FlowContext<typeof TOKEN_EXCHANGE_FLOW>;

/** CreateTokenWithIAM's flows, per grant type. */
export const IAM_FLOWS = {
  'urn:ietf:params:oauth:grant-type:jwt-bearer': JWT_BEARER_FLOW,
  refresh_token: REFRESH_TOKEN_FLOW,
  authorization_code: AUTHORIZATION_CODE_FLOW,
  'urn:ietf:params:oauth:grant-type:token-exchange': TOKEN_EXCHANGE_FLOW,
} as const;

/** The flow a CreateTokenWithIAM request runs: its grant's, or the common steps alone (which refuse an unknown grant). */
export function iamFlowFor(grantType: string | undefined): (typeof IAM_FLOWS)[keyof typeof IAM_FLOWS] | ReturnType<typeof iam> {
  return grantType !== undefined && Object.hasOwn(IAM_FLOWS, grantType) ? IAM_FLOWS[grantType as keyof typeof IAM_FLOWS] : iam();
}

/** Steps every grant starts with: which application, may the caller act for it, has it this grant. */
export const COMMON_STEPS: readonly AnyStep[] = iam().steps;

/** The steps after the common ones, per grant type. */
export const GRANT_STEPS: Record<string, readonly AnyStep[]> = Object.fromEntries(Object.entries(IAM_FLOWS).map(([grant, flow]) => [grant, flow.steps.slice(COMMON_STEPS.length)]));

export function stepsFor(grantType: string | undefined): readonly AnyStep[] {
  return iamFlowFor(grantType).steps;
}

// CreateToken (public clients): every grant starts by authenticating the client and checking its registration.
const publicClient = () => Pipeline.for('public').then(checkPublicClient).then(checkPublicGrant);

export const DEVICE_CODE_FLOW = publicClient().then(checkDeviceCode).then(checkEntitledAssignment).effect(issueTokens);
export const PUBLIC_AUTHORIZATION_CODE_FLOW = publicClient().then(checkCodeValid).then(checkRedirectUriMatches).then(checkPkce).then(checkEntitledAssignment).effect(issueTokens);
export const PUBLIC_REFRESH_TOKEN_FLOW = publicClient().then(checkRefreshToken).effect(issueTokens);

export type DeviceCodeContext = FlowContext<typeof DEVICE_CODE_FLOW>;
export type PublicAuthorizationCodeContext = FlowContext<typeof PUBLIC_AUTHORIZATION_CODE_FLOW>;
export type PublicRefreshTokenContext = FlowContext<typeof PUBLIC_REFRESH_TOKEN_FLOW>;

/** CreateToken's flows, per grant type. */
export const PUBLIC_FLOWS = {
  [DEVICE_CODE_GRANT]: DEVICE_CODE_FLOW,
  authorization_code: PUBLIC_AUTHORIZATION_CODE_FLOW,
  refresh_token: PUBLIC_REFRESH_TOKEN_FLOW,
} as const;

export const PUBLIC_COMMON_STEPS: readonly AnyStep[] = publicClient().steps;

/** CreateToken's steps after the common ones, per grant type. */
export const PUBLIC_GRANT_STEPS: Record<string, readonly AnyStep[]> = Object.fromEntries(Object.entries(PUBLIC_FLOWS).map(([grant, flow]) => [grant, flow.steps.slice(PUBLIC_COMMON_STEPS.length)]));

/** The flow a CreateToken request runs: its grant's, or the common steps alone (which refuse an unknown grant). */
export function publicFlowFor(grantType: string | undefined): (typeof PUBLIC_FLOWS)[keyof typeof PUBLIC_FLOWS] | ReturnType<typeof publicClient> {
  return grantType !== undefined && Object.hasOwn(PUBLIC_FLOWS, grantType) ? PUBLIC_FLOWS[grantType as keyof typeof PUBLIC_FLOWS] : publicClient();
}

/** RegisterClient. */
export const REGISTER_CLIENT_FLOW = Pipeline.for<'registration'>('public').then(checkClientMetadata).effect(registerPublicClient);

/** StartDeviceAuthorization (run with grantType set to the device_code grant). */
export const START_DEVICE_AUTHORIZATION_FLOW = Pipeline.for('public').then(checkPublicClient).then(checkPublicGrant).then(checkStartUrl).effect(beginDeviceAuthorization);

/** The authorize endpoint: checks that hold for the login page (GET) and the login form (POST). */
const authorize = (p: Pipeline<'authorize', never, 'authorize'>) =>
  p.then(checkAuthorizeParametersUnique).then(checkAuthorizeClient).then(checkAuthorizeGrant).then(checkAuthorizeRedirectUri).then(checkResponseType).then(checkCodeChallenge).then(checkAuthorizeScopes);
export const AUTHORIZE_FLOW = authorize(Pipeline.for<'authorize'>());

/** The login form posted: from the lab's own page, the same checks, then the user, then a code. */
export const AUTHORIZE_SIGN_IN_FLOW = authorize(Pipeline.for<'authorize'>().then(checkFormSameOrigin)).then(checkAuthorizeUser).effect(issueAuthorizationCode);

/** The device verification page: showing it, and the user's decision. */
export const VERIFICATION_FLOW = Pipeline.for<'verification'>().then(checkUserCode);
export const VERIFICATION_DECISION_FLOW = Pipeline.for<'verification'>().then(checkFormSameOrigin).then(checkUserCode).then(checkVerifyingUser).effect(recordDeviceDecision);

export type AuthorizeContext = FlowContext<typeof AUTHORIZE_FLOW>;
export type AuthorizeSignInContext = FlowContext<typeof AUTHORIZE_SIGN_IN_FLOW>;
export type VerificationContext = FlowContext<typeof VERIFICATION_FLOW>;
export type VerificationDecisionContext = FlowContext<typeof VERIFICATION_DECISION_FLOW>;

export const AUTHORIZE_STEPS = AUTHORIZE_FLOW.steps;
export const AUTHORIZE_SIGN_IN_STEPS = AUTHORIZE_SIGN_IN_FLOW.steps;
