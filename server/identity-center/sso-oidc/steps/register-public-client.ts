import type { Step } from '../exchange/step.js';

/** RegisterClient: the client is made, with a secret that expires (the profile's client_secret_ttl_seconds). */
export const registerPublicClient: Step = {
  name: 'client-registered',
  title: 'the public client is registered',
  effect: true,
  run(ctx) {
    const r = ctx.registration!;
    const issuedAt = Math.floor(ctx.now / 1000);
    const client = ctx.tokens.clients.register(
      {
        clientName: r.clientName!,
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
    ctx.publicClient = client;
    ctx.output = {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientIdIssuedAt: client.clientIdIssuedAt,
      clientSecretExpiresAt: client.clientSecretExpiresAt,
      authorizationEndpoint: `${ctx.baseUrl ?? ''}/authorize`,
      tokenEndpoint: `${ctx.baseUrl ?? ''}/token`,
    };
    return { reason: `client ${client.clientId}, secret valid until ${new Date(client.clientSecretExpiresAt * 1000).toISOString()}`, facts: { clientId: client.clientId } };
  },
};
