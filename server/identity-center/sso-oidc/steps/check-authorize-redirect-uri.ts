import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { nearMiss, redirectUriMatches, registeredRedirectUris } from '../oauth-server/redirect-uris.js';

/**
 * Authorize 4. redirect_uri is one the client registered. Until this passes, errors are shown to
 * the user and never sent to the redirect URI (RFC 6749 §4.1.2.1); from here on they go back to it.
 */
export const checkAuthorizeRedirectUri: Step<'authorize' | 'authorizeClient', 'redirectUri'> = {
  name: 'authorize-redirect-uri-registered',
  title: 'redirect_uri is one the client registered',
  run(ctx) {
    const a = ctx.authorize;
    const client = ctx.authorizeClient;
    const registered = registeredRedirectUris(client);
    const uri = a.params.redirect_uri;
    if (!uri) {
      throw new ExchangeFailure('authorize.redirect_uri_missing', 'the authorization request has no redirect_uri', `pass one of the registered redirect URIs: ${registered.join(', ') || '(none registered)'}`, { registered });
    }
    if (!registered.some((r) => redirectUriMatches(r, uri))) {
      const hint = nearMiss(registered, uri);
      throw new ExchangeFailure(
        'authorize.redirect_uri_not_registered',
        `redirect_uri ${uri} is not registered for "${client.name}"${hint ? `: ${hint}` : ''}; registered: ${registered.join(', ') || 'none'}`,
        client.application ? `add ${uri} to Grant.AuthorizationCode.RedirectUris (PutApplicationGrant)` : `register the client again with ${uri} in redirectUris`,
        { redirectUri: uri, registered },
      );
    }
    return { reason: `${uri} is registered`, facts: { redirectUri: uri, registered }, set: { redirectUri: uri } };
  },
};
