import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { signedRequestOf } from '../../aws/aws-endpoint.js';
import { SigV4Error, verifySigV4 } from '../../aws/sigv4/verify-sigv4.js';
import type { TokenRequest } from './exchange/exchange-context.js';
import { logServerError } from '../../log/server-error-log.js';
import { sendOidcError } from './oidc-error-response.js';
import { parseJsonMembers } from './parse-json-members.js';

const STRING_MEMBERS = ['clientId', 'grantType', 'code', 'refreshToken', 'assertion', 'redirectUri', 'subjectToken', 'subjectTokenType', 'requestedTokenType', 'codeVerifier'] as const;

/** Reads the JSON body into a TokenRequest, or says which member is wrong. */
export function parseTokenRequest(body: Buffer): TokenRequest | string {
  return parseJsonMembers<TokenRequest>(body, { strings: STRING_MEMBERS, lists: ['scope'] });
}

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
    return sendOidcError(reply, sso.failure('request.unsigned'), requestId, { step: 'request', reason: `${err.detail ?? err.message} (SigV4 check failed: ${err.failure})` });
  }
  const parsed = parseTokenRequest(body);
  if (typeof parsed === 'string') return sendOidcError(reply, sso.failure('request.malformed'), requestId, { step: 'request', reason: parsed });
  let outcome;
  try {
    outcome = await sso.run(parsed, { principal });
  } catch (err) {
    logServerError(req, err, 'CreateTokenWithIAM failed');
    return sendOidcError(reply, sso.failure('internal'), requestId, { step: 'CreateTokenWithIAM', reason: 'the lab failed to handle this request; see its log' });
  }
  if (outcome.failure) return sendOidcError(reply, outcome.failure.behaviour, requestId, outcome.failure, outcome.entry?.id);
  reply.code(200).header('content-type', 'application/json').header('x-amzn-requestid', requestId);
  if (outcome.entry) reply.header('x-tti-lab-exchange', outcome.entry.id);
  return reply.send(JSON.stringify(outcome.result));
}
