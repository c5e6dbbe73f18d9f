import { timingSafeEqual } from 'node:crypto';
import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** CreateToken, StartDeviceAuthorization: clientId and clientSecret are a registered client's, unexpired. */
export const checkPublicClient: Step<never, 'client' | 'publicClient'> = {
  name: 'public-client-authenticated',
  title: 'clientId and clientSecret are a registered client\'s',
  run(ctx) {
    const { clientId, clientSecret } = ctx.request;
    const missing = [clientId ? '' : 'clientId', clientSecret ? '' : 'clientSecret'].filter(Boolean);
    if (!clientId || !clientSecret) throw new ExchangeFailure('public_client.missing', `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing; pass what RegisterClient returned`);
    const client = ctx.tokens.clients.get(clientId);
    if (!client) {
      throw new ExchangeFailure(
        'public_client.unknown',
        `no client ${clientId} is registered${clientId.startsWith('arn:') ? '; an application ARN is CreateTokenWithIAM\'s clientId (POST /token?aws_iam=t, signed), not CreateToken\'s' : ' (registrations are forgotten when the lab restarts)'}`,
        'RegisterClient, and pass its clientId and clientSecret',
        { clientId },
      );
    }
    if (!same(client.clientSecret, clientSecret)) throw new ExchangeFailure('public_client.secret_mismatch', `the clientSecret is not client ${clientId}'s`, 'pass the clientSecret RegisterClient returned with this clientId');
    if (client.clientSecretExpiresAt * 1000 <= ctx.now) {
      throw new ExchangeFailure('public_client.secret_expired', `the client secret expired at ${new Date(client.clientSecretExpiresAt * 1000).toISOString()}`, 'RegisterClient again');
    }
    // A client registered with an issuerUrl belongs to that instance (while it lives).
    const instance = client.instanceArn ? ctx.state.instances[client.instanceArn] : undefined;
    const identityStore = instance ? ctx.state.identityStores[instance.IdentityStoreId] : undefined;
    return {
      reason: `public client "${client.clientName}" (${client.clientId})`,
      facts: { clientId: client.clientId },
      set: { client: { kind: 'public', id: client.clientId, publicClient: client }, publicClient: client, ...(instance && identityStore ? { instance, identityStore } : {}) },
    };
  },
};
