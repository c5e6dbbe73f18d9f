import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { TOKEN_TYPE_ACCESS, TOKEN_TYPE_REFRESH } from '../tokens/token-service.js';

/**
 * The token-exchange grant: requestedTokenType, if given, is the access_token or refresh_token URN
 * (model doc string); issuedTokenType follows it. A refresh token needs the application's
 * refresh_token grant (as for every grant, unless the profile says otherwise).
 */
export const checkRequestedTokenType: Step<'application'> = {
  name: 'requested-token-type-supported',
  title: 'the requested token type is one Identity Center issues',
  run(ctx) {
    const requested = ctx.request.requestedTokenType;
    const app = ctx.application;
    if (requested === undefined) return { reason: `no requestedTokenType: a refresh token if the application has a refresh_token grant, as for the other grants` };
    if (requested !== TOKEN_TYPE_ACCESS && requested !== TOKEN_TYPE_REFRESH) {
      throw new ExchangeFailure(
        'exchange.requested_type_unsupported',
        `requestedTokenType ${JSON.stringify(requested)} is not one Identity Center issues: ${TOKEN_TYPE_ACCESS} or ${TOKEN_TYPE_REFRESH}`,
        'request an access_token or a refresh_token',
        { requestedTokenType: requested },
      );
    }
    if (requested === TOKEN_TYPE_REFRESH && ctx.profile.settings.refresh_token_issued_with_grant.value && !app.Grants.refresh_token) {
      throw new ExchangeFailure(
        'exchange.refresh_not_configured',
        `a refresh token was requested, and application "${app.Name}" has no refresh_token grant`,
        'PutApplicationGrant with GrantType refresh_token, or request an access_token',
      );
    }
    const issueRefresh = requested === TOKEN_TYPE_REFRESH;
    return { reason: issueRefresh ? 'a refresh token (and an access token) requested' : 'an access token only requested', set: { issueRefresh } };
  },
};
