import { AwsError } from '../../../aws/aws-error.js';
import type { FailureKey } from '../../profile/behaviour-profile.js';

/**
 * A step's refusal: the lab's one failure (`AwsError`) whose public answer the behaviour profile
 * gives by `key` (`failureError`, profile/failure-error.ts, once the run knows the failed step) —
 * until then the safe one, an internal error that says nothing — and whose private reason is the
 * full reason in plain words and the concrete fix when there is one. The reason and fix never reach
 * the wire body; they go to the exchange log, the trace and `x-tti-lab-reason`.
 */
export class ExchangeFailure extends AwsError {
  constructor(
    readonly key: FailureKey,
    reason: string,
    fix?: string,
    readonly facts: Record<string, unknown> = {},
  ) {
    super('InternalServerException', 500, 'An internal error occurred. Try again later.', {}, { reason, ...(fix ? { fix } : {}) });
    this.name = 'ExchangeFailure';
  }

  get reason(): string {
    return this.why!.reason;
  }

  get fix(): string | undefined {
    return this.why!.fix;
  }
}
