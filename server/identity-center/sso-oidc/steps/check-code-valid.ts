import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { CredentialStore } from '../tokens/credential-store.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The authorization_code grant: the code is known, was issued to this client, is unused and
 * unexpired (RFC 6749 §4.1.3). It is spent here, at once, like a rotating refresh token — so an
 * intercepted code gets one try, even if a later check (redirect URI, PKCE) then fails. Presented
 * again, it is refused and the tokens it produced are revoked (RFC 6749 §4.1.2).
 */
export const checkCodeValid: Step<'client', 'code' | 'instance' | 'identityStore' | 'user' | 'authTime' | 'grantId'> = {
  name: 'code-valid',
  title: 'the authorization code is known, this client\'s, unused and unexpired',
  run(ctx) {
    const code = ctx.request.code;
    if (!code) throw new ExchangeFailure('code.missing', 'the authorization_code grant needs code (from the redirect after sign-in)');
    const record = ctx.tokens.credentials.find('authorization_code', code);
    if (!record) {
      throw new ExchangeFailure('code.unknown', 'this code was not issued by this lab (or was forgotten when the lab restarted)', 'send the user through the authorize endpoint again');
    }
    const { client } = ctx;
    if (record.client.kind !== client.kind || record.client.id !== client.id) {
      throw new ExchangeFailure('code.client_mismatch', `this code was issued to ${record.client.id}, not to ${client.id}`, 'redeem the code with the client_id of the authorization request', { issuedTo: record.client.id });
    }
    if (record.consumedAt !== undefined) {
      const revoke = !ctx.readOnly && record.tokensIssued === true;
      if (revoke) ctx.tokens.credentials.revokeGrant(record.grantId, ctx.now);
      throw new ExchangeFailure(
        'code.reused',
        `this code was already presented at ${iso(record.consumedAt)}; a code is good once${revoke ? ' — the tokens issued from it are now revoked (RFC 6749 §4.1.2)' : ''}`,
        'send the user through the authorize endpoint again',
      );
    }
    if (CredentialStore.expired(record, ctx.now)) {
      throw new ExchangeFailure('code.expired', `this code expired at ${iso(record.expiresAt)} (issued ${iso(record.issuedAt)})`, 'redeem codes at once; send the user through the authorize endpoint again');
    }
    const { state } = ctx;
    const instance = ctx.instance ?? state.instances[record.instanceArn];
    const identityStore = instance ? state.identityStores[instance.IdentityStoreId] : undefined;
    const user = identityStore?.Users[record.userId];
    if (!instance || !identityStore || !user) {
      throw new ExchangeFailure('user.not_found', `the user ${record.userId} who signed in no longer exists in the instance's identity store`, undefined, { userId: record.userId });
    }
    if (!ctx.readOnly) CredentialStore.consume(record, ctx.now);
    return {
      reason: `code of user ${user.UserName}, signed in at ${iso(record.authTime * 1000)}, valid until ${iso(record.expiresAt)}${ctx.readOnly ? '' : '; now spent'}`,
      facts: { userId: user.UserId, authTime: iso(record.authTime * 1000) },
      set: { code: record, instance, identityStore, user, authTime: record.authTime, grantId: record.grantId, ...(record.scopes ? { authorizedScopes: record.scopes } : {}) },
    };
  },
};
