import type { Step } from '../exchange/step.js';

/**
 * CreateToken: an access token and, if the client registered the refresh_token grant, a refresh
 * token — carrying the scopes the client registered (CreateToken's `scope` has no effect, model
 * doc string). No idToken (the model says it is not supported).
 */
export const issueClientTokens: Step = {
  name: 'client-tokens-issued',
  title: 'tokens are issued to the public client',
  effect: true,
  run(ctx) {
    const { settings } = ctx.profile;
    const client = ctx.publicClient!;
    const result = ctx.tokens.issueForClient({
      clientId: client.clientId,
      instance: ctx.instance!,
      user: ctx.user!,
      scopes: client.scopes,
      authTime: ctx.authTime ?? Math.floor(ctx.now / 1000),
      accessTtlSeconds: settings.access_token_ttl_seconds.value,
      refreshTtlSeconds: settings.refresh_token_ttl_seconds.value,
      issueRefresh: client.grantTypes.includes('refresh_token'),
    });
    if (ctx.code) ctx.code.issued = { accessToken: result.accessToken, ...(result.refreshToken ? { refreshToken: result.refreshToken } : {}) };
    ctx.output = { ...result };
    return {
      reason: `issued an access token (${result.expiresIn} s)${result.refreshToken ? ' and a refresh token' : ' (no refresh token: the client did not register the refresh_token grant)'} for user ${ctx.user!.UserName}`,
      facts: { scopes: client.scopes },
    };
  },
};
