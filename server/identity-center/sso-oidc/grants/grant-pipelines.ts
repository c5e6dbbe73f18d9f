import type { Step } from '../exchange/step.js';
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
import { checkClientRefreshToken } from '../steps/check-client-refresh-token.js';
import { checkEntitledAssignment } from '../steps/check-entitled-assignment.js';
import { issueClientTokens } from '../steps/issue-client-tokens.js';
import { checkClientMetadata } from '../steps/check-client-metadata.js';
import { registerPublicClient } from '../steps/register-public-client.js';
import { beginDeviceAuthorization, checkStartUrl } from '../steps/begin-device-authorization.js';
import { checkAuthorizeClient, checkAuthorizeGrant, checkAuthorizeParametersUnique } from '../steps/check-authorize-client.js';
import { checkAuthorizeRedirectUri } from '../steps/check-authorize-redirect-uri.js';
import { checkAuthorizeScopes, checkCodeChallenge, checkResponseType } from '../steps/check-authorize-request.js';
import { checkAuthorizeUser, issueAuthorizationCode } from '../steps/issue-authorization-code.js';
import { checkUserCode, checkVerifyingUser, recordDeviceDecision } from '../steps/check-user-code.js';
import { DEVICE_CODE_GRANT } from '../oauth-server/public-clients.js';

/** Steps every grant starts with: which application, may the caller act for it, has it this grant. */
export const COMMON_STEPS: Step[] = [checkClientIsApplication, checkCallerAllowed, checkGrantConfigured];

/**
 * The steps after the common ones, per grant type. One table: CreateTokenWithIAM, `explain` and
 * the docs all read it, so "why was this token rejected" has one source of truth.
 */
export const GRANT_STEPS: Record<string, Step[]> = {
  'urn:ietf:params:oauth:grant-type:jwt-bearer': [
    checkAssertionWellFormed,
    checkIssuerTrusted,
    fetchIssuerKeys,
    verifySignature,
    checkTokenTimes,
    checkAudience,
    checkRequiredClaims,
    resolveUser,
    checkUserAssigned,
    checkNotReplayed,
    checkScopesAllowed,
    issueTokens,
  ],
  refresh_token: [checkRefreshToken, checkScopesAllowed, issueTokens],
  authorization_code: [checkCodeValid, checkRedirectUriMatches, checkPkce, checkUserAssigned, checkScopesAllowed, issueTokens],
  'urn:ietf:params:oauth:grant-type:token-exchange': [checkSubjectToken, checkRequestedTokenType, checkUserAssigned, checkScopesAllowed, issueTokens],
};

export function stepsFor(grantType: string | undefined): Step[] {
  return [...COMMON_STEPS, ...((grantType !== undefined && Object.hasOwn(GRANT_STEPS, grantType) ? GRANT_STEPS[grantType] : undefined) ?? [])];
}

/** CreateToken (public clients): every grant starts by authenticating the client and checking its registration. */
export const PUBLIC_COMMON_STEPS: Step[] = [checkPublicClient, checkPublicGrant];

/** CreateToken's steps after the common ones, per grant type. */
export const PUBLIC_GRANT_STEPS: Record<string, Step[]> = {
  [DEVICE_CODE_GRANT]: [checkDeviceCode, checkEntitledAssignment, issueClientTokens],
  authorization_code: [checkCodeValid, checkRedirectUriMatches, checkPkce, checkEntitledAssignment, issueClientTokens],
  refresh_token: [checkClientRefreshToken, issueClientTokens],
};

export function publicStepsFor(grantType: string | undefined): Step[] {
  return [...PUBLIC_COMMON_STEPS, ...((grantType !== undefined && Object.hasOwn(PUBLIC_GRANT_STEPS, grantType) ? PUBLIC_GRANT_STEPS[grantType] : undefined) ?? [])];
}

/** RegisterClient. */
export const REGISTER_CLIENT_STEPS: Step[] = [checkClientMetadata, registerPublicClient];

/** StartDeviceAuthorization (run with grantType set to the device_code grant). */
export const START_DEVICE_AUTHORIZATION_STEPS: Step[] = [checkPublicClient, checkPublicGrant, checkStartUrl, beginDeviceAuthorization];

/** The authorize endpoint: checks that hold for the login page (GET) and the login form (POST). */
export const AUTHORIZE_STEPS: Step[] = [
  checkAuthorizeParametersUnique,
  checkAuthorizeClient,
  checkAuthorizeGrant,
  checkAuthorizeRedirectUri,
  checkResponseType,
  checkCodeChallenge,
  checkAuthorizeScopes,
];

/** The login form posted: from the lab's own page, the same checks, then the user, then a code. */
export const AUTHORIZE_SIGN_IN_STEPS: Step[] = [checkFormSameOrigin, ...AUTHORIZE_STEPS, checkAuthorizeUser, issueAuthorizationCode];

/** The device verification page: showing it, and the user's decision. */
export const VERIFICATION_STEPS: Step[] = [checkUserCode];
export const VERIFICATION_DECISION_STEPS: Step[] = [checkFormSameOrigin, checkUserCode, checkVerifyingUser, recordDeviceDecision];
