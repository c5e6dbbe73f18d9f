import type { ExchangeContext } from './exchange-context.js';

/** What a step says when it passes. */
export interface StepResult {
  reason: string;
  facts?: Record<string, unknown>;
}

/**
 * One named check of an exchange: a small function that passes (returning why) or throws an
 * ExchangeFailure naming what failed. Steps with `effect: true` change state (replay cache, token
 * issuance) and are skipped when a pipeline runs read-only, as `explain` runs it.
 */
export interface Step {
  name: string;
  title: string;
  effect?: boolean;
  run(ctx: ExchangeContext): Promise<StepResult> | StepResult;
}
