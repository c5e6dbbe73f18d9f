import type { FastifyReply } from 'fastify';
import { AwsError } from '../aws-error.js';
import { writeLabHeaders } from './lab-reason-header.js';
import { writeModelXml } from './model-xml.js';
import type { ServiceModel } from '../model/service-model.js';
import { SigV4Error, type SigV4Failure } from '../sigv4/verify-sigv4.js';
import { escapeXml } from '../../util/xml.js';

/** STS's namespace: the error document's when no service was found for the request. */
const DEFAULT_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

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
 * The code an error goes on the wire with: a modelled error shape's `awsQueryError` code
 * (InvalidContextAssertionException → InvalidContextAssertion); the input validator's
 * ValidationException and SerializationException as `ValidationError`, awsQuery's one code for a
 * request its front end refuses (documented: STS's common errors; the type errors' code is
 * assumed); any other as it is (AccessDenied, the profile's codes, InvalidAction …).
 */
export function awsQueryErrorCode(err: AwsError, model?: ServiceModel): string {
  if (err.type === 'ValidationException' || err.type === 'SerializationException') return 'ValidationError';
  const code = model && Object.hasOwn(model.shapes, err.type) ? model.shapes[err.type]!.traits?.awsQueryError : undefined;
  return Array.isArray(code) ? String(code[0]) : err.type;
}

/**
 * The awsQuery error document: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`,
 * in the service's namespace. The lab's reason, when the error has one, goes in `x-tti-lab-reason`
 * under its own step, or `step`: the action that refused, or `request` when the request was
 * refused before any ran.
 */
export function sendAwsQueryError(reply: FastifyReply, err: AwsError, requestId: string, model?: ServiceModel, step = 'request'): FastifyReply {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  const xml = `<ErrorResponse xmlns="${model?.xmlNamespace ?? DEFAULT_XMLNS}">
  <Error>
    <Type>${type}</Type>
    <Code>${escapeXml(awsQueryErrorCode(err, model))}</Code>
    <Message>${escapeXml(err.message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`;
  reply.code(err.status).header('content-type', 'text/xml').header('x-amzn-requestid', requestId);
  writeLabHeaders(reply, { reason: err.labReason(step) });
  return reply.send(xml);
}

/**
 * An action's answer, written from its output shape in the model:
 * `<XResponse xmlns><XResult>…members…</XResult><ResponseMetadata><RequestId/></ResponseMetadata></XResponse>`.
 */
export function sendAwsQueryResult(reply: FastifyReply, model: ServiceModel, action: string, output: unknown, requestId: string): FastifyReply {
  const result = writeModelXml(model, model.operations[action]!.output, output ?? {}, 'awsQuery', 2);
  const xml = `<${action}Response xmlns="${model.xmlNamespace}">
  <${action}Result>
${result}  </${action}Result>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</${action}Response>
`;
  return reply.code(200).header('content-type', 'text/xml').header('x-amzn-requestid', requestId).send(xml);
}
