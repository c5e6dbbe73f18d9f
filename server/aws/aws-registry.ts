import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LabServices } from '../lab/lab-services.js';
import type { CredentialRegistry, Principal } from './aws-credentials.js';
import type { AwsError } from './aws-error.js';
import type { ModelService } from './model/model-service.js';
import type { ServiceName } from './model/service-models.js';

/** What an operation knows about the call it serves. */
export interface AwsCallContext {
  principal: Principal;
  region: string;
  requestId: string;
  lab: LabServices;
}

/** An awsQuery call's context: as AwsCallContext, but unsigned actions have no principal. */
export type AwsQueryContext = Omit<AwsCallContext, 'principal'> & { principal: Principal | null };

/**
 * An awsQuery service (STS), dispatched by the form body's `Action=`: a model-driven service (its
 * model gives the signing name, the Version, the XML namespace, the form's and the answer's shapes),
 * its handlers returning output objects.
 */
export interface AwsQueryService extends ModelService<AwsQueryContext> {
  /** Actions that need no signature (AssumeRoleWithWebIdentity): their context has a null principal. */
  readonly unsignedActions?: readonly string[];
}

/** A REST route (restJson1: SSO OIDC; restXml: S3 Control): the service handles signing and its own error model. */
export interface AwsRestRoute {
  method: 'POST' | 'GET' | 'PUT' | 'DELETE';
  path: string;
  service: string;
  handler(req: FastifyRequest, reply: FastifyReply, body: Buffer): Promise<unknown>;
  /** Answers an error raised before the handler ran (a body over the limit …) in the service's own shape. */
  sendError?(reply: FastifyReply, err: AwsError, requestId: string): FastifyReply;
}

/**
 * The `X-Amz-Target` prefix of each awsJson1_1 service, by model name: its model's `serviceTarget`,
 * known here so the endpoint routes a call without loading every model (the first call checks it).
 */
export const JSON_TARGET_PREFIX: Partial<Record<ServiceName, string>> = { 'sso-admin': 'SWBExternalService', identitystore: 'AWSIdentityStore' };

/**
 * Every AWS service the lab's single endpoint answers, and the credentials it accepts. Features
 * register themselves here before the app is built; the endpoint plugin dispatches by request shape.
 */
export class AwsRegistry {
  /** awsJson1_1 services by their model's `X-Amz-Target` prefix (`SWBExternalService`, `AWSIdentityStore`). */
  readonly jsonServices = new Map<string, ModelService>();
  readonly queryServices: AwsQueryService[] = [];
  readonly restRoutes: AwsRestRoute[] = [];

  constructor(
    readonly credentials: CredentialRegistry,
    /** The region the lab reports in ARNs and endpoints. */
    readonly region: string,
  ) {}

  /**
   * An awsJson1_1 service defined by its model (model-service.ts): dispatched by
   * `X-Amz-Target: <model.serviceTarget>.<Operation>`, signed with `model.signingName`. Registered
   * under its prefix from {@link JSON_TARGET_PREFIX}, so its model is loaded on its first call only
   * (the endpoint checks the prefix and protocol against the model then).
   */
  addJsonService(service: ModelService): void {
    const prefix = JSON_TARGET_PREFIX[service.modelName];
    if (!prefix) throw new Error(`${service.modelName} is not an awsJson1_1 service the lab knows (JSON_TARGET_PREFIX)`);
    this.jsonServices.set(prefix, service);
  }

  addQueryService(service: AwsQueryService): void {
    this.queryServices.push(service);
  }

  addRestRoute(route: AwsRestRoute): void {
    this.restRoutes.push(route);
  }
}
