import { AwsError, type PrivateReason } from '../aws/aws-error.js';

/**
 * A refusal by one of the lab's own HTTP routes (issuers' mint, control API, workbench, unknown
 * routes): the lab's one failure (`AwsError`: a public answer and a private reason), answered in
 * the lab's own JSON, `{ "error": "<code>", "message": "<what is wrong and how to fix it>" }`, by
 * `app/build-app.ts` (the private reason, when there is one, in `x-tti-lab-reason`). A lab route
 * has no wire format to imitate, so its public message is already the full explanation.
 */
export class LabError extends AwsError {
  constructor(statusCode: number, code: string, message: string, why?: PrivateReason) {
    super(code, statusCode, message, {}, why);
    this.name = 'LabError';
  }

  get statusCode(): number {
    return this.status;
  }

  get code(): string {
    return this.type;
  }

  toJSON(): { error: string; message: string } {
    return { error: this.code, message: this.message };
  }
}
