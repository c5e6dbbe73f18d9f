import type { LabReason } from './protocols/lab-reason-header.js';

/**
 * Why the lab refused, for its own eyes only — the exchange log, the server log and
 * `x-tti-lab-reason`, never the wire body: the named step or check that refused (when the error
 * knows it; else the serialiser names the operation), the reason in plain words, and the fix.
 */
export interface PrivateReason {
  readonly step?: string;
  readonly reason: string;
  readonly fix?: string;
}

/**
 * The lab's one failure: a public answer — what the wire says: the exception or error code
 * (`type`), the HTTP status, the message, and any modelled members (an SSO OIDC exception's
 * `error` / `error_description` / `reason`, Identity Store's `RequestId` …) — and a private reason
 * (`why`) that never reaches the body. Every protocol serialises it in one place: awsJson
 * (`protocols/aws-json-protocol.ts`), awsQuery (`protocols/aws-query-protocol.ts`), SSO OIDC's
 * restJson/OAuth (`sso-oidc/oidc-error-response.ts`), the lab's own JSON (`LabError`,
 * `app/build-app.ts`); each writes the private reason with the one helper,
 * `protocols/lab-reason-header.ts`. As in node-oidc-provider's errors, the public answer is fixed
 * and short, the detail private; an error that is not an AwsError is the lab's bug and answers as
 * the protocol's internal error.
 */
export class AwsError extends Error {
  readonly why?: PrivateReason;

  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly fields: Record<string, unknown> = {},
    /** The private reason: its text, or with the step and the fix. */
    why?: string | PrivateReason,
  ) {
    super(message);
    this.name = type;
    if (why) this.why = typeof why === 'string' ? { reason: why } : why;
  }

  /** The private reason's text (the server log's `detail`). */
  get detail(): string | undefined {
    return this.why?.reason;
  }

  /** What `x-tti-lab-reason` says: the error's own step, else `step` (the operation, or `request`). */
  labReason(step: string): LabReason | undefined {
    if (!this.why) return undefined;
    return { step: this.why.step ?? step, reason: this.why.reason, ...(this.why.fix ? { fix: this.why.fix } : {}) };
  }
}

/** AWS's request-validation errors, in the Coral wording the real services use. */
export class ValidationError extends AwsError {
  constructor(message: string, fields: Record<string, unknown> = {}) {
    super('ValidationException', 400, message, fields);
  }
}

export const serializationError = (message: string) => new AwsError('SerializationException', 400, message);
