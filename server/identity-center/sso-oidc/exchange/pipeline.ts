import type { Ctx, Established } from './exchange-context.js';
import type { AnyStep, Step } from './step.js';
import type { ClientKind } from '../tokens/credential-store.js';

type Key = keyof Established;

/**
 * A flow's named steps in order, typed by what its context holds once they have passed: `I` the
 * members the run's input gives, `K` those every step up to here established (and `I`), `E` those
 * only effect steps establish. `then` accepts a step only if `K` covers what it needs — otherwise
 * the compiler names the missing members — so no step reads a member nothing set.
 */
export class Pipeline<K extends Key, E extends Key = never, I extends Key = never> {
  private constructor(
    /** Whose flow this is, when it serves one kind of client: steps that name themselves per kind (forPublicClient) follow it. */
    readonly client: ClientKind | undefined,
    readonly steps: readonly AnyStep[],
  ) {}

  /** A flow (for one kind of client, if it serves one) starting from the members `I` its input gives. */
  static for<I extends Key = never>(client?: ClientKind): Pipeline<I, never, I> {
    return new Pipeline<I, never, I>(client, []);
  }

  then<N extends Key, A extends Key>(step: Step<N, A>, ..._needs: [N] extends [K] ? [] : [missing: Exclude<N, K>]): Pipeline<K | A, E, I> {
    return new Pipeline<K | A, E, I>(this.client, [...this.steps, this.#labelled(step)]);
  }

  /** An effect step (skipped in a read-only run; nothing after it may need what it produces). */
  effect<N extends Key, A extends Key>(step: Step<N, A> & { effect: true }, ..._needs: [N] extends [K] ? [] : [missing: Exclude<N, K>]): Pipeline<K, E | A, I> {
    return new Pipeline<K, E | A, I>(this.client, [...this.steps, this.#labelled(step)]);
  }

  #labelled(step: AnyStep): AnyStep {
    return this.client === 'public' && step.forPublicClient ? { ...step, ...step.forPublicClient } : step;
  }
}

/** What a flow's context holds after a run that passed every step. */
export type FlowContext<P> = P extends Pipeline<infer K, infer E, infer _I> ? Ctx<K | E> : never;

/** What a flow's run must be given. */
export type FlowInput<P> = P extends Pipeline<infer _K, infer _E, infer I> ? Pick<Established, I> : never;
