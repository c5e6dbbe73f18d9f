import type { TraceEntry } from '../identity-center/sso-oidc/exchange/trace.js';
import type { ApplicationExplanation, ExplainReport } from './explain-report.js';

const VERDICT: Record<TraceEntry['verdict'], string> = { pass: 'pass', fail: 'FAIL', skip: 'skip' };
const q = (v: unknown) => JSON.stringify(v);
const indent = (text: string, pad: string) => text.split('\n').map((l, i) => (i === 0 ? l : pad + l)).join('\n');

function audValue(report: ExplainReport): string {
  const { aud } = report;
  switch (aud.shape) {
    case 'missing':
      return '(no aud claim)';
    case 'string':
      return `${q(aud.value)} (a string)`;
    case 'array':
      return `${q(aud.value)} (an array of ${aud.values.length})`;
    default:
      return `${q(aud.value)} (neither a string nor an array of strings)`;
  }
}

function traceLines(trace: TraceEntry[]): string[] {
  const width = Math.max(...trace.map((t) => t.step.length));
  const num = String(trace.length).length;
  const out: string[] = [];
  trace.forEach((t, i) => {
    const head = `  ${String(i + 1).padStart(num)} ${VERDICT[t.verdict]}  ${t.step.padEnd(width)}`;
    if (t.verdict === 'skip') {
      out.push(`${head}  (${t.reason})`);
      return;
    }
    const pad = ' '.repeat(num + 9);
    out.push(`${head}  ${t.title}`);
    out.push(`${pad}${t.reason}`);
    if (t.fix) out.push(`${pad}fix: ${t.fix}`);
  });
  return out;
}

function applicationSection(a: ApplicationExplanation): string[] {
  const out = [`Application ${a.name === null ? '(unknown)' : q(a.name)}  ${a.applicationArn}`];
  if (a.whatIf) out.push(`  what if: the grant authorized ${a.whatIf.authorizedAudiences.map(q).join(', ')} (not the saved configuration)`);
  out.push(
    a.failure
      ? `  verdict: REFUSED at ${a.failure.step} (${a.failure.key}) → a real call gets ${a.failure.exception} (${a.failure.status} ${a.failure.error})`
      : '  verdict: ACCEPTED — every check passed (tokens-issued is not performed in a read-only run)',
  );
  out.push(...traceLines(a.trace));
  return out;
}

function audSection(report: ExplainReport): string[] {
  const label = (s: string) => `  ${s.padEnd(20)}`;
  const pad = ' '.repeat(22);
  const out = ['aud', `${label('in the token')}${audValue(report)}`];
  for (const a of report.applications) {
    const who = `application ${q(a.name ?? a.applicationArn)}`;
    if (a.aud.trustedTokenIssuer === null) {
      out.push(`${label('AuthorizedAudiences')}${who}: none — it trusts no issuer with this token's iss`);
      continue;
    }
    out.push(`${label('AuthorizedAudiences')}${a.aud.authorizedAudiences.map(q).join(', ')} — ${who}, trusted token issuer ${q(a.aud.trustedTokenIssuer)}`);
    out.push(`${label('verdict')}${VERDICT[a.aud.verdict]}: ${a.aud.reason}`);
    a.aud.fixes.forEach((f, i) => out.push(`${i === 0 ? label('fix') : pad}${f}`));
  }
  out.push(`${label('rule')}${indent(report.aud.rule, pad)}`);
  // The first piece of advice is already a fix above when an application's aud check failed.
  const advice = report.applications.some((a) => a.aud.fixes.length > 1) ? report.aud.advice.slice(1) : report.aud.advice;
  advice.forEach((line, i) => out.push(`${i === 0 ? label('about this token') : pad}${line}`));
  return out;
}

/** `tti-lab explain`'s text: the decoded token, each application's trace, and the aud section. */
export function formatExplanation(report: ExplainReport): string {
  const out: string[] = [];
  out.push(
    report.checked
      ? `Checked against the lab at ${report.lab} — read-only: nothing was changed and nothing logged.`
      : `NOT CHECKED: ${report.notChecked}`,
  );
  out.push('', 'Token');
  if (report.token.error) {
    out.push(`  ${report.token.error}`);
  } else {
    out.push(`  kind     ${report.kind.summary}${report.kind.evidence.length ? ` (${report.kind.evidence.join('; ')})` : ''}`);
    out.push(`  header   ${q(report.token.header)}`);
    out.push(`  payload  ${indent(JSON.stringify(report.token.payload, null, 2), '           ')}`);
  }
  if (report.checked) {
    if (report.noApplication) {
      out.push('', 'No application was checked', `  ${report.noApplication.reason}`);
      if (report.noApplication.fix) out.push(`  fix: ${report.noApplication.fix}`);
      for (const b of report.noApplication.byApplication) {
        if (report.noApplication.byApplication.every((x) => x.reason === report.noApplication!.reason)) break;
        out.push(`  - application ${q(b.name)}: ${b.reason}`);
      }
    }
    for (const a of report.applications) out.push('', ...applicationSection(a));
  }
  if (!report.token.error) out.push('', ...audSection(report));
  if (report.checked) {
    out.push('', 'Trusted token issuers in the lab');
    if (report.trustedTokenIssuers.length === 0) out.push('  none (CreateTrustedTokenIssuer, or identity_center.instances[].trusted_token_issuers in the config)');
    for (const t of report.trustedTokenIssuers) {
      out.push(`  ${q(t.name)}  IssuerUrl ${t.issuerUrl}  (${t.claimAttributePath} → ${t.identityStoreAttributePath})`);
      if (t.authorizedBy.length === 0) out.push('      authorized by no application');
      for (const b of t.authorizedBy) out.push(`      application ${q(b.name)}: AuthorizedAudiences ${b.authorizedAudiences.map(q).join(', ')}`);
    }
  }
  out.push(
    '',
    report.verdict === 'accepted'
      ? 'Result: ACCEPTED by ' + report.applications.filter((a) => a.outcome === 'accepted').map((a) => q(a.name)).join(', ')
      : report.verdict === 'refused'
        ? 'Result: REFUSED — no application would accept this token'
        : 'Result: UNCHECKED — start a lab (`tti-lab serve`) or pass --endpoint to check it against a configuration',
  );
  return out.join('\n');
}
