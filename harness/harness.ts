import { writeFile } from 'node:fs/promises';
import { compareSides, type Comparison, type Side } from './compare/compare.js';
import { suggestProfile } from './compare/suggest-profile.js';
import { cassetteOf, readCassette, sideOfCassette, writeCassette } from './report/cassette.js';
import { summarise, type Summary } from './report/summary.js';
import { renderRun, PLAIN, type Style } from './report/terminal.js';
import { writeReports } from './report/write-reports.js';
import { runHarness, type HarnessRun, type Progress, type Shard } from './run/run-harness.js';
import { targetsFromOptions, type TargetOptions } from './run/targets-from-options.js';
import { loadScenarios } from './scenario/load-scenarios.js';
import type { Scenario } from './scenario/scenario.js';

/**
 * The harness as one call: load scenarios, run them on the targets, compare (two targets, or one
 * against a cassette), render, and write what was asked for. The CLI (`tti-lab harness`) is a thin
 * layer over this; tests call it directly.
 */
export interface HarnessOptions extends TargetOptions {
  files?: string[];
  catalog?: boolean;
  /** Only scenarios whose name or a tag contains one of these. */
  filter?: string[];
  /** A cassette to compare the (single) target with. */
  against?: string;
  report?: string;
  record?: string;
  suggestProfile?: string;
  shard?: Shard;
  concurrency?: number;
  signal?: AbortSignal;
  runId?: string;
  onProgress?(p: Progress): void;
  style?: Style;
  width?: number;
}

export interface HarnessOutcome {
  run: HarnessRun;
  comparison?: Comparison;
  summary: Summary;
  /** What to print: the side-by-side table (or the call listing of a dry run) and the summary line. */
  text: string;
  /** Files written (reports, cassette, suggestion). */
  written: string[];
  suggestion?: string;
}

export function filterScenarios(scenarios: Scenario[], filters: string[] | undefined): Scenario[] {
  if (!filters?.length) return scenarios;
  return scenarios.filter((s) => filters.some((f) => s.name.includes(f) || s.tags.some((t) => t.includes(f))));
}

/** A dry run's listing: every call each scenario would make, with target-assigned values as `${…}`. */
export function dryRunListing(run: HarnessRun): string {
  const lines: string[] = [];
  for (const [target, results] of Object.entries(run.results)) {
    lines.push(`# ${target}: calls a run would make (nothing was sent)`);
    for (const r of results) {
      lines.push(`\n## ${r.scenario}`);
      for (const c of r.calls) lines.push(`${c.phase.padEnd(7)} ${c.service} ${c.operation} ${JSON.stringify(c.input)}${c.session !== undefined ? ` (signed with step ${c.session}'s session)` : ''}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export async function harness(opts: HarnessOptions): Promise<HarnessOutcome> {
  const scenarios = filterScenarios(await loadScenarios({ ...(opts.files ? { files: opts.files } : {}), ...(opts.catalog ? { catalog: true } : {}) }), opts.filter);
  if (!scenarios.length) throw new Error('no scenarios: give scenario files, or --catalog (and check --filter)');
  if (opts.against && opts.targets.length !== 1) throw new Error('compare --against runs one --target against the cassette');
  const cassette = opts.against ? await readCassette(opts.against) : undefined;
  const targets = targetsFromOptions(opts);
  const run = await runHarness({
    scenarios,
    targets,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.shard ? { shard: opts.shard } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.runId ? { runId: opts.runId } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const sides: Side[] = run.targets.map((t) => ({ name: t.name, kind: t.kind, scenarios: run.results[t.name]! }));
  let comparison: Comparison | undefined;
  if (cassette) {
    const ran = new Set(sides[0]!.scenarios.map((s) => s.scenario));
    comparison = compareSides(sides[0]!, { ...sideOfCassette(cassette), scenarios: cassette.scenarios.filter((s) => ran.has(s.scenario)) });
  } else if (sides.length === 2 && !opts.dryRun) {
    comparison = compareSides(sides[0]!, sides[1]!);
  }
  const summary = summarise(run, comparison);
  const date = run.finishedAt.slice(0, 10);
  const suggestion = comparison && comparison.divergences ? suggestProfile(comparison, { runId: run.runId, date }) : undefined;
  const written: string[] = [];
  if (opts.report) written.push(...(await writeReports(opts.report, run, comparison, summary, suggestion)));
  if (opts.record && !opts.dryRun) {
    const target = run.targets.find((t) => t.kind === 'aws') ?? run.targets[0]!;
    await writeCassette(opts.record, cassetteOf(run, target.name));
    written.push(opts.record);
  }
  if (opts.suggestProfile && comparison) {
    await writeFile(opts.suggestProfile, suggestion ?? `# tti-lab harness run ${run.runId}: no divergence, nothing to suggest\n`);
    written.push(opts.suggestProfile);
  }
  const text = opts.dryRun ? dryRunListing(run) : renderRun(run, comparison, summary, { style: opts.style ?? PLAIN, ...(opts.width ? { width: opts.width } : {}) });
  return { run, ...(comparison ? { comparison } : {}), summary, text, written, ...(suggestion ? { suggestion } : {}) };
}
