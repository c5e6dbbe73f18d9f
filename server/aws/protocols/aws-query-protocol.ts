import type { FastifyReply } from 'fastify';
import { AwsError } from '../aws-error.js';
import { writeLabReason } from './lab-reason-header.js';
import { SigV4Error, type SigV4Failure } from '../sigv4/verify-sigv4.js';
import { escapeXml } from '../../util/xml.js';

/**
 * How STS (awsQuery) answers a failed signature check. Provenance: documented (STS common errors)
 * for the names; statuses observed in public reports. A scope naming another region:
 * SignatureDoesNotMatch, "Credential should be scoped to a valid region, not '<r>'. " (captured:
 * cognitect-labs/aws-api#27 quotes STS's ErrorResponse).
 */
const SIGV4_ERRORS: Record<SigV4Failure, [code: string, status: number]> = {
  missing: ['MissingAuthenticationToken', 403],
  incomplete: ['IncompleteSignature', 400],
  unknown_key: ['InvalidClientTokenId', 403],
  token_invalid: ['InvalidClientTokenId', 403],
  token_expired: ['ExpiredToken', 400],
  mismatch: ['SignatureDoesNotMatch', 403],
  expired: ['SignatureDoesNotMatch', 403],
  wrong_service: ['SignatureDoesNotMatch', 403],
  wrong_region: ['SignatureDoesNotMatch', 403],
};

export function awsQuerySigV4Error(err: SigV4Error): AwsError {
  const [code, status] = SIGV4_ERRORS[err.failure];
  return new AwsError(code, status, err.failure === 'missing' ? 'Request is missing Authentication Token' : err.message, {}, err.detail);
}

/**
 * The awsQuery error document: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 * The lab's reason, when the error has one, goes in `x-tti-lab-reason` under `step`: the action
 * that refused, or `request` when the request was refused before any ran.
 */
export function sendAwsQueryError(reply: FastifyReply, err: AwsError, requestId: string, xmlns = 'https://sts.amazonaws.com/doc/2011-06-15/', step = 'request'): FastifyReply {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  const xml = `<ErrorResponse xmlns="${xmlns}">
  <Error>
    <Type>${type}</Type>
    <Code>${escapeXml(err.type)}</Code>
    <Message>${escapeXml(err.message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`;
  reply.code(err.status).header('content-type', 'text/xml').header('x-amzn-requestid', requestId);
  if (err.detail) writeLabReason(reply, { step, reason: err.detail });
  return reply.send(xml);
}

export function sendAwsQueryResult(reply: FastifyReply, action: string, resultXml: string, requestId: string, xmlns: string): FastifyReply {
  const xml = `<${action}Response xmlns="${xmlns}">
  <${action}Result>
${resultXml}
  </${action}Result>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</${action}Response>
`;
  return reply.code(200).header('content-type', 'text/xml').header('x-amzn-requestid', requestId).send(xml);
}
