import { AwsError, ValidationError } from '../../aws/aws-error.js';
import type { AwsCallContext } from '../../aws/aws-registry.js';
import type { IdentityCenter } from '../identity-center.js';

/**
 * The errors an SSO Admin operation may declare beyond the four every operation has
 * (ThrottlingException, InternalServerException, AccessDeniedException, ValidationException).
 */
export type ModelledError = 'ResourceNotFoundException' | 'ConflictException' | 'ServiceQuotaExceededException';

/** What an operation's handler gets: the Identity Center, the call, and its input. */
export interface SsoAdminCall {
  readonly ic: IdentityCenter;
  readonly ctx: AwsCallContext;
  readonly input: Record<string, unknown>;
  readonly operation: SsoAdminOperation;
  /** The caller's account (`ctx.principal.accountId`): what it may see and what it creates in. */
  readonly accountId: string;
  /** Epoch seconds on the lab's clock. */
  now(): number;
}

/**
 * One SSO Admin operation: its name (the `X-Amz-Target` suffix), the extra errors its model
 * declares, and the handler. Every operation module exports a list of these; the service registers
 * them all in one loop.
 */
export interface SsoAdminOperation {
  readonly name: string;
  readonly errors: readonly ModelledError[];
  run(call: SsoAdminCall): Promise<unknown> | unknown;
}

export const operation = (name: string, errors: readonly ModelledError[], run: SsoAdminOperation['run']): SsoAdminOperation => ({ name, errors, run });

/**
 * "Not found" as the operation can say it. A Coral service can only return the errors its model
 * declares, so an operation that declares ResourceNotFoundException (404) uses it; the few that do
 * not (DescribeInstance, DeleteInstance, CreateTrustedTokenIssuer, ListTrustedTokenIssuers,
 * ListApplications) answer ValidationException (400) with the same message. Assumed; see
 * docs/sso-admin.md.
 */
export function notFound(call: SsoAdminCall, message: string, detail?: string): AwsError {
  if (call.operation.errors.includes('ResourceNotFoundException')) return new AwsError('ResourceNotFoundException', 404, message, {}, detail);
  const err = new ValidationError(message);
  return detail ? new AwsError(err.type, err.status, err.message, {}, detail) : err;
}

export const conflict = (message: string, detail?: string): AwsError => new AwsError('ConflictException', 409, message, {}, detail);

export const quotaExceeded = (message: string): AwsError => new AwsError('ServiceQuotaExceededException', 402, message);

/** A ValidationException the service raises itself (beyond the model's constraints); wording assumed. */
export const invalid = (message: string): ValidationError => new ValidationError(message);
