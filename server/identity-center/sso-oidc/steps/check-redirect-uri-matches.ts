import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { redirectUriMatches, registeredRedirectUris } from '../oauth-server/redirect-uris.js';

/**
 * The authorization_code grant: redirectUri is identical to the authorization request's
 * (RFC 6749 §4.1.3) and still registered for the client.
 */
export const checkRedirectUriMatches: Step<'code' | 'client'> = {
  name: 'redirect-uri-matches',
  title: 'redirectUri is the one the code was sent to, and registered',
  run(ctx) {
    const { code } = ctx;
    const given = ctx.request.redirectUri;
    if (!given) throw new ExchangeFailure('code.redirect_missing', `the authorization_code grant needs redirectUri: the one of the authorization request (${code.redirectUri})`, `pass redirectUri ${code.redirectUri}`);
    if (given !== code.redirectUri) {
      throw new ExchangeFailure(
        'code.redirect_mismatch',
        `redirectUri ${given} is not the redirect_uri of the authorization request, ${code.redirectUri}; they must be identical`,
        `pass redirectUri ${code.redirectUri}`,
        { redirectUri: given, authorizedRedirectUri: code.redirectUri },
      );
    }
    const registered = registeredRedirectUris(ctx.client);
    if (!registered.some((r) => redirectUriMatches(r, given))) {
      throw new ExchangeFailure('code.redirect_mismatch', `${given} is no longer a registered redirect URI (registered: ${registered.join(', ') || 'none'})`, 'register it again (PutApplicationGrant)', { redirectUri: given, registered });
    }
    return { reason: `${given} is the redirect URI of the authorization request`, facts: { redirectUri: given } };
  },
};
