import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { outcomeLabel, type Comparison } from '../compare/compare.js';
import type { HarnessRun } from '../run/run-harness.js';
import type { ScenarioResult } from '../run/run-scenario.js';
import { redact } from './cassette.js';
import { summaryLine, type Summary } from './summary.js';

/** The JSON report: the whole run (results with symbolised calls), the comparison and the summary. Redacted like a cassette. */
export function jsonReport(run: HarnessRun, cmp: Comparison | undefined, summary: Summary): string {
  return `${JSON.stringify(redact({ format: 'tti-lab-harness-report/1', summary, run, ...(cmp ? { comparison: cmp } : {}) }), null, 2)}\n`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownReport(run: HarnessRun, cmp: Comparison | undefined, summary: Summary): string {
  const out: string[] = [`# tti-lab harness — run ${run.runId}`, '', `${run.startedAt} → ${run.finishedAt}${run.shard ? `, shard ${run.shard.index}/${run.shard.count}` : ''}`, ''];
  for (const t of run.targets) out.push(`- **${t.name}** (${t.kind}): ${t.description}`);
  out.push('', `**${summaryLine(summary)}**`, '');
  if (cmp) {
    out.push(`| | scenario | step | ${cell(cmp.left.name)} | ${cell(cmp.right.name)} |`, '|---|---|---|---|---|');
    for (const sc of cmp.scenarios) {
      const mark = sc.verdict === 'same' ? '=' : sc.verdict === 'different' ? '**≠**' : '?';
      if (!sc.rows.length || sc.note) out.push(`| ${mark} | ${cell(sc.scenario)} | | ${cell(sc.note ?? '')} | |`);
      for (const row of sc.rows) {
        if (!row.differences.length && (row.left?.outcome === 'done' || sc.note)) continue;
        const d = row.differences.length > 0;
        const b = (s: string) => (d ? `**${cell(s)}**` : cell(s));
        out.push(`| ${d ? '**≠**' : mark} | ${cell(sc.scenario)} | ${cell(row.step)} | ${b(outcomeLabel(row.left))} | ${b(outcomeLabel(row.right))} |`);
      }
    }
    const divergent = cmp.scenarios.filter((s) => s.verdict === 'different');
    if (divergent.length) {
      out.push('', '## Divergences', '');
      for (const sc of divergent) {
        for (const row of sc.rows.filter((r) => r.differences.length)) {
          out.push(`- \`${sc.scenario}\` / \`${row.step}\`${row.leftKey || row.rightKey ? ` (emulator failure key \`${row.leftKey ?? row.rightKey}\`)` : ''}:`);
          for (const d of row.differences) out.push(`  - \`${d.field}\`: ${cell(JSON.stringify(d.left))} ≠ ${cell(JSON.stringify(d.right))}`);
        }
      }
    }
  } else {
    for (const [target, results] of Object.entries(run.results)) {
      out.push(`## ${target}`, '', '| scenario | status | step | outcome | expected |', '|---|---|---|---|---|');
      for (const r of results) {
        out.push(`| ${cell(r.scenario)} | ${r.status} | ${r.setup.outcome === 'failure' ? 'setup' : ''} | ${cell(r.setup.outcome === 'failure' ? outcomeLabel(r.setup) : r.reason ?? '')} | |`);
        for (const s of r.steps) {
          if (s.outcome.outcome === 'done') continue;
          const exp = s.expected ? `${s.met ? '✓' : '✗'} ${s.expected.outcome === 'success' ? 'success' : [s.expected.exception, s.expected.status, s.expected.error].filter(Boolean).join(' ')}` : '';
          out.push(`| | | ${cell(s.id)} | ${cell(outcomeLabel(s.outcome))} | ${cell(exp)} |`);
        }
      }
      out.push('');
    }
  }
  const left = Object.values(run.results).flat().filter((r) => r.cleanup.failed.length);
  if (left.length) {
    out.push('', '## Left behind (clean up by hand)', '');
    for (const r of left) for (const f of r.cleanup.failed) out.push(`- ${r.target} \`${r.scenario}\`: ${cell(f.call)}: ${cell(f.message)}`);
  }
  return redact(`${out.join('\n')}\n`);
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function testcase(classname: string, name: string, body: { failure?: string; error?: string; skipped?: string; detail?: string }): string {
  const inner = body.failure !== undefined
    ? `<failure message="${xml(body.failure)}">${xml(body.detail ?? '')}</failure>`
    : body.error !== undefined
      ? `<error message="${xml(body.error)}">${xml(body.detail ?? '')}</error>`
      : body.skipped !== undefined
        ? `<skipped message="${xml(body.skipped)}"/>`
        : '';
  return `    <testcase classname="${xml(classname)}" name="${xml(name)}">${inner}</testcase>`;
}

const resultCase = (r: ScenarioResult) => {
  const unmet = r.steps.filter((s) => s.met === false).map((s) => `${s.id}: got ${outcomeLabel(s.outcome)}, expected ${s.expected!.outcome === 'success' ? 'success' : [s.expected!.exception, s.expected!.status, s.expected!.error].filter(Boolean).join(' ')}`);
  const leftovers = r.cleanup.failed.map((f) => `left behind: ${f.call}: ${f.message}`);
  if (r.status === 'pending') return testcase(`harness.${r.target}`, r.scenario, { skipped: r.reason ?? 'pending' });
  if (r.status === 'error') return testcase(`harness.${r.target}`, r.scenario, { error: r.reason ?? 'error', detail: leftovers.join('\n') });
  if (r.status === 'failed' || leftovers.length) {
    const detail = [r.setup.outcome === 'failure' ? `setup: ${outcomeLabel(r.setup)}` : '', ...unmet, ...leftovers].filter(Boolean).join('\n');
    return testcase(`harness.${r.target}`, r.scenario, { failure: r.reason ?? unmet[0] ?? leftovers[0] ?? 'failed', detail });
  }
  return testcase(`harness.${r.target}`, r.scenario, {});
};

/** JUnit XML: a suite per target (expectations), and one for the comparison (divergences). */
export function junitReport(run: HarnessRun, cmp: Comparison | undefined): string {
  const suites: string[] = [];
  for (const [target, results] of Object.entries(run.results)) {
    const failures = results.filter((r) => r.status === 'failed' || (r.status === 'passed' && r.cleanup.failed.length)).length;
    const errors = results.filter((r) => r.status === 'error').length;
    const skipped = results.filter((r) => r.status === 'pending').length;
    suites.push(`  <testsuite name="tti-lab harness: ${xml(target)}" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${run.startedAt}">`, ...results.map(resultCase), '  </testsuite>');
  }
  if (cmp) {
    const name = `${cmp.left.name} vs ${cmp.right.name}`;
    const cases = cmp.scenarios.map((sc) => {
      if (sc.verdict === 'incomparable') return testcase(`harness.compare`, sc.scenario, { skipped: sc.note ?? 'incomparable' });
      if (sc.verdict === 'same') return testcase(`harness.compare`, sc.scenario, {});
      const diffs = sc.rows.filter((r) => r.differences.length).flatMap((r) => r.differences.map((d) => `${r.step}.${d.field}: ${JSON.stringify(d.left)} ≠ ${JSON.stringify(d.right)}`));
      return testcase(`harness.compare`, sc.scenario, { failure: `${cmp.left.name} and ${cmp.right.name} differ`, detail: diffs.join('\n') });
    });
    const failures = cmp.scenarios.filter((s) => s.verdict === 'different').length;
    const skipped = cmp.scenarios.filter((s) => s.verdict === 'incomparable').length;
    suites.push(`  <testsuite name="tti-lab harness: ${xml(name)}" tests="${cmp.scenarios.length}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${run.startedAt}">`, ...cases, '  </testsuite>');
  }
  return redact(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="tti-lab harness ${xml(run.runId)}">\n${suites.join('\n')}\n</testsuites>\n`);
}

/** Writes report.json, report.md and junit.xml (and profile-suggestion.yaml when given) into `dir`. */
export async function writeReports(dir: string, run: HarnessRun, cmp: Comparison | undefined, summary: Summary, suggestion?: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ['report.json', jsonReport(run, cmp, summary)],
    ['report.md', markdownReport(run, cmp, summary)],
    ['junit.xml', junitReport(run, cmp)],
    ...(suggestion ? ([['profile-suggestion.yaml', suggestion]] as [string, string][]) : []),
  ];
  for (const [name, content] of files) await writeFile(join(dir, name), content);
  return files.map(([name]) => join(dir, name));
}
