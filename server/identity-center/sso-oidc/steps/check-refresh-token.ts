import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

/** The refresh_token grant: the token is known, live, unused, and was issued to this application. */
export const checkRefreshToken: Step = {
  name: 'refresh-token-valid',
  title: 'the refresh token is valid for this application',
  run(ctx) {
    const token = ctx.request.refreshToken;
    if (!token) throw new ExchangeFailure('refresh.missing', 'the refresh_token grant needs refreshToken');
    const record = ctx.tokens.refreshTokens.get(token);
    if (!record) throw new ExchangeFailure('refresh.unknown', `this refresh token was not issued by this lab (or was forgotten: when the lab restarted, or as one older than the newest ${ctx.tokens.limits.tokenTableSize} — token_table_size)`, 'exchange a new assertion with the jwt-bearer grant');
    if (record.revokedAt !== undefined) {
      throw new ExchangeFailure('refresh.revoked', 'this refresh token was already used: refresh tokens rotate, each use returns a new one', 'use the refreshToken from the latest response');
    }
    if (record.expiresAt <= ctx.now) throw new ExchangeFailure('refresh.expired', `this refresh token expired at ${new Date(record.expiresAt).toISOString()}`, 'exchange a new assertion with the jwt-bearer grant');
    if (record.applicationArn !== ctx.application!.ApplicationArn) {
      throw new ExchangeFailure('refresh.client_mismatch', `this refresh token was issued to ${record.applicationArn}, not to ${ctx.application!.ApplicationArn}`);
    }
    const user = ctx.identityStore!.Users[record.userId];
    if (!user) throw new ExchangeFailure('refresh.unknown', `the user ${record.userId} this refresh token was issued for no longer exists`);
    ctx.refresh = record;
    ctx.user = user;
    // Rotation: a real run spends the token here, atomically with the check, so two concurrent
    // refreshes with one token cannot both succeed. A read-only run only looks.
    if (!ctx.readOnly) record.revokedAt = ctx.now;
    return { reason: `refresh token of user ${user.UserName}, valid until ${new Date(record.expiresAt).toISOString()}${ctx.readOnly ? '' : '; now spent (refresh tokens rotate)'}` };
  },
};
