import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AwsError, serializationError } from './aws-error.js';
import type { AwsCallContext, AwsQueryContext, AwsQueryService } from './aws-registry.js';
import { implementsOperation, loadModelOf, type ModelService, runOperation } from './model/model-service.js';
import { SigV4Error, verifySigV4, type SignedRequest } from './sigv4/verify-sigv4.js';
import { awsJsonSigV4Error, sendAwsJson, sendAwsJsonError } from './protocols/aws-json-protocol.js';
import { awsQuerySigV4Error, sendAwsQueryError, sendAwsQueryResult } from './protocols/aws-query-protocol.js';
import { readQueryForm } from './protocols/read-query-form.js';
import { logServerError } from '../log/server-error-log.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../security/json-depth.js';
import { HostNotAllowedError } from '../security/allowed-hosts.js';

const internalError = () => new AwsError('InternalServerException', 500, 'An internal error occurred. Try again later.');

export function signedRequestOf(req: FastifyRequest, body: Buffer): SignedRequest {
  const q = req.url.indexOf('?');
  return {
    method: req.method,
    path: q < 0 ? req.url : req.url.slice(0, q),
    query: q < 0 ? '' : req.url.slice(q + 1),
    headers: req.headers,
    body,
  };
}

const registry = (req: FastifyRequest) => req.server.lab.aws;

