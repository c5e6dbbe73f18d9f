import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientRegistrationRequest, TokenRequest } from './exchange/exchange-context.js';
import type { Step } from './exchange/step.js';
import { publicStepsFor, REGISTER_CLIENT_STEPS, START_DEVICE_AUTHORIZATION_STEPS } from './grants/grant-pipelines.js';
import { DEVICE_CODE_GRANT } from './oauth-server/public-clients.js';
import { logServerError } from '../../log/server-error-log.js';
import { sendOidcError } from './oidc-error-response.js';
import { parseJsonMembers } from './parse-json-members.js';
import type { RunInput } from './sso-oidc.js';

/**
 * SSO OIDC's public operations — unsigned, client id and secret in the body — each run as its list
 * of named steps, answered like CreateTokenWithIAM: the profile decides every error, the lab's
 * reason rides in `x-tti-lab-reason`.
 */
async function runPublic(req: FastifyRequest, reply: FastifyReply, operation: string, steps: Step[], input: RunInput | string): Promise<unknown> {
  const sso = req.server.lab.ssoOidc;
  const requestId = randomUUID();
  if (typeof input === 'string') return sendOidcError(reply, sso.profile.failures['request.malformed']!, requestId, { step: 'request', reason: input });
  let outcome;
  try {
    outcome = await sso.run(operation, steps, { ...input, baseUrl: req.server.lab.baseUrl() });
  } catch (err) {
    logServerError(req, err, `${operation} failed`);
    return sendOidcError(reply, sso.profile.failures.internal!, requestId, { step: operation, reason: 'the lab failed to handle this request; see its log' });
  }
  if (outcome.failure) return sendOidcError(reply, outcome.failure.behaviour, requestId, outcome.failure, outcome.entry?.id);
  reply.code(200).header('content-type', 'application/json').header('x-amzn-requestid', requestId);
  if (outcome.entry) reply.header('x-tti-lab-exchange', outcome.entry.id);
  return reply.send(JSON.stringify(outcome.output ?? {}));
}

const withRequest = (parsed: TokenRequest | string): RunInput | string => (typeof parsed === 'string' ? parsed : { request: parsed });

/** `POST /client/register`: RegisterClient. */
export function registerClient(req: FastifyRequest, reply: FastifyReply, body: Buffer): Promise<unknown> {
  const parsed = parseJsonMembers<ClientRegistrationRequest>(body, {
    strings: ['clientName', 'clientType', 'issuerUrl', 'entitledApplicationArn'],
    lists: ['scopes', 'redirectUris', 'grantTypes'],
  });
  return runPublic(req, reply, 'RegisterClient', REGISTER_CLIENT_STEPS, typeof parsed === 'string' ? parsed : { registration: parsed });
}

/** `POST /device_authorization`: StartDeviceAuthorization (its grant is the device_code grant). */
export function startDeviceAuthorization(req: FastifyRequest, reply: FastifyReply, body: Buffer): Promise<unknown> {
  const parsed = parseJsonMembers<TokenRequest>(body, { strings: ['clientId', 'clientSecret', 'startUrl'] });
  return runPublic(req, reply, 'StartDeviceAuthorization', START_DEVICE_AUTHORIZATION_STEPS, withRequest(typeof parsed === 'string' ? parsed : { ...parsed, grantType: DEVICE_CODE_GRANT }));
}

/** `POST /token` (without `?aws_iam=t`): CreateToken, for device code, authorization code and refresh token grants. */
export function createToken(req: FastifyRequest, reply: FastifyReply, body: Buffer): Promise<unknown> {
  const parsed = parseJsonMembers<TokenRequest>(body, {
    strings: ['clientId', 'clientSecret', 'grantType', 'deviceCode', 'code', 'refreshToken', 'redirectUri', 'codeVerifier'],
    lists: ['scope'],
  });
  return runPublic(req, reply, 'CreateToken', publicStepsFor(typeof parsed === 'string' ? undefined : parsed.grantType), withRequest(parsed));
}
