import { randomBytes } from 'node:crypto';
import Provider, { errors, type AdapterFactory, type Configuration, type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { ClientConfig, IssuerConfig } from '../../config/lab-config.js';
import { providerPages } from '../login/provider-pages.js';
import { scopeClaims } from './scope-claims.js';

export function clientMetadata(c: ClientConfig, issuer: IssuerConfig): ClientMetadata {
  const grants = c.grant_types ?? (c.client_secret ? ['authorization_code', 'refresh_token', 'client_credentials'] : ['authorization_code', 'refresh_token']);
  const meta: ClientMetadata = {
    client_id: c.client_id,
    token_endpoint_auth_method: c.token_endpoint_auth_method ?? (c.client_secret ? 'client_secret_basic' : 'none'),
    grant_types: grants,
    response_types: grants.includes('authorization_code') ? ['code'] : [],
    redirect_uris: c.redirect_uris,
    id_token_signed_response_alg: issuer.algorithm,
  };
  if (c.client_secret) meta.client_secret = c.client_secret;
  if (c.post_logout_redirect_uris) meta.post_logout_redirect_uris = c.post_logout_redirect_uris;
  return meta;
}

export interface ProviderOptions {
  issuer: IssuerConfig;
  /** The issuer URL, `<lab URL>/issuers/<name>`. */
  issuerUrl: string;
  /** Private signing keys, active first. */
  jwks: JWK[];
  /** Secrets that sign the provider's cookies; kept across provider rebuilds (key rotation). */
  cookieKeys: string[];
  /** Where the provider keeps sessions, grants and tokens: the issuer's own store, kept across rebuilds. */
  adapter: AdapterFactory;
}

export function newCookieKeys(): string[] {
  return [randomBytes(32).toString('base64url')];
}

/**
 * An `oidc-provider` instance for one lab issuer. ID tokens carry `aud` = the client id; JWT access
 * tokens carry the audience of the resource indicator (RFC 8707) or the client's default audience —
 * the conventions of Okta, Entra ID and Auth0 that people must learn.
 */
export function createProvider(opts: ProviderOptions): Provider {
  const { issuer } = opts;
  const users = new Map(issuer.users.map((u) => [u.sub, u]));
  const clientsById = new Map(issuer.clients.map((c) => [c.client_id, c]));
  const resourceFor = (indicator: string) => issuer.resources.find((r) => r.indicator === indicator);

  const configuration: Configuration = {
    adapter: opts.adapter,
    clients: issuer.clients.map((c) => clientMetadata(c, issuer)),
    jwks: { keys: opts.jwks as never },
    cookies: { keys: opts.cookieKeys },
    claims: scopeClaims(issuer.users),
    conformIdTokenClaims: false,
    clientBasedCORS: () => true,
    renderError: providerPages.renderError,
    async findAccount(_ctx, sub) {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ ...structuredClone(user), sub }) };
    },
    interactions: {
      url: (_ctx, interaction) => `/issuers/${issuer.name}/interaction/${interaction.uid}`,
    },
    // A lab's clients are first-party: everything requested is granted without a consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const session = oidc.session;
      const client = oidc.client;
      if (!session?.accountId || !client) return undefined;
      const existingId = oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const grant = existingId
        ? await oidc.provider.Grant.find(existingId)
        : new oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      if (!grant) return undefined;
      grant.addOIDCScope([...oidc.requestParamScopes].join(' '));
      const claims = oidc.requestParamClaims ? [...oidc.requestParamClaims] : [];
      if (claims.length) grant.addOIDCClaims(claims);
      for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) {
        grant.addResourceScope(indicator, (server as { scope?: string }).scope ?? '');
      }
      await grant.save();
      return grant;
    },
    // Refresh tokens whenever the client may use the grant (no offline_access + prompt=consent dance).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: issuer.access_token_ttl,
      ClientCredentials: issuer.access_token_ttl,
      IdToken: issuer.id_token_ttl,
      AuthorizationCode: 600,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Any confidential client of the issuer may introspect its tokens (a resource server would);
      // a public client only its own.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => client.clientAuthMethod !== 'none' || token.clientId === client.clientId,
      },
      // RFC 7009 §2.1: the server "verifies whether the token was issued to the client making the
      // revocation request. If this validation fails, the request is refused". A public client, which
      // proves nothing, is answered as if the token were unknown.
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('the token was not issued to this client; a client revokes only its own tokens');
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: providerPages.logoutSource,
        postLogoutSuccessSource: providerPages.postLogoutSuccessSource,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, client, oneOf) => {
          if (oneOf) return oneOf;
          return clientsById.get(client.clientId)?.default_audience ?? (undefined as unknown as string);
        },
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          const res = resourceFor(indicator);
          return {
            scope: res ? res.scopes.join(' ') : '',
            audience: res?.audience ?? indicator,
            accessTokenTTL: issuer.access_token_ttl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: issuer.algorithm } },
          };
        },
      },
    },
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    },
  };

  const provider = new Provider(opts.issuerUrl, configuration);
  provider.proxy = false;
  // A path oidc-provider does not serve answers in the lab's error model, not a bare "Not Found".
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      ctx.status = 404;
      ctx.body = { error: 'not_found', message: `issuer "${issuer.name}" has no route ${ctx.method} ${ctx.path}; see its discovery document` };
    }
  });
  return provider;
}
