import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AwsError } from '../aws/aws-error.js';
import type { AwsCallContext, AwsRegistry } from '../aws/aws-registry.js';
import { defineModelService, implementsOperation, loadModelOf, runOperation, type ModelService } from '../aws/model/model-service.js';
import { serviceModel } from '../aws/model/service-models.js';
import { matchRestXmlOperation, readRestXmlInput, restXmlSigV4Error, sendRestXml, sendRestXmlError } from '../aws/protocols/rest-xml-protocol.js';
import { SigV4Error, verifySigV4 } from '../aws/sigv4/verify-sigv4.js';
import { logServerError } from '../log/server-error-log.js';
import type { BehaviourProfile } from '../identity-center/profile/behaviour-profile.js';
import { accessGrantsError, accessGrantsErrorCodes } from './access-grants-error.js';
import { ACCESS_GRANTS_OPERATIONS } from './access-grants-operations.js';
import { DATA_ACCESS_OPERATIONS } from './get-data-access.js';
import { S3_CONTROL_CONSTRAINTS } from './s3-control-constraints.js';

/** S3 Control as the lab emulates it: S3 Access Grants (instance, Identity Center association, locations, grants, GetDataAccess, ListCallerAccessGrants). */
export const S3_CONTROL_SERVICE: ModelService = defineModelService({
  modelName: 's3-control',
  get model() {
    return serviceModel('s3-control');
  },
  constraints: S3_CONTROL_CONSTRAINTS,
  handlers: { ...ACCESS_GRANTS_OPERATIONS, ...DATA_ACCESS_OPERATIONS },
});

/**
 * The service with the error codes S3 documents for S3 Access Grants (the profile's, as configured)
 * declared for every operation: what the endpoint and the config's setup run. Its model is still read
 * on use (a spread would read the getter, and load nothing).
 */
export const withDocumentedErrors = (profile: BehaviourProfile): ModelService => ({
  modelName: S3_CONTROL_SERVICE.modelName,
  get model() {
    return S3_CONTROL_SERVICE.model;
  },
  constraints: S3_CONTROL_SERVICE.constraints,
  handlers: S3_CONTROL_SERVICE.handlers,
  commonErrors: ['ValidationException', ...accessGrantsErrorCodes(profile)],
});

/** The lab's validation errors in S3's vocabulary: the profile's request.invalid code, the Coral text as its message. */
function inS3Terms(err: AwsError, profile: BehaviourProfile): AwsError {
  if (err.type !== 'ValidationException' && err.type !== 'SerializationException') return err;
  return accessGrantsError(profile, 'request.invalid', { detail: err.message }, err.detail ?? err.message);
}

async function handleS3Control(req: FastifyRequest, reply: FastifyReply, body: Buffer): Promise<unknown> {
  const { lab } = req.server;
  const model = await loadModelOf(S3_CONTROL_SERVICE);
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const queryString = q < 0 ? '' : req.url.slice(q + 1);
  let verified;
  try {
    verified = verifySigV4({ method: req.method, path, query: queryString, headers: req.headers, body }, model.signingName, lab.aws.credentials, lab.clock, lab.aws.region);
  } catch (err) {
    if (err instanceof SigV4Error) return sendRestXmlError(reply, restXmlSigV4Error(err), requestId);
    throw err;
  }
  const md5 = req.headers['content-md5'];
  if (typeof md5 === 'string' && md5 !== createHash('md5').update(body).digest('base64')) {
    return sendRestXmlError(reply, new AwsError('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.', {}, `Content-MD5 ${md5} is not the MD5 of the ${body.length}-byte body`), requestId);
  }
  const query = new URLSearchParams(queryString);
  const match = matchRestXmlOperation(model, req.method, path, query);
  if (!match || !implementsOperation(S3_CONTROL_SERVICE, match.operation.name)) {
    const what = match ? `S3 Control ${match.operation.name} is not emulated by the lab (S3 Access Grants operations are)` : `no S3 Control operation is ${req.method} ${path}`;
    return sendRestXmlError(reply, new AwsError('NotImplemented', 501, 'A header you provided implies functionality that is not implemented.', {}, what), requestId);
  }
  const profile = lab.ssoOidc.profile;
  const ctx: AwsCallContext = { principal: verified.principal, region: verified.region, requestId, lab };
  const name = match.operation.name;
  try {
    const raw = readRestXmlInput(model, match, { method: req.method, path, query, headers: req.headers, body });
    const output = await runOperation(withDocumentedErrors(profile), name, raw, ctx);
    return sendRestXml(reply, model, match.operation, output, requestId);
  } catch (err) {
    if (err instanceof AwsError) {
      if (err.status >= 500) logServerError(req, err, 'operation failed', { operation: `s3-control.${name}`, detail: err.detail });
      return sendRestXmlError(reply, inS3Terms(err, profile), requestId, name);
    }
    logServerError(req, err, 'operation failed', { operation: `s3-control.${name}` });
    return sendRestXmlError(reply, new AwsError('InternalError', 500, 'We encountered an internal error. Please try again.'), requestId);
  }
}

/**
 * Registers S3 Control's routes (`/v20180820/…`, every method) on the lab's AWS endpoint. The SDK
 * sends S3 Control requests to `<account id>.<endpoint host>`: a lab reached as `localhost` is
 * reached as `<account>.localhost`, a loopback name the lab answers (docs/s3-access-grants.md).
 */
export function registerS3Control(aws: AwsRegistry): void {
  for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
    aws.addRestRoute({ method, path: '/v20180820/*', service: 's3-control', handler: handleS3Control, sendError: (reply, err, requestId) => sendRestXmlError(reply, err, requestId) });
  }
}
