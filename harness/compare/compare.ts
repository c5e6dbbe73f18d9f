import type { StepKind } from '../scenario/scenario.js';
import type { ScenarioResult, ScenarioStatus } from '../run/run-scenario.js';
import type { Outcome } from './normalise.js';

/** What comparing needs of a scenario's run: a live result or a cassette's record both fit. */
export interface ScenarioRecord {
  scenario: string;
  status: ScenarioStatus;
  reason?: string;
  setup: Outcome;
  steps: { id: string; kind: StepKind; outcome: Outcome; diagnosis?: { failureKey?: string } }[];
}

export interface Side {
  name: string;
  kind: 'mock' | 'aws';
  scenarios: ScenarioRecord[];
}

export interface Difference {
  field: string;
  left: unknown;
  right: unknown;
}

export interface Row {
  /** `setup`, or a step id. */
  step: string;
  kind: StepKind | 'setup';
  left?: Outcome;
  right?: Outcome;
  /** The emulator's failure key on either side (lab targets only), for suggestions. */
  leftKey?: string;
  rightKey?: string;
  differences: Difference[];
}

export interface ScenarioComparison {
  scenario: string;
  /** same; different (a divergence); incomparable (pending or not run on one side). */
  verdict: 'same' | 'different' | 'incomparable';
  note?: string;
  rows: Row[];
}

export interface Comparison {
  left: { name: string; kind: 'mock' | 'aws' };
  right: { name: string; kind: 'mock' | 'aws' };
  scenarios: ScenarioComparison[];
  divergences: number;
}

/** Leaves of an outcome as dotted paths, so a difference names its field (`idTokenClaims.act`). */
export function flatten(v: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
    if (!Object.keys(v).length && path) out.set(path, '{}');
  } else {
    out.set(path, JSON.stringify(v));
  }
  return out;
}

export function diffOutcomes(left: Outcome | undefined, right: Outcome | undefined): Difference[] {
  const a = flatten(left ?? { outcome: 'missing' });
  const b = flatten(right ?? { outcome: 'missing' });
  const out: Difference[] = [];
  // When the outcomes differ in kind, that one line says it; the fields of each follow from it.
  if (a.get('outcome') !== b.get('outcome')) return [{ field: 'outcome', left: left ?? null, right: right ?? null }];
  for (const field of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (a.get(field) !== b.get(field)) out.push({ field, left: a.has(field) ? JSON.parse(a.get(field)!) : null, right: b.has(field) ? JSON.parse(b.get(field)!) : null });
  }
  return out;
}

const asRecord = (r: ScenarioResult | ScenarioRecord): ScenarioRecord => r;

/**
 * Compares two sides scenario by scenario and step by step. A scenario missing, pending or in error
 * on one side is incomparable (reported, not a divergence); anything else that differs is one.
 */
export function compareSides(left: Side, right: Side): Comparison {
  const byName = new Map(right.scenarios.map((s) => [s.scenario, asRecord(s)]));
  const scenarios: ScenarioComparison[] = [];
  for (const l of left.scenarios) {
    const r = byName.get(l.scenario);
    const blocked = (x: ScenarioRecord | undefined, side: string) =>
      !x ? `not run on ${side}` : x.status === 'pending' || x.status === 'error' ? `${x.status} on ${side}: ${x.reason ?? ''}` : undefined;
    const note = blocked(l, left.name) ?? blocked(r, right.name);
    const rows: Row[] = [];
    rows.push({ step: 'setup', kind: 'setup', left: l.setup, ...(r ? { right: r.setup } : {}), differences: note ? [] : diffOutcomes(l.setup, r!.setup) });
    const ids = [...new Set([...l.steps.map((s) => s.id), ...(r?.steps ?? []).map((s) => s.id)])];
    for (const id of ids) {
      const ls = l.steps.find((s) => s.id === id);
      const rs = r?.steps.find((s) => s.id === id);
      rows.push({
        step: id,
        kind: (ls ?? rs)!.kind,
        ...(ls ? { left: ls.outcome } : {}),
        ...(rs ? { right: rs.outcome } : {}),
        ...(ls?.diagnosis?.failureKey ? { leftKey: ls.diagnosis.failureKey } : {}),
        ...(rs?.diagnosis?.failureKey ? { rightKey: rs.diagnosis.failureKey } : {}),
        differences: note ? [] : diffOutcomes(ls?.outcome, rs?.outcome),
      });
    }
    const verdict = note ? 'incomparable' : rows.some((row) => row.differences.length) ? 'different' : 'same';
    scenarios.push({ scenario: l.scenario, verdict, ...(note ? { note } : {}), rows });
  }
  for (const r of right.scenarios) {
    if (!left.scenarios.some((l) => l.scenario === r.scenario)) scenarios.push({ scenario: r.scenario, verdict: 'incomparable', note: `not run on ${left.name}`, rows: [] });
  }
  return {
    left: { name: left.name, kind: left.kind },
    right: { name: right.name, kind: right.kind },
    scenarios,
    divergences: scenarios.reduce((n, s) => n + s.rows.filter((row) => row.differences.length).length, 0),
  };
}

/** A one-line rendering of an outcome, for tables. */
export function outcomeLabel(o: Outcome | undefined): string {
  if (!o) return '—';
  switch (o.outcome) {
    case 'success': {
      const scope = Array.isArray(o.scope) ? ` [${(o.scope as string[]).join(' ')}]` : '';
      if ('tokenType' in o) return `success ${String(o.tokenType ?? '')} ${String(o.expiresIn ?? '')}s${scope}`.replace(/\s+/g, ' ').trim();
      return typeof o.matchedGrantTarget === 'string' ? `success ${o.matchedGrantTarget}` : 'success';
    }
    case 'failure':
      return [o.exception, o.status ?? '', o.error ?? '', o.call ? `(${o.call})` : ''].filter((x) => x !== '').join(' ');
    case 'skipped':
      return `skipped: ${o.reason}`;
    case 'done':
      return '·';
  }
}
