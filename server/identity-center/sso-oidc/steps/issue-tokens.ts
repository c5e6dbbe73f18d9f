import type { Step } from '../exchange/step.js';

/** 14. Tokens are issued: opaque access (and refresh) token, idToken, identity context. */
export const issueTokens: Step = {
  name: 'tokens-issued',
  title: 'Identity Center tokens are issued',
  effect: true,
  async run(ctx) {
    const { settings } = ctx.profile;
    const app = ctx.application!;
    const issueRefresh = settings.refresh_token_issued_with_grant.value ? app.Grants.refresh_token !== undefined : true;
    ctx.result = await ctx.tokens.issue({
      application: app,
      instance: ctx.instance!,
      user: ctx.user!,
      scopes: ctx.grantedScopes!,
      authTime: ctx.refresh?.authTime ?? Math.floor(ctx.now / 1000),
      actSub: ctx.refresh ? ctx.refresh.actSub : ctx.trustedIssuer?.record.TrustedTokenIssuerArn,
      accessTtlSeconds: settings.access_token_ttl_seconds.value,
      refreshTtlSeconds: settings.refresh_token_ttl_seconds.value,
      issueRefresh,
    });
    return {
      reason: `issued an access token (${ctx.result.expiresIn} s)${ctx.result.refreshToken ? ', a refresh token' : ' (no refresh token: the application has no refresh_token grant)'} and an idToken for user ${ctx.user!.UserName}`,
      facts: { issuedTokenType: ctx.result.issuedTokenType, scope: ctx.result.scope },
    };
  },
};
