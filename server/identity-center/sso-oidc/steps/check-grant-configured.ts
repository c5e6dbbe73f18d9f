import type { GrantType } from '../../state/model.js';
import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

export const GRANT_TYPES: readonly GrantType[] = [
  'authorization_code',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:ietf:params:oauth:grant-type:token-exchange',
];

/** 3. The application has a grant of the requested type. */
export const checkGrantConfigured: Step<'application'> = {
  name: 'grant-type-configured',
  title: 'the application has a grant for this grant type',
  run(ctx) {
    const { grantType } = ctx.request;
    if (!grantType) throw new ExchangeFailure('grant.missing_type', 'grantType is missing');
    if (!GRANT_TYPES.includes(grantType as GrantType)) {
      throw new ExchangeFailure('grant.unsupported_type', `grantType ${JSON.stringify(grantType)} is not one Identity Center supports: ${GRANT_TYPES.join(', ')}`);
    }
    const app = ctx.application;
    if (!app.Grants[grantType as GrantType]) {
      throw new ExchangeFailure(
        'grant.not_configured',
        `application "${app.Name}" has no ${grantType} grant; it has: ${Object.keys(app.Grants).join(', ') || 'none'}`,
        `PutApplicationGrant with GrantType ${grantType}`,
        { configured: Object.keys(app.Grants) },
      );
    }
    return { reason: `the application has a ${grantType} grant` };
  },
};
