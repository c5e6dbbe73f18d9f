import type { FailureKey } from '../../profile/behaviour-profile.js';

/**
 * A step's refusal: which failure (a key of the behaviour profile, which decides the wire answer),
 * the full reason in plain words, and the concrete fix when there is one. The reason and fix never
 * reach the wire body; they go to the exchange log, the trace and `x-tti-lab-reason`.
 */
export class ExchangeFailure extends Error {
  constructor(
    readonly key: FailureKey,
    readonly reason: string,
    readonly fix?: string,
    readonly facts: Record<string, unknown> = {},
  ) {
    super(reason);
    this.name = 'ExchangeFailure';
  }
}
