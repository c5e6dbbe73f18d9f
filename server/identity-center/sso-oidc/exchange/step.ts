import type { Ctx, Established } from './exchange-context.js';

/** What a step says when it passes, and what it establishes for the steps after it. */
export interface StepResult<A extends keyof Established = never> {
  reason: string;
  facts?: Record<string, unknown>;
  /** The members the step declared it produces (required), and any it establishes only sometimes. */
  set?: Pick<Established, A> & Partial<Established>;
}

/** A result that must carry `set` when the step declares members it produces. */
export type StepOutput<A extends keyof Established> = [A] extends [never] ? StepResult : StepResult<A> & { set: Pick<Established, A> & Partial<Established> };

/**
 * One named check of an exchange: a small function that passes (returning why, and what it
 * established) or throws an ExchangeFailure naming what failed. `N` are the context members it
 * needs (an earlier step, or the run's input, established them), `A` those it produces: a
 * pipeline (`pipeline.ts`) only accepts a step whose needs are met, so a step reads `ctx.user`, not
 * a non-null assertion. Steps with `effect: true` change state (token issuance, registrations) and are
 * skipped when a pipeline runs read-only, as `explain` runs it.
 */
export interface Step<N extends keyof Established = never, A extends keyof Established = never> {
  name: string;
  title: string;
  effect?: boolean;
  /** The trace name and title when the step runs for a public client (CreateToken), if they differ. */
  forPublicClient?: { name: string; title: string };
  run(ctx: Ctx<N>): Promise<StepOutput<A>> | StepOutput<A>;
}

/** A step of any needs, as a pipeline holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStep = Step<any, any>;
