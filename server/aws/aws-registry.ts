import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LabServices } from '../lab/lab-services.js';
import type { CredentialRegistry, Principal } from './aws-credentials.js';
import type { AwsError } from './aws-error.js';

/** What an operation knows about the call it serves. */
export interface AwsCallContext {
  principal: Principal;
  region: string;
  requestId: string;
  lab: LabServices;
}

/** One awsJson1_1 operation: input object in, output object out, or an AwsError thrown. */
export type AwsJsonOperation = (input: Record<string, unknown>, ctx: AwsCallContext) => Promise<unknown> | unknown;

/** An awsJson1_1 service, dispatched by `X-Amz-Target: <targetPrefix>.<Operation>`. */
export interface AwsJsonService {
  name: string;
  targetPrefix: string;
  /** SigV4 signing name (the credential scope's service). */
  signingName: string;
  operations: Record<string, AwsJsonOperation>;
}

/** An awsQuery call's context: as AwsCallContext, but unsigned actions have no principal. */
export type AwsQueryContext = Omit<AwsCallContext, 'principal'> & { principal: Principal | null };

/** One awsQuery action: form parameters in, the XML of `<ActionResult>` out. */
export type AwsQueryAction = (params: URLSearchParams, ctx: AwsQueryContext) => Promise<string> | string;

/** An awsQuery service (STS), dispatched by the form body's `Action=`. */
export interface AwsQueryService {
  name: string;
  signingName: string;
  version: string;
  xmlns: string;
  actions: Record<string, AwsQueryAction>;
  /** Actions that need no signature (AssumeRoleWithWebIdentity): their context has a null principal. */
  unsignedActions?: string[];
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
 * Every AWS service the lab's single endpoint answers, and the credentials it accepts. Features
 * register themselves here before the app is built; the endpoint plugin dispatches by request shape.
 */
export class AwsRegistry {
  readonly jsonServices = new Map<string, AwsJsonService>();
  readonly queryServices: AwsQueryService[] = [];
  readonly restRoutes: AwsRestRoute[] = [];

  constructor(
    readonly credentials: CredentialRegistry,
    /** The region the lab reports in ARNs and endpoints. */
    readonly region: string,
  ) {}

  addJsonService(service: AwsJsonService): void {
    this.jsonServices.set(service.targetPrefix, service);
  }

  addQueryService(service: AwsQueryService): void {
    this.queryServices.push(service);
  }

  addRestRoute(route: AwsRestRoute): void {
    this.restRoutes.push(route);
  }
}
