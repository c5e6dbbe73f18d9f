import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import type { RequestClient } from '../exchange/exchange-context.js';
import type { AuthorizeClient } from '../oauth-server/authorize-request.js';
import { allowedGrants } from '../oauth-server/public-clients.js';
import { APPLICATION_ARN } from './check-client-is-application.js';

/** Authorize 1. RFC 6749 §3.1: no parameter more than once. */
export const checkAuthorizeParametersUnique: Step<'authorize'> = {
  name: 'authorize-parameters-unique',
  title: 'each authorization parameter is given at most once',
  run(ctx) {
    const { repeated } = ctx.authorize;
    if (repeated.length) {
      throw new ExchangeFailure('authorize.parameter_repeated', `${repeated.join(', ')} ${repeated.length === 1 ? 'is' : 'are'} given more than once; RFC 6749 §3.1 allows each parameter once`, 'send each parameter once', { repeated });
    }
    return { reason: 'no parameter is repeated' };
  },
};

/**
 * Authorize 2. client_id names an application (its ARN) or a public client (RegisterClient's
 * clientId) of a live instance — the one in the path, for the instance-scoped endpoint.
 */
export const checkAuthorizeClient: Step<'authorize', 'authorizeClient' | 'client' | 'instance' | 'identityStore'> = {
  name: 'authorize-client-known',
  title: 'client_id names an application or a registered public client',
  run(ctx) {
    const a = ctx.authorize;
    const clientId = a.params.client_id;
    if (!clientId) throw new ExchangeFailure('authorize.client_missing', 'the authorization request has no client_id', 'pass the application ARN (or a RegisterClient clientId) as client_id');
    const { state } = ctx;
    const pathInstance = a.pathInstanceId ? Object.values(state.instances).find((i) => i.InstanceArn.endsWith(`/${a.pathInstanceId}`)) : undefined;
    if (a.pathInstanceId && !pathInstance) {
      throw new ExchangeFailure('authorize.client_unknown', `no Identity Center instance ${a.pathInstanceId} in this lab`, 'put the id of an instance (sso-admin ListInstances) in the path', { instanceId: a.pathInstanceId });
    }
    let client: AuthorizeClient;
    let requestClient: RequestClient;
    let instanceArn: string | undefined;
    if (APPLICATION_ARN.test(clientId)) {
      const application = state.applications[clientId];
      if (!application) throw new ExchangeFailure('authorize.client_unknown', `no application ${clientId} exists in this lab`, 'create it with sso-admin CreateApplication, or check the ARN', { clientId });
      client = { kind: 'application', id: clientId, name: application.Name, application };
      requestClient = { kind: 'application', id: clientId, application };
      instanceArn = application.InstanceArn;
    } else {
      const publicClient = ctx.tokens.clients.get(clientId);
      if (!publicClient) {
        throw new ExchangeFailure(
          'authorize.client_unknown',
          `no application or registered client has client_id ${JSON.stringify(clientId)}; an application's client_id is its ARN, a public client's is the clientId RegisterClient returned (forgotten when the lab restarts)`,
          'pass the ApplicationArn, or register the client again',
          { clientId },
        );
      }
      client = { kind: 'public', id: clientId, name: publicClient.clientName, publicClient };
      requestClient = { kind: 'public', id: clientId, publicClient };
      instanceArn = publicClient.instanceArn ?? pathInstance?.InstanceArn;
      if (!instanceArn) {
        throw new ExchangeFailure(
          'authorize.client_unknown',
          `public client "${publicClient.clientName}" registered without an issuerUrl, so the lab does not know whose users may sign in`,
          'RegisterClient with issuerUrl = the instance\'s start URL or issuer, or use /identity-center/<ssoins-…>/authorize',
          { clientId },
        );
      }
    }
    const instance = state.instances[instanceArn];
    const identityStore = instance ? state.identityStores[instance.IdentityStoreId] : undefined;
    if (!instance || !identityStore) throw new ExchangeFailure('authorize.client_unknown', `client ${clientId} belongs to no live instance`, undefined, { clientId });
    if (pathInstance && pathInstance.InstanceArn !== instance.InstanceArn) {
      throw new ExchangeFailure(
        'authorize.client_unknown',
        `client ${clientId} belongs to instance ${instance.InstanceArn}, not to ${a.pathInstanceId} named in the path`,
        `use /identity-center/${instance.InstanceArn.split('/').pop()}/authorize, or /authorize`,
        { clientId, instanceArn: instance.InstanceArn },
      );
    }
    return {
      reason: `${client.kind === 'application' ? 'application' : 'public client'} "${client.name}" of instance ${instance.InstanceArn}`,
      facts: { clientId, instanceArn: instance.InstanceArn },
      set: {
        authorizeClient: client,
        client: requestClient,
        instance,
        identityStore,
        ...(client.application ? { application: client.application } : {}),
        ...(client.publicClient ? { publicClient: client.publicClient } : {}),
      },
    };
  },
};

/** Authorize 3. The client has an authorization_code grant (and so registered redirect URIs). */
export const checkAuthorizeGrant: Step<'authorizeClient'> = {
  name: 'authorize-grant-configured',
  title: 'the client has an authorization_code grant',
  run(ctx) {
    const client = ctx.authorizeClient;
    if (client.application && !client.application.Grants.authorization_code) {
      throw new ExchangeFailure(
        'authorize.grant_not_configured',
        `application "${client.name}" has no authorization_code grant, so it has no redirect URIs to send a code to; it has: ${Object.keys(client.application.Grants).join(', ') || 'none'}`,
        'PutApplicationGrant with GrantType authorization_code and Grant.AuthorizationCode.RedirectUris',
      );
    }
    if (client.publicClient && !allowedGrants(client.publicClient).includes('authorization_code')) {
      throw new ExchangeFailure(
        'authorize.grant_not_configured',
        `public client "${client.name}" registered grantTypes ${JSON.stringify(client.publicClient.grantTypes)}, without authorization_code`,
        'RegisterClient with grantTypes [authorization_code, refresh_token] and redirectUris',
      );
    }
    return { reason: 'the client has an authorization_code grant' };
  },
};
