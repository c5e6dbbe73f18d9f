import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { signedRequestOf } from '../../aws/aws-endpoint.js';
import { SigV4Error, verifySigV4 } from '../../aws/sigv4/verify-sigv4.js';
import type { TokenRequest } from './exchange/exchange-context.js';
import { logServerError } from '../../log/server-error-log.js';
import { writeLabHeaders } from '../../aws/protocols/lab-reason-header.js';
import { failureError } from '../profile/failure-error.js';
import { sendOidcError } from './oidc-error-response.js';
import { readOidcRequest } from './read-oidc-request.js';

/** `POST /token?aws_iam=t`: CreateTokenWithIAM, SigV4-signed with signing name `sso-oauth`. */
export async function createTokenWithIam(req: FastifyRequest, reply: FastifyReply, body: Buffer): Promise<unknown> {
  const { lab } = req.server;
  const sso = lab.ssoOidc;
  const requestId = randomUUID();
  let principal;
  try {
    principal = verifySigV4(signedRequestOf(req, body), 'sso-oauth', lab.aws.credentials, lab.clock, lab.aws.region).principal;
  } catch (err) {
    if (!(err instanceof SigV4Error)) throw err;
    return sendOidcError(reply, failureError(sso.failure('request.unsigned'), { reason: `${err.detail ?? err.message} (SigV4 check failed: ${err.failure})` }), requestId);
  }
  const parsed = await readOidcRequest<TokenRequest>('CreateTokenWithIAM', body);
  if (typeof parsed === 'string') return sendOidcError(reply, failureError(sso.failure('request.malformed'), { reason: parsed }), requestId);
  let outcome;
  try {
    outcome = await sso.run(parsed, { principal });
  } catch (err) {
    logServerError(req, err, 'CreateTokenWithIAM failed');
    return sendOidcError(reply, failureError(sso.failure('internal'), { reason: 'the lab failed to handle this request; see its log' }), requestId, { step: 'CreateTokenWithIAM' });
  }
  if (outcome.failure) return sendOidcError(reply, failureError(outcome.failure.behaviour, outcome.failure), requestId, { exchangeId: outcome.entry?.id });
  reply.code(200).header('content-type', 'application/json').header('x-amzn-requestid', requestId);
  writeLabHeaders(reply, { exchangeId: outcome.entry?.id });
  return reply.send(JSON.stringify(outcome.result));
}