function isFormRequest(req: FastifyRequest): boolean {
  return String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * The awsJson1_1 adapter: any ModelService whose protocol is awsJson1_1. Signature, operation,
 * content type and JSON body are the protocol's to check; `runOperation` reads the input by the
 * model and runs the handler; the output and errors are serialised by aws-json-protocol.ts.
 */
async function handleJson(service: ModelService, operation: string, req: FastifyRequest, reply: FastifyReply, body: Buffer, requestId: string) {
  const { lab } = req.server;
  const model = await loadModelOf(service);
  if (model.protocol !== 'awsJson1_1' || lab.aws.jsonServices.get(model.serviceTarget) !== service) {
    throw new Error(`tti-lab bug: ${service.modelName} is registered as an awsJson1_1 service under another X-Amz-Target prefix than its model's (${model.protocol}, ${model.serviceTarget})`);
  }
  const target = `${service.model.serviceTarget}.${operation}`;
  let verified;
  try {
    verified = verifySigV4(signedRequestOf(req, body), service.model.signingName, lab.aws.credentials, lab.clock, lab.aws.region);
  } catch (err) {
    if (err instanceof SigV4Error) return sendAwsJsonError(reply, awsJsonSigV4Error(err), requestId);
    throw err;
  }
  if (!implementsOperation(service, operation)) return sendAwsJsonError(reply, new AwsError('UnknownOperationException', 400, ''), requestId);
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase().split(';')[0]!.trim();
  if (contentType !== 'application/x-amz-json-1.1' && contentType !== 'application/x-amz-json-1.0') {
    return sendAwsJsonError(reply, serializationError(`Unsupported Content-Type '${contentType}'; expected application/x-amz-json-1.1`), requestId);
  }
  let input: unknown;
  try {
    const text = body.toString('utf8');
    input = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return sendAwsJsonError(reply, serializationError('Start of structure or map found where not expected; the body is not valid JSON'), requestId);
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return sendAwsJsonError(reply, serializationError('Start of structure or map expected; the body must be a JSON object'), requestId);
  }
  if (exceedsJsonDepth(input)) {
    return sendAwsJsonError(reply, serializationError(`Document nesting depth exceeds the maximum allowed (${MAX_JSON_DEPTH})`), requestId);
  }
  const ctx: AwsCallContext = { principal: verified.principal, region: verified.region, requestId, lab };
  try {
    return sendAwsJson(reply, await runOperation(service, operation, input, ctx), requestId);
  } catch (err) {
    if (err instanceof AwsError) {
      if (err.status >= 500) logServerError(req, err, 'operation failed', { operation: target, detail: err.detail });
      return sendAwsJsonError(reply, err, requestId, operation);
    }
    logServerError(req, err, 'operation failed', { operation: target });
    return sendAwsJsonError(reply, internalError(), requestId);
  }
}

async function handleQuery(services: AwsQueryService[], req: FastifyRequest, reply: FastifyReply, body: Buffer, requestId: string) {
  const { lab } = req.server;
  const params = new URLSearchParams(body.toString('utf8'));
  const action = params.get('Action') ?? '';
  const version = params.get('Version') ?? '';
  await Promise.all(services.map((s) => loadModelOf(s)));
  const service = services.find((s) => implementsOperation(s, action)) ?? services[0];
  if (!service) return sendAwsQueryError(reply, new AwsError('InvalidAction', 400, `Could not find operation ${action}`), requestId);
  const { model } = service;
  let verified: { principal: AwsQueryContext['principal']; region: string } = { principal: null, region: registry(req).region };
  if (!service.unsignedActions?.includes(action)) {
    try {
      verified = verifySigV4(signedRequestOf(req, body), model.signingName, lab.aws.credentials, lab.clock, lab.aws.region);
    } catch (err) {
      if (err instanceof SigV4Error) return sendAwsQueryError(reply, awsQuerySigV4Error(err), requestId, model);
      throw err;
    }
  }
  if (!implementsOperation(service, action) || version !== model.version) {
    return sendAwsQueryError(reply, new AwsError('InvalidAction', 400, `Could not find operation ${action} for version ${version || 'NO_VERSION_SPECIFIED'}`), requestId, model);
  }
  const ctx: AwsQueryContext = { principal: verified.principal, region: verified.region, requestId, lab };
  try {
    const output = await runOperation(service, action, readQueryForm(model, model.operations[action]!.input, params), ctx);
    return sendAwsQueryResult(reply, model, action, output, requestId);
  } catch (err) {
    if (err instanceof AwsError) {
      if (err.status >= 500) logServerError(req, err, 'action failed', { action, detail: err.detail });
      return sendAwsQueryError(reply, err, requestId, model, action);
    }
    logServerError(req, err, 'action failed', { action });
    return sendAwsQueryError(reply, internalError(), requestId, model);
  }
}

/**
 * The lab's AWS endpoint: `POST /` dispatched by request shape (`X-Amz-Target` → an awsJson1_1
 * service; a form body with `Action=` → an awsQuery service), and the restJson1 routes services
 * register (SSO OIDC's `/token` …). So `AWS_ENDPOINT_URL=<lab URL>` points a whole application here.
 */
export async function awsEndpoint(app: FastifyInstance): Promise<void> {
  const registry = app.lab.aws;
  // The Date header tells the time as the lab's clock has it, as AWS's does: the SDKs correct
  // their clock skew from it after a "Signature expired".
  app.addHook('onSend', async (_req, reply) => {
    reply.header('date', new Date(app.lab.clock.now()).toUTCString());
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler(async (err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const requestId = randomUUID();
    const tooLarge = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const query = isFormRequest(req) && !req.headers['x-amz-target'];
    // A refused Host (allowed-hosts.ts): AccessDenied in the protocol's shape (assumed: the real
    // endpoints are only reached by their own names), the reason and fix in x-tti-lab-reason.
    const awsErr = err instanceof HostNotAllowedError
      ? new AwsError(query ? 'AccessDenied' : 'AccessDeniedException', 403, err.wireMessage, {}, err.message)
      : tooLarge
      ? new AwsError('RequestEntityTooLargeException', 413, `Request must be smaller than ${app.initialConfig.bodyLimit} bytes`)
      : err.statusCode && err.statusCode < 500
        ? serializationError(err.message)
        : internalError();
    if (!awsErr.status || awsErr.status >= 500) logServerError(req, err, 'request failed');
    const rest = registry.restRoutes.find((r) => r.path === req.routeOptions.url && r.method === req.method);
    if (rest?.sendError) return rest.sendError(reply, awsErr, requestId);
    if (query) return sendAwsQueryError(reply, awsErr, requestId);
    return sendAwsJsonError(reply, awsErr, requestId);
  });

  app.post('/', async (req, reply) => {
    const requestId = randomUUID();
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && target !== '') {
      const dot = target.lastIndexOf('.');
      const service = dot > 0 ? registry.jsonServices.get(target.slice(0, dot)) : undefined;
      if (!service) return sendAwsJsonError(reply, new AwsError('UnknownOperationException', 400, ''), requestId);
      return handleJson(service, target.slice(dot + 1), req, reply, body, requestId);
    }
    if (isFormRequest(req)) return handleQuery(registry.queryServices, req, reply, body, requestId);
    return sendAwsJsonError(
      reply,
      new AwsError('UnknownOperationException', 400, '', {}, 'POST / needs an X-Amz-Target header (awsJson services) or a form body with Action= (STS)'),
      requestId,
    );
  });

  for (const route of registry.restRoutes) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (req, reply) => route.handler(req, reply, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)),
    });
  }
}
