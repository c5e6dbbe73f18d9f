import { outcomeLabel, type Comparison } from '../compare/compare.js';
import type { Progress, HarnessRun } from '../run/run-harness.js';
import type { ScenarioResult, StepResult } from '../run/run-scenario.js';
import { summaryLine, type Summary } from './summary.js';

/** ANSI styling, or none (not a TTY, NO_COLOR). */
export interface Style {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const code = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
export const COLOR: Style = { red: code(31, 39), green: code(32, 39), yellow: code(33, 39), dim: code(2, 22), bold: code(1, 22) };
export const PLAIN: Style = { red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

const fit = (s: string, width: number) => (s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width));

/** The live progress line: `[#####.....] 12/30  running: aud-string, …`. */
export function progressLine(p: Progress, width = 80): string {
  const barWidth = 24;
  const filled = p.total ? Math.round((p.done / p.total) * barWidth) : barWidth;
  const head = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${p.done}/${p.total}`;
  const running = p.running.length ? `  ${p.running.join(', ')}` : '';
  return fit(`${head}${running}`, width - 1);
}

const expectationMark = (s: StepResult, st: Style) => (s.met === undefined ? ' ' : s.met ? st.green('✓') : st.red('✗'));

function singleTarget(results: ScenarioResult[], st: Style): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const status = r.status === 'passed' ? st.green('pass') : r.status === 'pending' ? st.yellow('pending') : st.red(r.status);
    lines.push(`${st.bold(r.scenario)}  ${status}${r.reason ? st.dim(`  ${r.reason}`) : ''}`);
    if (r.setup.outcome === 'failure') lines.push(`  ${fit('setup', 16)} ${st.red(outcomeLabel(r.setup))}`);
    for (const s of r.steps) {
      if (s.outcome.outcome === 'done') continue;
      const expected = s.expected && !s.met ? st.dim(`  expected ${s.expected.outcome === 'success' ? 'success' : [s.expected.exception, s.expected.status, s.expected.error].filter(Boolean).join(' ')}`) : '';
      lines.push(`  ${expectationMark(s, st)} ${fit(s.id, 14)} ${outcomeLabel(s.outcome)}${expected}${s.diagnosis?.failureKey ? st.dim(`  [${s.diagnosis.failureKey}]`) : ''}`);
    }
    for (const f of r.cleanup.failed) lines.push(st.red(`  left behind: ${f.call}: ${f.message}`));
  }
  return lines;
}

/** Side by side: one line per step, the two outcomes in columns, divergences marked and detailed. */
function sideBySide(cmp: Comparison, st: Style, width: number): string[] {
  const col = Math.max(24, Math.floor((width - 24) / 2));
  const lines = [st.bold(`${fit('scenario / step', 20)}  ${fit(cmp.left.name, col)} ${fit(cmp.right.name, col)}`)];
  for (const sc of cmp.scenarios) {
    const mark = sc.verdict === 'same' ? st.green('=') : sc.verdict === 'different' ? st.red('≠') : st.yellow('?');
    lines.push(`${mark} ${st.bold(sc.scenario)}${sc.note ? st.dim(`  ${sc.note}`) : ''}`);
    for (const row of sc.rows) {
      const differs = row.differences.length > 0;
      if (!differs && row.left?.outcome === 'done') continue;
      const l = fit(outcomeLabel(row.left), col);
      const r = fit(outcomeLabel(row.right), col);
      const line = `  ${fit(row.step, 18)}  ${l} ${r}`;
      lines.push(differs ? st.red(line) : line);
      if (differs) for (const d of row.differences.slice(0, 6)) lines.push(st.dim(`      ${d.field}: ${JSON.stringify(d.left)} ≠ ${JSON.stringify(d.right)}`));
    }
  }
  return lines;
}

export function renderRun(run: HarnessRun, cmp: Comparison | undefined, summary: Summary, opts: { style?: Style; width?: number } = {}): string {
  const st = opts.style ?? PLAIN;
  const lines: string[] = [st.bold(`tti-lab harness — run ${run.runId}${run.shard ? `, shard ${run.shard.index}/${run.shard.count}` : ''}`)];
  for (const t of run.targets) lines.push(st.dim(`  ${t.name}: ${t.description}`));
  lines.push('');
  if (cmp) lines.push(...sideBySide(cmp, st, opts.width ?? 120));
  else for (const results of Object.values(run.results)) lines.push(...singleTarget(results, st));
  if (cmp) {
    const trouble = Object.values(run.results).flat().filter((r) => r.status === 'error' || r.cleanup.failed.length);
    for (const r of trouble) lines.push(st.red(`${r.target} ${r.scenario}: ${r.reason ?? ''}${r.cleanup.failed.map((f) => ` left behind: ${f.call}: ${f.message}`).join(';')}`));
  }
  if (run.interrupted) lines.push(st.yellow('interrupted: no new scenario was started; the running ones cleaned up.'));
  lines.push('', summary.ok ? st.green(summaryLine(summary)) : st.red(summaryLine(summary)));
  return lines.join('\n');
}
