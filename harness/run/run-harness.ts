import { createHash, randomBytes } from 'node:crypto';
import type { Scenario } from '../scenario/scenario.js';
import type { Target } from '../targets/target.js';
import { runScenario, type ScenarioResult } from './run-scenario.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `i/n` → a shard, or an error message. */
export function parseShard(text: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) return `--shard: expected i/n with 1 ≤ i ≤ n, such as 2/4, got "${text}"`;
  return { index, count };
}

/** Every n-th scenario of the sorted list, so shards are disjoint, cover everything, and stay stable as files are added elsewhere. */
export function shardOf<T>(items: T[], shard: Shard | undefined): T[] {
  return shard ? items.filter((_, i) => i % shard.count === shard.index - 1) : items;
}

export interface Progress {
  done: number;
  total: number;
  running: string[];
}

export interface HarnessRunOptions {
  scenarios: Scenario[];
  targets: Target[];
  /** Scenarios at a time, when every target allows it. Default 4. */
  concurrency?: number;
  shard?: Shard;
  signal?: AbortSignal;
  /** Default: 6 random lowercase letters and digits. */
  runId?: string;
  onProgress?(p: Progress): void;
}

export interface HarnessRun {
  runId: string;
  startedAt: string;
  finishedAt: string;
  targets: { name: string; kind: 'mock' | 'aws'; description: string }[];
  shard?: Shard;
  interrupted: boolean;
  /** Per target name, in scenario order. */
  results: Record<string, ScenarioResult[]>;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const newRunId = () => [...randomBytes(6)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

/** A scenario's namespace in a run: the same on every target of the run, so inputs match. */
export const namespaceOf = (runId: string, scenario: string) => `${runId}-${createHash('sha256').update(scenario).digest('hex').slice(0, 4)}`;

/**
 * Runs the scenarios on every target. Each scenario runs on all targets at once, with the same
 * namespace; scenarios run `concurrency` at a time, or one at a time when a target needs that, and
 * those with `setup.access_grants` one at a time (an account has one S3 Access Grants instance per
 * region, which such a scenario creates and deletes). After
 * an interruption no new scenario starts, and the running ones clean up before this returns.
 */
export async function runHarness(opts: HarnessRunOptions): Promise<HarnessRun> {
  const runId = opts.runId ?? newRunId();
  const startedAt = new Date().toISOString();
  const signal = opts.signal ?? new AbortController().signal;
  const scenarios = shardOf(opts.scenarios, opts.shard);
  const concurrency = opts.targets.every((t) => t.concurrent) ? Math.max(1, opts.concurrency ?? 4) : 1;
  const results: Record<string, (ScenarioResult | undefined)[]> = Object.fromEntries(opts.targets.map((t) => [t.name, []]));
  const running = new Set<string>();
  let done = 0;
  let next = 0;
  const report = () => opts.onProgress?.({ done, total: scenarios.length, running: [...running] });
  /** The tail of the access grants scenarios' queue: each waits for the one before it. */
  let accessGrants: Promise<unknown> = Promise.resolve();
  report();
  const worker = async () => {
    while (next < scenarios.length && !signal.aborted) {
      const index = next++;
      const sc = scenarios[index]!;
      running.add(sc.name);
      report();
      const ns = namespaceOf(runId, sc.name);
      const runAll = () => Promise.all(opts.targets.map((t) => runScenario(t, sc, { runId, ns, signal })));
      let outcomes: ScenarioResult[];
      if (sc.setup.access_grants) {
        const turn = accessGrants.then(runAll);
        accessGrants = turn.catch(() => undefined);
        outcomes = await turn;
      } else outcomes = await runAll();
      for (const [k, t] of opts.targets.entries()) results[t.name]![index] = outcomes[k];
      running.delete(sc.name);
      done += 1;
      report();
    }
  };
  try {
    await Promise.all(opts.targets.map((t) => t.prepare?.(scenarios, runId)));
    await Promise.all(Array.from({ length: Math.min(concurrency, scenarios.length) }, worker));
  } finally {
    await Promise.all(opts.targets.map((t) => t.close().catch(() => undefined)));
  }
  return {
    runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    targets: opts.targets.map((t) => ({ name: t.name, kind: t.kind, description: t.description })),
    ...(opts.shard ? { shard: opts.shard } : {}),
    interrupted: signal.aborted,
    results: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.filter((x): x is ScenarioResult => x !== undefined)])),
  };
}
