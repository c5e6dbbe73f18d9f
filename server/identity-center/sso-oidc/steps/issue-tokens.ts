import type { Step } from '../exchange/step.js';
import { applicationClientId } from '../tokens/application-client-id.js';

/** 15. Tokens are issued: opaque access (and refresh) token, idToken, identity context. */
export const issueTokens: Step = {
  name: 'tokens-issued',
  title: 'Identity Center tokens are issued',
  effect: true,
  async run(ctx) {
    const { settings } = ctx.profile;
    const app = ctx.application!;
    const issueRefresh = ctx.issueRefresh ?? (settings.refresh_token_issued_with_grant.value ? app.Grants.refresh_token !== undefined : true);
    ctx.result = await ctx.tokens.issue({
      application: app,
      instance: ctx.instance!,
      user: ctx.user!,
      scopes: ctx.grantedScopes!,
      // The original sign-in: kept across refreshes; the login time for a code; the subject token's for an exchange.
      authTime: ctx.refresh?.authTime ?? ctx.authTime ?? Math.floor(ctx.now / 1000),
      // Which trusted token issuer vouched: none for a code (the user signed in to Identity Center itself).
      actSub: ctx.refresh ? ctx.refresh.actSub : (ctx.actSub ?? ctx.trustedIssuer?.record.TrustedTokenIssuerArn),
      audience: await applicationClientId(ctx.ic, app),
      accessTtlSeconds: settings.access_token_ttl_seconds.value,
      refreshTtlSeconds: settings.refresh_token_ttl_seconds.value,
      issueRefresh,
    });
    // A code remembers what it produced, so a second presentation can revoke it (RFC 6749 §4.1.2).
    if (ctx.code) ctx.code.issued = { accessToken: ctx.result.accessToken, ...(ctx.result.refreshToken ? { refreshToken: ctx.result.refreshToken } : {}) };
    const noRefresh = ctx.issueRefresh === false ? ' (no refresh token: an access token was requested)' : ' (no refresh token: the application has no refresh_token grant)';
    return {
      reason: `issued an access token (${ctx.result.expiresIn} s)${ctx.result.refreshToken ? ', a refresh token' : noRefresh} and an idToken for user ${ctx.user!.UserName}`,
      facts: { issuedTokenType: ctx.result.issuedTokenType, scope: ctx.result.scope },
    };
  },
};
