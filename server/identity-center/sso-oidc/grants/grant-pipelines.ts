import type { Step } from '../exchange/step.js';
import { checkClientIsApplication } from '../steps/check-client-is-application.js';
import { checkCallerAllowed } from '../steps/check-caller-allowed.js';
import { checkGrantConfigured } from '../steps/check-grant-configured.js';
import { checkAssertionWellFormed } from '../steps/check-assertion-well-formed.js';
import { checkIssuerTrusted } from '../steps/check-issuer-trusted.js';
import { fetchIssuerKeys, verifySignature } from '../steps/verify-signature.js';
import { checkTokenTimes } from '../steps/check-token-times.js';
import { checkAudience } from '../steps/check-audience.js';
import { resolveUser } from '../steps/resolve-user.js';
import { checkUserAssigned } from '../steps/check-user-assigned.js';
import { checkNotReplayed } from '../steps/check-not-replayed.js';
import { checkScopesAllowed } from '../steps/check-scopes-allowed.js';
import { issueTokens } from '../steps/issue-tokens.js';
import { checkRefreshToken } from '../steps/check-refresh-token.js';

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
    resolveUser,
    checkUserAssigned,
    checkNotReplayed,
    checkScopesAllowed,
    issueTokens,
  ],
  refresh_token: [checkRefreshToken, checkScopesAllowed, issueTokens],
};

export function stepsFor(grantType: string | undefined): Step[] {
  return [...COMMON_STEPS, ...((grantType !== undefined && Object.hasOwn(GRANT_STEPS, grantType) ? GRANT_STEPS[grantType] : undefined) ?? [])];
}
