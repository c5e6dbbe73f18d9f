import type { Comparison } from '../compare/compare.js';
import type { HarnessRun } from '../run/run-harness.js';
import type { ScenarioResult } from '../run/run-scenario.js';

/** What a run amounts to, for the last line, the reports and the exit status. */
export interface Summary {
  scenarios: number;
  perTarget: Record<string, { passed: number; failed: number; pending: number; error: number; leftovers: number }>;
  divergences: number;
  divergentScenarios: number;
  incomparable: number;
  /** Exit status: 0 when nothing failed, errored, diverged or was left behind. */
  ok: boolean;
}

export function summarise(run: HarnessRun, cmp?: Comparison): Summary {
  const perTarget: Summary['perTarget'] = {};
  for (const [name, results] of Object.entries(run.results)) {
    const count = (s: ScenarioResult['status']) => results.filter((r) => r.status === s).length;
    perTarget[name] = { passed: count('passed'), failed: count('failed'), pending: count('pending'), error: count('error'), leftovers: results.reduce((n, r) => n + r.cleanup.failed.length, 0) };
  }
  const divergentScenarios = cmp?.scenarios.filter((s) => s.verdict === 'different').length ?? 0;
  const bad = Object.values(perTarget).some((t) => t.error > 0 || t.leftovers > 0 || (!cmp && t.failed > 0));
  return {
    scenarios: Math.max(0, ...Object.values(run.results).map((r) => r.length)),
    perTarget,
    divergences: cmp?.divergences ?? 0,
    divergentScenarios,
    incomparable: cmp?.scenarios.filter((s) => s.verdict === 'incomparable').length ?? 0,
    ok: !bad && divergentScenarios === 0 && !run.interrupted,
  };
}

export function summaryLine(s: Summary): string {
  const targets = Object.entries(s.perTarget).map(([name, t]) => `${name}: ${t.passed} passed, ${t.failed} failed${t.pending ? `, ${t.pending} pending` : ''}${t.error ? `, ${t.error} errors` : ''}${t.leftovers ? `, ${t.leftovers} left behind` : ''}`);
  const cmp = s.divergences || s.divergentScenarios || s.incomparable ? `; ${s.divergentScenarios} scenarios diverge (${s.divergences} steps)${s.incomparable ? `, ${s.incomparable} incomparable` : ''}` : '';
  return `${s.scenarios} scenarios — ${targets.join('; ')}${cmp}`;
}
