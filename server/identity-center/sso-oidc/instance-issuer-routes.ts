import type { FastifyInstance } from 'fastify';
import { LabError } from '../../lab/lab-error.js';
import { instanceIssuer } from './tokens/token-service.js';

/**
 * Each instance's issuer metadata, so applications can verify the idTokens CreateTokenWithIAM
 * returns offline: `/identity-center/<ssoins-…>/.well-known/openid-configuration` and `/jwks`.
 * The `issuer` is the real one (`https://identitycenter.amazonaws.com/ssoins-…`, as in the tokens);
 * the endpoints (jwks, authorize, token, device authorization) point at the lab.
 */
export async function instanceIssuerRoutes(app: FastifyInstance): Promise<void> {
  const instanceOf = (id: string) => {
    const instance = Object.values(app.lab.identityCenter.state.read.instances).find((i) => i.InstanceArn.endsWith(`/${id}`));
    if (!instance) throw new LabError(404, 'unknown_instance', `no Identity Center instance ${id} in this lab`);
    return instance;
  };

  app.get<{ Params: { id: string } }>('/identity-center/:id/.well-known/openid-configuration', async (req) => {
    const instance = instanceOf(req.params.id);
    return {
      issuer: instanceIssuer(instance),
      jwks_uri: `${app.lab.baseUrl()}/identity-center/${req.params.id}/jwks`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['code'],
      authorization_endpoint: `${app.lab.baseUrl()}/identity-center/${req.params.id}/authorize`,
      token_endpoint: `${app.lab.baseUrl()}/token`,
      grant_types_supported: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:device_code'],
      code_challenge_methods_supported: ['S256'],
      device_authorization_endpoint: `${app.lab.baseUrl()}/device_authorization`,
    };
  });

  app.get<{ Params: { id: string } }>('/identity-center/:id/jwks', async (req, reply) => {
    const instance = instanceOf(req.params.id);
    return reply.header('content-type', 'application/jwk-set+json; charset=utf-8').send(await app.lab.ssoOidc.tokens.instanceJwks(instance));
  });
}
