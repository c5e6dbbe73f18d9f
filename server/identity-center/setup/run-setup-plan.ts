import { PLAN_FILTERS, type PlanCall, type PlanRef, type PlanStep, type SetupPlan } from './setup-plan.js';

/** A reference that has no value (yet): an earlier step failed, or the caller did not bind it. */
export class UnresolvedReference extends Error {
  constructor(readonly path: string) {
    super(`\${${path}} has no value`);
    this.name = 'UnresolvedReference';
  }
}

export type Bindings = ReadonlyMap<string, string>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isRef = (v: unknown): v is PlanRef => isObject(v) && typeof v.$ref === 'string' && Object.keys(v).every((k) => k === '$ref' || k === 'filters');

function refValue(r: PlanRef, bindings: Bindings): string {
  const v = bindings.get(r.$ref);
  if (v === undefined) throw new UnresolvedReference(r.$ref);
  return (r.filters ?? []).reduce((acc, f) => PLAN_FILTERS[f](acc), v);
}

/** A step input with its references replaced by their values; throws UnresolvedReference for one not bound. */
export function resolvePlanValue(value: unknown, bindings: Bindings): unknown {
  if (Array.isArray(value)) return value.map((v) => resolvePlanValue(v, bindings));
  if (!isObject(value)) return value;
  if (isRef(value)) return refValue(value, bindings);
  if (Object.keys(value).length === 1 && '$literal' in value) return value.$literal;
  if (Object.keys(value).length === 1 && Array.isArray(value.$join)) return value.$join.map((p) => (typeof p === 'string' ? p : refValue(p as PlanRef, bindings))).join('');
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlanValue(v, bindings)]));
}

export interface RunSetupPlanOptions {
  /** Makes one call; throws the target's refusal (the caller turns it into its own error, naming `step.at`). */
  send(step: PlanStep, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Values bound before the plan runs: the instance, and resources that exist already (their steps are skipped). */
  bindings?: Bindings;
  /** Called as each reference gets its value. */
  onBind?(ref: string, value: string): void;
  /** Called once a step has run, with the call that removes what it made. */
  onUndo?(call: PlanCall): void;
  /** Waits between the tries of a step with `until`. */
  sleep?(ms: number): Promise<void>;
}

/**
 * Runs a setup plan, step by step, through `send`: the one executor for the lab in-process and for
 * the harness's targets. A step whose references are all bound already is skipped (the resource
 * exists), and so are the steps that configure it. Returns every binding.
 */
export async function runSetupPlan(plan: SetupPlan, opts: RunSetupPlanOptions): Promise<Map<string, string>> {
  const bindings = new Map(opts.bindings ?? []);
  const existed = new Set(bindings.keys());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((res) => setTimeout(res, ms)));
  for (const step of plan) {
    const made = Object.keys(step.bind ?? {});
    if (made.length && made.every((r) => bindings.has(r))) {
      for (const r of made) existed.add(r);
      continue;
    }
    if (step.configures !== undefined && existed.has(step.configures)) continue;
    const input = resolvePlanValue(step.input, bindings) as Record<string, unknown>;
    let output = await opts.send(step, input);
    for (let tries = 1; step.until && output[step.until.member] !== step.until.equals; tries++) {
      if (tries >= step.until.attempts) throw new Error(`${step.operation} ${JSON.stringify(input)}: ${step.until.member} is ${String(output[step.until.member])}, not ${step.until.equals}, after ${tries} tries`);
      await sleep(step.until.intervalMs);
      output = await opts.send(step, input);
    }
    for (const [r, member] of Object.entries(step.bind ?? {})) {
      const value = output[member];
      if (typeof value !== 'string' || !value) throw new Error(`${step.operation} answered without ${member}`);
      bindings.set(r, value);
      opts.onBind?.(r, value);
    }
    if (step.undo) opts.onUndo?.({ service: step.service, operation: step.undo.operation, input: resolvePlanValue(step.undo.input, bindings) as Record<string, unknown> });
  }
  return bindings;
}
