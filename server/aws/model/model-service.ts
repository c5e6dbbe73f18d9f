import { AwsError } from '../aws-error.js';
import type { AwsCallContext } from '../aws-registry.js';
import type { ConstraintTable } from './constraint-table.js';
import { type InputCheck, readInput } from './read-input.js';
import type { OperationModel, ServiceModel } from './service-model.js';
import { loadServiceModel, type ServiceName } from './service-models.js';

/** What an operation's handler gets: its input, read and validated by the model, and the call. */
export interface ModelCall<Ctx = AwsCallContext> {
  readonly input: Record<string, unknown>;
  readonly ctx: Ctx;
  readonly operation: OperationModel;
  readonly service: ModelService<Ctx>;
}

/** One operation's handler: the output structure (model member names) in, or an AwsError thrown. */
export type ModelHandler<Ctx = AwsCallContext> = (call: ModelCall<Ctx>) => unknown;

/**
 * A service the lab emulates, defined the same way for every protocol: its model, its constraint
 * table, and a handler per implemented operation. The protocol adapter (awsJson, awsQuery,
 * restJson, restXml) turns the request into a raw input and the result or error into bytes;
 * `runOperation` does the rest, so every service validates, dispatches and checks errors alike.
 */
export interface ModelService<Ctx = AwsCallContext> {
  /** Which service's model (service-models.ts): loaded on the service's first call, not at start. */
  readonly modelName: ServiceName;
  /**
   * The model; a getter that reads the loaded model (`serviceModel(modelName)`, or a model derived
   * from it), valid once `loadModelOf` has run — `runOperation` and the protocol adapters do that first.
   */
  readonly model: ServiceModel;
  readonly constraints: ConstraintTable;
  readonly handlers: Readonly<Record<string, ModelHandler<Ctx>>>;
  /**
   * Per operation, the service's own rules on its input beyond the model (read-input.ts,
   * `InputCheck`): their problems join the model's in one ValidationException.
   */
  readonly checks?: Readonly<Record<string, InputCheck>>;
  /**
   * Errors any operation of the service may answer that its model does not list, by the code they
   * go on the wire with: the service's common errors (STS: `AccessDenied`, `ValidationError`; S3
   * Control, whose model declares none: its documented error-code list).
   */
  readonly commonErrors?: readonly string[];
}

/** Errors the protocol itself may answer for any operation, declared or not. */
const PROTOCOL_ERRORS = new Set(['SerializationException', 'UnknownOperationException', 'InternalFailure', 'InternalServerException']);

export const defineModelService = <Ctx = AwsCallContext>(service: ModelService<Ctx>): ModelService<Ctx> => service;

/** Loads the service's model if it is not yet (the first call to the service parses it). */
export async function loadModelOf<Ctx>(service: ModelService<Ctx>): Promise<ServiceModel> {
  await loadServiceModel(service.modelName);
  return service.model;
}

/** Whether the service implements `name` (a model operation with a handler). */
export function implementsOperation<Ctx>(service: ModelService<Ctx>, name: string): boolean {
  return Object.hasOwn(service.handlers, name) && Object.hasOwn(service.model.operations, name);
}

/**
 * Reads the input by the model, runs the handler, and holds the handler to the model's error list:
 * an AwsError the operation does not declare is one the real service can never send, so it is a lab
 * bug — it becomes an InternalServerException whose private reason (x-tti-lab-reason) names it,
 * rather than a plausible-looking wrong answer. The error's modelled members that the call can fill
 * (`RequestId`, as the Identity Store's exceptions model it) are filled here.
 */
export async function runOperation<Ctx extends { requestId: string }>(service: ModelService<Ctx>, name: string, raw: unknown, ctx: Ctx): Promise<unknown> {
  await loadModelOf(service);
  const operation = service.model.operations[name];
  const handler = Object.hasOwn(service.handlers, name) ? service.handlers[name] : undefined;
  if (!operation || !handler) throw new AwsError('UnknownOperationException', 400, '', {}, `${service.model.service} has no operation ${name} in the lab`);
  try {
    const check = service.checks && Object.hasOwn(service.checks, name) ? service.checks[name] : undefined;
    const input = readInput(service.model, service.constraints, operation.input, raw, { check });
    return await handler({ input, ctx, operation, service });
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    const declared = operation.errors.includes(err.type) || PROTOCOL_ERRORS.has(err.type) || Boolean(service.commonErrors?.includes(err.type)) || declaredByCode(service.model, operation, err.type);
    if (!declared) {
      throw new AwsError('InternalServerException', 500, 'An internal error occurred. Try again later.', {}, `tti-lab bug: ${name} raised ${err.type}, which its model does not declare: ${err.message}`);
    }
    return fillModelledMembers(service.model, err, ctx);
  }
}

/** awsQuery errors go on the wire under their `awsQueryError` code (`InvalidContextAssertion`), not the shape name. */
function declaredByCode(model: ServiceModel, operation: OperationModel, code: string): boolean {
  return operation.errors.some((e) => {
    const q = model.shapes[e]?.traits?.awsQueryError;
    return Array.isArray(q) && q[0] === code;
  });
}

function fillModelledMembers(model: ServiceModel, err: AwsError, ctx: { requestId: string }): never {
  const shape = model.shapes[err.type];
  if (shape?.type === 'structure' && 'RequestId' in shape.members && err.fields.RequestId === undefined) {
    throw new AwsError(err.type, err.status, err.message, { ...err.fields, RequestId: ctx.requestId }, err.why);
  }
  throw err;
}
