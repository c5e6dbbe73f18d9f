import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ConfigError } from '../../server/config/schema.js';
import type { ScenarioRecord, Side } from '../compare/compare.js';
import type { HarnessRun } from '../run/run-harness.js';

/**
 * A cassette: one target's normalised outcomes, kept to compare another target against offline.
 * Nothing secret goes in: outcomes are already symbolised (no ARNs, ids or tokens), and a last pass
 * redacts whatever still looks like a token, a key, a secret or an account id.
 */
export const CASSETTE_FORMAT = 'tti-lab-harness-cassette/1';

export interface Cassette {
  format: typeof CASSETTE_FORMAT;
  recordedAt: string;
  target: { name: string; kind: 'mock' | 'aws'; description: string };
  scenarios: ScenarioRecord[];
}

const REDACTIONS: [RegExp, string][] = [
  [/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, '<redacted:jwt>'],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, '<redacted:access-key>'],
  [/\bao[a-z][A-Za-z0-9_-]{16,}/g, '<redacted:token>'],
  [/(secret|password|session_?token|signature)(["':=\s]+)[^"',\s}]+/gi, '$1$2<redacted>'],
  [/\b\d{12}\b/g, '<account>'],
  // Long opaque strings (identity contexts, refresh tokens of other shapes …).
  [/[A-Za-z0-9+/_=-]{64,}/g, '<redacted:opaque>'],
];

/** Redacts secrets from every string of a JSON-like value. */
export function redact<T>(value: T): T {
  if (typeof value === 'string') return REDACTIONS.reduce((s, [re, to]) => s.replace(re, to), value as string) as T;
  if (Array.isArray(value)) return value.map(redact) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)])) as T;
  return value;
}

export function cassetteOf(run: HarnessRun, targetName: string): Cassette {
  const target = run.targets.find((t) => t.name === targetName);
  if (!target) throw new Error(`no target "${targetName}" in this run`);
  return redact({
    format: CASSETTE_FORMAT,
    recordedAt: run.finishedAt,
    // The live description names endpoints, the instance and the bucket: none of that belongs in a file to share.
    target: { name: target.name, kind: target.kind, description: target.kind === 'aws' ? 'an AWS account (details left out of the cassette)' : 'the emulator' },
    scenarios: run.results[targetName]!.map((r) => ({
      scenario: r.scenario,
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      setup: r.setup,
      steps: r.steps.map((s) => ({ id: s.id, kind: s.kind, outcome: s.outcome, ...(s.diagnosis?.failureKey ? { diagnosis: { failureKey: s.diagnosis.failureKey } } : {}) })),
    })),
  });
}

export async function writeCassette(file: string, cassette: Cassette): Promise<void> {
  await writeFile(file, `${JSON.stringify(cassette, null, 2)}\n`, { mode: 0o644 });
}

export async function readCassette(file: string): Promise<Cassette> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(basename(file), [{ path: '', message: `not a readable cassette: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  const c = doc as Partial<Cassette>;
  if (c?.format !== CASSETTE_FORMAT) throw new ConfigError(basename(file), [{ path: 'format', message: `expected ${CASSETTE_FORMAT} (written by tti-lab harness run --record)` }]);
  if (!c.target || !Array.isArray(c.scenarios)) throw new ConfigError(basename(file), [{ path: 'scenarios', message: 'expected a list of scenario records' }]);
  return c as Cassette;
}

export const sideOfCassette = (c: Cassette): Side => ({ name: `${c.target.name} (cassette)`, kind: c.target.kind, scenarios: c.scenarios });
