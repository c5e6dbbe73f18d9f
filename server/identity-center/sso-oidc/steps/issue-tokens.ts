import type { Step } from '../exchange/step.js';
import { applicationClientId } from '../tokens/application-client-id.js';

/**
 * 15. Tokens are issued into the credential store, in the grant of what was redeemed (a code, a
 * refresh token) or a new one: an opaque access token and, when due, a refresh token.
 * To an application (CreateTokenWithIAM): with the idToken and the identity context; a refresh
 * token if the application has a refresh_token grant (or as token exchange's requestedTokenType
 * decided). To a public client (CreateToken): no idToken (the model says it is not supported), the
 * scopes the client registered (CreateToken's `scope` has no effect, model doc string), and a
 * refresh token if the client registered the refresh_token grant.
 */
export const issueTokens: Step<'client' | 'instance' | 'user'> & { effect: true } = {
  name: 'tokens-issued',
  title: 'Identity Center tokens are issued',
  forPublicClient: { name: 'client-tokens-issued', title: 'tokens are issued to the public client' },
  effect: true,
  async run(ctx) {
    const { settings } = ctx.profile;
    const { client, instance, user } = ctx;
    // grantId (and actSub below) go in as they are, set or undefined: no conditional spreads on every exchange.
    const common = {
      client: { kind: client.kind, id: client.id },
      instance,
      userId: user.UserId,
      // The original sign-in: kept across refreshes; the login time for a code or a device; the subject token's for an exchange.
      authTime: ctx.authTime ?? Math.floor(ctx.now / 1000),
      grantId: ctx.grantId,
      accessTtlSeconds: settings.access_token_ttl_seconds.value,
      refreshTtlSeconds: settings.refresh_token_ttl_seconds.value,
    };
    // A code remembers it produced tokens, so a second presentation revokes them (RFC 6749 §4.1.2).
    if (ctx.code) ctx.code.tokensIssued = true;
    if (client.kind === 'public') {
      const { scopes, grantTypes } = client.publicClient;
      const { access, refresh } = ctx.tokens.issueTokens({ ...common, scopes, issueRefresh: grantTypes.includes('refresh_token') });
      const expiresIn = common.accessTtlSeconds;
      return {
        reason: `issued an access token (${expiresIn} s)${refresh ? ' and a refresh token' : ' (no refresh token: the client did not register the refresh_token grant)'} for user ${user.UserName}`,
        facts: { scopes },
        set: { output: { accessToken: access.value, tokenType: 'Bearer', expiresIn, ...(refresh ? { refreshToken: refresh.value } : {}) } },
      };
    }
    const app = client.application;
    const scopes = ctx.grantedScopes;
    if (!scopes) throw new Error('tokens-issued ran in a pipeline without scopes-allowed'); // the lab's bug: an InternalServerException
    const issueRefresh = ctx.issueRefresh ?? (settings.refresh_token_issued_with_grant.value ? app.Grants.refresh_token !== undefined : true);
    // Which trusted token issuer vouched: carried over (refresh, token exchange), this assertion's, or none for a code.
    const actSub = ctx.actSub ?? ctx.trustedIssuer?.record.TrustedTokenIssuerArn;
    const issued = ctx.tokens.issueTokens({ ...common, scopes, actSub, issueRefresh });
    const result = await ctx.tokens.applicationResponse(issued, { application: app, instance, audience: await applicationClientId(ctx.ic, app), accessTtlSeconds: common.accessTtlSeconds });
    const noRefresh = ctx.issueRefresh === false ? ' (no refresh token: an access token was requested)' : ' (no refresh token: the application has no refresh_token grant)';
    return {
      reason: `issued an access token (${result.expiresIn} s)${result.refreshToken ? ', a refresh token' : noRefresh} and an idToken for user ${user.UserName}`,
      facts: { issuedTokenType: result.issuedTokenType, scope: result.scope },
      set: { result },
    };
  },
};
