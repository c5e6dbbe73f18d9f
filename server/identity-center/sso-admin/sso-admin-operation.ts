import { AwsError, ValidationError } from '../../aws/aws-error.js';
import type { ModelCall } from '../../aws/model/model-service.js';
import type { IdentityCenter } from '../identity-center.js';

/**
 * What an SSO Admin handler gets: the call as `runOperation` hands it over (its input read and
 * validated by the model, the operation's model, the call context), and the Identity Center.
 */
export interface SsoAdminCall extends ModelCall {
  readonly ic: IdentityCenter;
  /** The caller's account (`ctx.principal.accountId`): what it may see and what it creates in. */
  readonly accountId: string;
  /** Epoch seconds on the lab's clock. */
  now(): number;
}

/** One SSO Admin operation's handler: the output structure, or an AwsError its model declares. */
export type SsoAdminHandler = (call: SsoAdminCall) => Promise<unknown> | unknown;

/** Handlers by operation name; every operation module exports one of these. */
export type SsoAdminHandlers = Record<string, SsoAdminHandler>;

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
