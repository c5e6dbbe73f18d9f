import type { ExchangeContext } from './exchange-context.js';
import { ExchangeFailure } from './exchange-failure.js';
import type { AnyStep } from './step.js';
import type { TraceEntry } from './trace.js';

export interface PipelineOutcome {
  trace: TraceEntry[];
  failure?: ExchangeFailure;
}

/**
 * Runs steps in order until one fails, each one's `set` added to the context for the steps after it. Every step appears in the trace: passed, failed, or skipped
 * (after a failure, or an effect step in a read-only run). Errors other than ExchangeFailure are
 * not caught here: they are the lab's bugs and become an InternalServerException upstream.
 */
export async function runSteps(steps: readonly AnyStep[], ctx: ExchangeContext, opts: { readOnly?: boolean } = {}): Promise<PipelineOutcome> {
  const trace: TraceEntry[] = [];
  let failure: ExchangeFailure | undefined;
  for (const step of steps) {
    if (failure) {
      trace.push({ step: step.name, title: step.title, verdict: 'skip', reason: 'not reached: an earlier step failed' });
      continue;
    }
    if (opts.readOnly && step.effect) {
      trace.push({ step: step.name, title: step.title, verdict: 'skip', reason: 'read-only run: this step changes state and was not performed' });
      continue;
    }
    try {
      const ran = step.run(ctx);
      const result = ran instanceof Promise ? await ran : ran; // most steps are synchronous: no microtask turn for them
      // What the step established, for the steps after it (the pipeline checked they need no more than this).
      if (result.set) Object.assign(ctx, result.set);
      trace.push({ step: step.name, title: step.title, verdict: 'pass', reason: result.reason, ...(result.facts ? { facts: result.facts } : {}) });
    } catch (err) {
      if (!(err instanceof ExchangeFailure)) throw err;
      failure = err;
      trace.push({
        step: step.name,
        title: step.title,
        verdict: 'fail',
        reason: err.reason,
        failure: err.key,
        ...(err.fix ? { fix: err.fix } : {}),
        ...(Object.keys(err.facts).length ? { facts: err.facts } : {}),
      });
    }
  }
  return failure ? { trace, failure } : { trace };
}
