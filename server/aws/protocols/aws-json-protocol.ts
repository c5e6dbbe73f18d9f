import type { FastifyReply } from 'fastify';
import { AwsError } from '../aws-error.js';
import { writeLabHeaders } from './lab-reason-header.js';
import { SigV4Error, type SigV4Failure } from '../sigv4/verify-sigv4.js';

export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * How the awsJson1_1 services (SSO Admin, Identity Store) answer a failed signature check.
 * Provenance: observed on other awsJson services (public reports); the exact SSO Admin answers
 * are assumed — the harness can confirm them. A scope naming another region:
 * InvalidSignatureException, "Credential should be scoped to a valid region, not '<r>'." (observed:
 * aws/aws-sdk-js-v3#5576, fsouza/s3-upload-proxy#241). A header that must be signed and is not
 * (X-Amz-Date, X-Amz-Target, X-Amz-Security-Token): IncompleteSignatureException, worded like AWS's
 * answer for an unsigned Host (assumed).
 */
const SIGV4_ERRORS: Record<SigV4Failure, [type: string, status: number]> = {
  missing: ['MissingAuthenticationTokenException', 403],
  incomplete: ['IncompleteSignatureException', 400],
  unknown_key: ['UnrecognizedClientException', 403],
  token_invalid: ['UnrecognizedClientException', 403],
  token_expired: ['ExpiredTokenException', 403],
  mismatch: ['InvalidSignatureException', 403],
  expired: ['InvalidSignatureException', 403],
  wrong_service: ['InvalidSignatureException', 403],
  wrong_region: ['InvalidSignatureException', 403],
};

export function awsJsonSigV4Error(err: SigV4Error): AwsError {
  const [type, status] = SIGV4_ERRORS[err.failure];
  return new AwsError(type, status, err.message, {}, err.detail);
}

// Bodies go out as bytes: a string would make fastify append `; charset=utf-8` to the content
// type, which AWS does not send.

/**
 * The awsJson1_1 error shape: `{"__type": "<Name>", "Message": "…", …members}`, name also in
 * x-amzn-ErrorType. The lab's reason, when the error has one, goes in `x-tti-lab-reason` under
 * its own step, or `step`: the operation that refused, or `request` when the request was refused before any ran.
 */
export function sendAwsJsonError(reply: FastifyReply, err: AwsError, requestId: string, step = 'request'): FastifyReply {
  const body: Record<string, unknown> = { __type: err.type, Message: err.message, ...err.fields };
  reply.code(err.status).header('content-type', AWS_JSON_CONTENT_TYPE).header('x-amzn-requestid', requestId).header('x-amzn-errortype', err.type);
  writeLabHeaders(reply, { reason: err.labReason(step) });
  return reply.send(Buffer.from(JSON.stringify(body)));
}

/**
 * An operation's output as awsJson1_1 writes it: members left undefined are left out, and
 * timestamps (a `Date`) are epoch seconds, the protocol's default timestamp format.
 */
export function awsJsonBody(output: unknown): string {
  return JSON.stringify(output ?? {}, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : value;
  });
}

export function sendAwsJson(reply: FastifyReply, output: unknown, requestId: string): FastifyReply {
  return reply.code(200).header('content-type', AWS_JSON_CONTENT_TYPE).header('x-amzn-requestid', requestId).send(Buffer.from(awsJsonBody(output)));
}
