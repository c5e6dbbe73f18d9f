/**
 * An error an AWS API returns: the exception name (what the SDK throws), the HTTP status, the
 * message, and any extra modelled members (Reason, error, error_description …). Each protocol
 * serialises it in one place: aws-json-protocol.ts, aws-query-protocol.ts, and the SSO OIDC one.
 */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly fields: Record<string, unknown> = {},
    /** The full reason for the lab's logs and `x-tti-lab-reason`; never part of the wire body. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** AWS's request-validation errors, in the Coral wording the real services use. */
export class ValidationError extends AwsError {
  constructor(message: string, fields: Record<string, unknown> = {}) {
    super('ValidationException', 400, message, fields);
  }
}

export const serializationError = (message: string) => new AwsError('SerializationException', 400, message);
