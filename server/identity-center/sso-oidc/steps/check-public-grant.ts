import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { allowedGrants, PUBLIC_GRANT_TYPES } from '../oauth-server/public-clients.js';

/** CreateToken, StartDeviceAuthorization: the grant is one CreateToken knows, and the client registered it. */
export const checkPublicGrant: Step<'publicClient'> = {
  name: 'public-grant-registered',
  title: 'the client registered this grant type',
  run(ctx) {
    const { grantType } = ctx.request;
    if (!grantType) throw new ExchangeFailure('grant.missing_type', 'grantType is missing');
    if (!(PUBLIC_GRANT_TYPES as readonly string[]).includes(grantType)) {
      throw new ExchangeFailure(
        'grant.unsupported_type',
        `grantType ${JSON.stringify(grantType)} is not one CreateToken supports: ${PUBLIC_GRANT_TYPES.join(', ')}${grantType.startsWith('urn:ietf:params:oauth:grant-type:') ? '; jwt-bearer and token-exchange are CreateTokenWithIAM\'s (POST /token?aws_iam=t, signed)' : ''}`,
      );
    }
    const client = ctx.publicClient;
    const allowed = allowedGrants(client);
    if (!allowed.includes(grantType)) {
      throw new ExchangeFailure(
        'public_grant.not_registered',
        `client "${client.clientName}" ${client.grantTypes.length ? `registered grantTypes ${client.grantTypes.join(', ')}` : 'registered no grantTypes, which allows the device flow only'}; not ${grantType}`,
        `RegisterClient with ${grantType} in grantTypes`,
        { registered: client.grantTypes },
      );
    }
    return { reason: `the client registered ${grantType}` };
  },
};
