import type { FailureKey } from '../../profile/behaviour-profile.js';
import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { CredentialStore, type ClientKind } from '../tokens/credential-store.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** What differs between the two clients: where a refresh token comes from again, and how a client is named. */
const WORDS: Record<ClientKind, { renew: string; expired: FailureKey; spent: string; client: (id: string) => string }> = {
  application: {
    renew: 'exchange a new assertion with the jwt-bearer grant',
    expired: 'refresh.expired',
    spent: 'this refresh token was already used: refresh tokens rotate, each use returns a new one',
    client: (id) => id,
  },
  public: {
    renew: 'sign in again (authorization code or device flow)',
    expired: 'public_refresh.expired',
    spent: 'this refresh token was already used (or revoked): refresh tokens rotate, each use returns a new one',
    client: (id) => `client ${id}`,
  },
};

/**
 * The refresh_token grant, of CreateTokenWithIAM and of CreateToken alike: the token is known, this
 * kind of client's, unused, unexpired, the client's own, and its user still exists. It is spent here,
 * atomically with the check, so two concurrent refreshes with one token cannot both succeed (a
 * read-only run only looks); the new tokens stay in its grant, with its scopes as the ceiling.
 */
export const checkRefreshToken: Step<'client', 'refresh' | 'instance' | 'identityStore' | 'user' | 'authTime' | 'authorizedScopes' | 'grantId'> = {
  name: 'refresh-token-valid',
  title: 'the refresh token is valid for this application',
  forPublicClient: { name: 'client-refresh-token-valid', title: 'the refresh token is valid for this client' },
  run(ctx) {
    const { client } = ctx;
    const words = WORDS[client.kind];
    const token = ctx.request.refreshToken;
    if (!token) throw new ExchangeFailure('refresh.missing', 'the refresh_token grant needs refreshToken');
    const record = ctx.tokens.credentials.find('refresh_token', token);
    if (!record || record.client.kind !== client.kind) {
      throw new ExchangeFailure(
        'refresh.unknown',
        client.kind === 'public' && record
          ? 'this refresh token was issued by CreateTokenWithIAM to an application; refresh it there'
          : `this refresh token was not issued by this lab (or was forgotten: when the lab restarted, or as one older than the newest ${ctx.tokens.limits.tokenTableSize} — token_table_size)`,
        words.renew,
      );
    }
    if (CredentialStore.spent(record)) throw new ExchangeFailure('refresh.revoked', words.spent, 'use the refreshToken from the latest response');
    if (CredentialStore.expired(record, ctx.now)) throw new ExchangeFailure(words.expired, `this refresh token expired at ${iso(record.expiresAt)}`, client.kind === 'public' ? 'sign in again' : words.renew);
    if (record.client.id !== client.id) throw new ExchangeFailure('refresh.client_mismatch', `this refresh token was issued to ${words.client(record.client.id)}, not to ${words.client(client.id)}`);
    const instance = ctx.state.instances[record.instanceArn];
    const identityStore = instance ? ctx.state.identityStores[instance.IdentityStoreId] : undefined;
    const user = identityStore?.Users[record.userId];
    if (!instance || !identityStore || !user) throw new ExchangeFailure('refresh.unknown', `the user ${record.userId} this refresh token was issued for no longer exists`);
    if (!ctx.readOnly) CredentialStore.consume(record, ctx.now);
    const until = client.kind === 'application' ? `, valid until ${iso(record.expiresAt)}` : '';
    return {
      reason: `refresh token of user ${user.UserName}${until}${ctx.readOnly ? '' : '; now spent (refresh tokens rotate)'}`,
      set: {
        refresh: record,
        instance,
        identityStore,
        user,
        authTime: record.authTime,
        authorizedScopes: record.scopes,
        grantId: record.grantId,
        ...(record.actSub !== undefined ? { actSub: record.actSub } : {}),
      },
    };
  },
};
