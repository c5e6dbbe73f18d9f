import { stringify } from 'yaml';
import { DEFAULT_PROFILE } from '../../server/identity-center/profile/behaviour-profile.js';
import type { Comparison } from './compare.js';

interface Observation {
  exception: string;
  status: number | null;
  error: string | null;
  where: string;
}

/**
 * Turns divergences into a behaviour-profile fragment: for each failure key the emulator raised
 * where the reference target answered differently, the reference's answer with provenance
 * `observed`. Divergences no failure entry can express (one side succeeded) become comments naming
 * the setting to look at. The fragment is meant to be read, then merged (docs/exchange.md).
 */
export function suggestProfile(cmp: Comparison, opts: { runId: string; date: string }): string {
  const emulatorLeft = cmp.left.kind === 'mock' || cmp.right.kind !== 'mock';
  const emulator = emulatorLeft ? cmp.left : cmp.right;
  const reference = emulatorLeft ? cmp.right : cmp.left;
  const observed = new Map<string, Observation[]>();
  const notes: string[] = [];
  for (const sc of cmp.scenarios) {
    for (const row of sc.rows) {
      if (!row.differences.length) continue;
      const mine = emulatorLeft ? row.left : row.right;
      const theirs = emulatorLeft ? row.right : row.left;
      const key = emulatorLeft ? row.leftKey : row.rightKey;
      const where = `${sc.scenario}/${row.step}`;
      if (mine?.outcome === 'failure' && theirs?.outcome === 'failure' && key) {
        const list = observed.get(key) ?? [];
        list.push({ exception: theirs.exception, status: theirs.status, error: theirs.error, where });
        observed.set(key, list);
      } else if (mine?.outcome === 'failure' && theirs?.outcome === 'success') {
        notes.push(`${where}: ${reference.name} accepted what ${emulator.name} refused${key ? ` (${key})` : ''}; look at a setting (clock_skew_seconds, issuer_match, attribute_match_case_sensitive, allowed_algorithms …)`);
      } else if (mine?.outcome === 'success' && theirs?.outcome === 'failure') {
        notes.push(`${where}: ${reference.name} refused (${theirs.exception} ${theirs.status ?? ''} ${theirs.error ?? ''}) what ${emulator.name} accepted; the emulator misses a check`);
      } else if (mine?.outcome === 'success' && theirs?.outcome === 'success') {
        notes.push(`${where}: both succeeded but differ in ${row.differences.map((d) => d.field).join(', ')}; see settings (access_token_ttl_seconds, default_scopes, refresh_token_issued_with_grant …)`);
      } else {
        notes.push(`${where}: ${row.differences.map((d) => d.field).join(', ')} differ`);
      }
    }
  }
  const failures: Record<string, Record<string, unknown>> = {};
  for (const [key, list] of [...observed.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const distinct = new Map(list.map((o) => [`${o.exception}|${o.status}|${o.error}`, o]));
    if (distinct.size > 1) {
      notes.push(`${key}: ${reference.name} answered differently in different scenarios (${[...distinct.values()].map((o) => `${o.where}: ${o.exception}`).join('; ')}); the emulator uses one answer per failure key, so the key may need splitting`);
    }
    const first = list[0]!;
    const current = DEFAULT_PROFILE.failures[key];
    failures[key] = {
      exception: first.exception,
      ...(first.status !== null ? { status: first.status } : {}),
      ...(first.error !== null ? { error: first.error } : {}),
      provenance: 'observed',
      source: `tti-lab harness run ${opts.runId} on ${reference.name}, ${opts.date}: ${list.map((o) => o.where).join(', ')}${current ? ` (was ${current.exception} ${current.status} ${current.error}, ${current.provenance})` : ''}`,
    };
  }
  const header = [
    `# Suggested behaviour-profile changes from tti-lab harness run ${opts.runId} (${opts.date}):`,
    `# ${emulator.name} (the emulator) against ${reference.name}. Review, then merge: identity_center.behaviour_profile`,
    ...notes.map((n) => `# - ${n}`),
  ].join('\n');
  const body = Object.keys(failures).length ? stringify({ name: `observed-${opts.date}`, failures }, { lineWidth: 0 }) : `name: observed-${opts.date}\n# no failure entry to change\n`;
  return `${header}\n${body}`;
}
