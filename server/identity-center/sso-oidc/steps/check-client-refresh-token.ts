import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

/** CreateToken's refresh_token grant: the token is known, live, unused and this public client's (spent at once: they rotate). */
export const checkClientRefreshToken: Step = {
  name: 'client-refresh-token-valid',
  title: 'the refresh token is valid for this client',
  run(ctx) {
    const token = ctx.request.refreshToken;
    if (!token) throw new ExchangeFailure('refresh.missing', 'the refresh_token grant needs refreshToken');
    const record = ctx.tokens.clientRefreshTokens.get(token);
    if (!record) {
      throw new ExchangeFailure(
        'refresh.unknown',
        ctx.tokens.refreshTokens.has(token) ? 'this refresh token was issued by CreateTokenWithIAM to an application; refresh it there' : `this refresh token was not issued by this lab (or was forgotten: when the lab restarted, or as one older than the newest ${ctx.tokens.limits.tokenTableSize} — token_table_size)`,
        'sign in again (authorization code or device flow)',
      );
    }
    if (record.revokedAt !== undefined) throw new ExchangeFailure('refresh.revoked', 'this refresh token was already used (or revoked): refresh tokens rotate, each use returns a new one', 'use the refreshToken from the latest response');
    if (record.expiresAt <= ctx.now) throw new ExchangeFailure('public_refresh.expired', `this refresh token expired at ${new Date(record.expiresAt).toISOString()}`, 'sign in again');
    const client = ctx.publicClient!;
    if (record.clientId !== client.clientId) throw new ExchangeFailure('refresh.client_mismatch', `this refresh token was issued to client ${record.clientId}, not to ${client.clientId}`);
    const state = ctx.ic.state.read;
    const instance = state.instances[record.instanceArn];
    const identityStore = instance ? state.identityStores[instance.IdentityStoreId] : undefined;
    const user = identityStore?.Users[record.userId];
    if (!instance || !identityStore || !user) throw new ExchangeFailure('refresh.unknown', `the user ${record.userId} this refresh token was issued for no longer exists`);
    if (!ctx.readOnly) record.revokedAt = ctx.now;
    ctx.clientRefresh = record;
    ctx.instance = instance;
    ctx.identityStore = identityStore;
    ctx.user = user;
    ctx.authTime = record.authTime;
    return { reason: `refresh token of user ${user.UserName}${ctx.readOnly ? '' : '; now spent (refresh tokens rotate)'}` };
  },
};
