import type { Step } from '../exchange/step.js';
import { allowedGrants } from '../oauth-server/public-clients.js';

/** RegisterClient: the client is made, with a secret that expires (the profile's client_secret_ttl_seconds). */
export const registerPublicClient: Step<'registration', 'publicClient' | 'output'> & { effect: true } = {
  name: 'client-registered',
  title: 'the public client is registered',
  effect: true,
  run(ctx) {
    const r = ctx.registration;
    const issuedAt = Math.floor(ctx.now / 1000);
    const client = ctx.tokens.clients.register(
      {
        clientName: r.clientName ?? '',
        clientType: 'public',
        scopes: r.scopes ?? [],
        redirectUris: r.redirectUris ?? [],
        grantTypes: r.grantTypes ?? [],
        ...(r.issuerUrl !== undefined ? { issuerUrl: r.issuerUrl } : {}),
        ...(ctx.instance ? { instanceArn: ctx.instance.InstanceArn } : {}),
        ...(r.entitledApplicationArn !== undefined ? { entitledApplicationArn: r.entitledApplicationArn } : {}),
        clientIdIssuedAt: issuedAt,
        clientSecretExpiresAt: issuedAt + ctx.profile.settings.client_secret_ttl_seconds.value,
      },
      ctx.ic.region,
    );
    // A device-code client gets both endpoints as null (captured); one registered for
    // authorization_code gets the lab's (assumed): the profile's register_client_endpoints_* settings.
    const { settings } = ctx.profile;
    const withEndpoints = allowedGrants(client).includes('authorization_code')
      ? settings.register_client_endpoints_for_authorization_code_clients.value
      : settings.register_client_endpoints_for_device_clients.value;
    const output = {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientIdIssuedAt: client.clientIdIssuedAt,
      clientSecretExpiresAt: client.clientSecretExpiresAt,
      authorizationEndpoint: withEndpoints ? `${ctx.baseUrl ?? ''}/authorize` : null,
      tokenEndpoint: withEndpoints ? `${ctx.baseUrl ?? ''}/token` : null,
    };
    return {
      reason: `client ${client.clientId}, secret valid until ${new Date(client.clientSecretExpiresAt * 1000).toISOString()}${withEndpoints ? '' : '; no endpoints (null), as for a device-code client'}`,
      facts: { clientId: client.clientId },
      set: { publicClient: client, output },
    };
  },
};
