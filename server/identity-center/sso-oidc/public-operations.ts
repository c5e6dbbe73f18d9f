import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientRegistrationRequest, TokenRequest } from './exchange/exchange-context.js';
import { publicFlowFor, REGISTER_CLIENT_FLOW, START_DEVICE_AUTHORIZATION_FLOW } from './grants/grant-pipelines.js';
import { DEVICE_CODE_GRANT } from './oauth-server/public-clients.js';
import { logServerError } from '../../log/server-error-log.js';
import { writeLabHeaders } from '../../aws/protocols/lab-reason-header.js';
import { failureError } from '../profile/failure-error.js';
import { sendOidcError } from './oidc-error-response.js';
import { readOidcRequest } from './read-oidc-request.js';
import type { ExchangeOutcome, SsoOidc } from './sso-oidc.js';

/**
 * SSO OIDC's public operations — unsigned, client id and secret in the body — each run as its
 * flow, answered like CreateTokenWithIAM: the profile decides every error, the lab's reason rides
 * in `x-tti-lab-reason`.
 */
async function runPublic(req: FastifyRequest, reply: FastifyReply, operation: string, run: ((sso: SsoOidc, baseUrl: string) => Promise<ExchangeOutcome<unknown>>) | string): Promise<unknown> {
  const sso = req.server.lab.ssoOidc;
  const requestId = randomUUID();
  if (typeof run === 'string') return sendOidcError(reply, failureError(sso.failure('request.malformed'), { reason: run }), requestId);
  let outcome;
  try {
    outcome = await run(sso, req.server.lab.baseUrl());
  } catch (err) {
    logServerError(req, err, `${operation} failed`);
    return sendOidcError(reply, failureError(sso.failure('internal'), { reason: 'the lab failed to handle this request; see its log' }), requestId, { step: operation });
  }
  if (outcome.failure) return sendOidcError(reply, failureError(outcome.failure.behaviour, outcome.failure), requestId, { exchangeId: outcome.entry?.id });
  reply.code(200).header('content-type', 'application/json').header('x-amzn-requestid', requestId);
  writeLabHeaders(reply, { exchangeId: outcome.entry?.id });
  return reply.send(JSON.stringify(outcome.output ?? {}));
}

/** `POST /client/register`: RegisterClient. */
export async function registerClient(req: FastifyRequest, reply: FastifyReply, body: Buffer): Promise<unknown> {
  const parsed = await readOidcRequest<ClientRegistrationRequest>('RegisterClient', body);
  return runPublic(req, reply, 'RegisterClient', typeof parsed === 'string' ? parsed : (sso, baseUrl) => sso.perform('RegisterClient', REGISTER_CLIENT_FLOW, { registration: parsed, baseUrl }));
}

/** `POST /device_authorization`: StartDeviceAuthorization (its grant is the device_code grant). */
export async function startDeviceAuthorization(req: FastifyRequest, reply: FastifyReply, body: Buffer): Promise<unknown> {
  const parsed = await readOidcRequest<TokenRequest>('StartDeviceAuthorization', body);
  return runPublic(
    req,
    reply,
    'StartDeviceAuthorization',
    typeof parsed === 'string' ? parsed : (sso, baseUrl) => sso.perform('StartDeviceAuthorization', START_DEVICE_AUTHORIZATION_FLOW, { request: { ...parsed, grantType: DEVICE_CODE_GRANT }, baseUrl }),
  );
}

/** `POST /token` (without `?aws_iam=t`): CreateToken, for device code, authorization code and refresh token grants. */
export async function createToken(req: FastifyRequest, reply: FastifyReply, body: Buffer): Promise<unknown> {
  const parsed = await readOidcRequest<TokenRequest>('CreateToken', body);
  return runPublic(req, reply, 'CreateToken', typeof parsed === 'string' ? parsed : (sso, baseUrl) => sso.perform('CreateToken', publicFlowFor(parsed.grantType), { request: parsed, baseUrl }));
}
