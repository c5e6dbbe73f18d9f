/**
 * `npm run soak -- --minutes N --rate R`: mixed traffic at a fixed rate against a lab child process,
 * on loopback only, for a bounded time; reports errors by kind, latency percentiles and the lab's
 * RSS over time (from /proc/<pid>/status).
 *
 *   1. The lab runs as a child process (`tti-lab serve`, in memory) with a declarative TIP setup.
 *   2. Requests are sent open-loop at R per second (arrivals do not wait for answers; at most
 *      --max-inflight at once, beyond which an arrival is counted as skipped, never queued):
 *        exchange        30%  CreateTokenWithIAM jwt-bearer with a fresh assertion (from the mint pool)
 *        refresh         15%  CreateTokenWithIAM refresh_token with a refresh token not yet spent
 *        mint            20%  POST /issuers/soak/mint (feeds the assertion pool)
 *        sso-admin       15%  ListInstances, ListApplications, DescribeApplication
 *        identity-store  20%  ListUsers, DescribeUser, GetUserId
 *      Every request is a valid one: any non-2xx answer or network error is an unexpected error.
 *   3. The lab's RSS is sampled every --sample-seconds; growth is measured from the end of the
 *      warm-up (--warmup-seconds, default 20% of the run, at most 60 s) to the end.
 *
 * Budget (from the issue): no unexpected error; RSS growth after warm-up under 10%.
 * The exit code is 1 when the budget is not met. `--json FILE` writes the whole report.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { awsJsonCall, percentile, signedHeaders, startLabChild, tipLabConfig, tipLabIds } from './bench-client.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '1' },
    rate: { type: 'string', default: '200' },
    'warmup-seconds': { type: 'string' },
    'sample-seconds': { type: 'string', default: '5' },
    'max-inflight': { type: 'string', default: '256' },
    json: { type: 'string' },
  },
});
const MINUTES = Number(values.minutes);
const RATE = Number(values.rate);
const DURATION_MS = MINUTES * 60_000;
const WARMUP_MS = values['warmup-seconds'] !== undefined ? Number(values['warmup-seconds']) * 1000 : Math.min(60_000, DURATION_MS * 0.2);
const SAMPLE_MS = Number(values['sample-seconds']) * 1000;
const MAX_INFLIGHT = Number(values['max-inflight']);
if (!(MINUTES > 0 && MINUTES <= 120) || !(RATE > 0 && RATE <= 5000)) {
  process.stderr.write('usage: npm run soak -- --minutes N (0 < N ≤ 120) --rate R (0 < R ≤ 5000) [--warmup-seconds S] [--sample-seconds S] [--max-inflight N] [--json FILE]\n');
  process.exit(2);
}

const CLIENT_ID = '0oa-soak';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
}


type Kind = 'exchange' | 'refresh' | 'mint' | 'sso-admin' | 'identity-store';
const MIX: [Kind, number][] = [
  ['exchange', 30],
  ['refresh', 15],
  ['mint', 20],
  ['sso-admin', 15],
  ['identity-store', 20],
];

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'tti-soak-'));
  const { child, url } = await startLabChild(dir, tipLabConfig('soak', CLIENT_ID));
  const pid = child.pid!;
  const exchange = async (input: Record<string, unknown>) => {
    const body = JSON.stringify(input);
    const res = await fetch(`${url}/token?aws_iam=t`, { method: 'POST', headers: signedHeaders(url, { path: '/token', query: 'aws_iam=t', service: 'sso-oauth', headers: { 'content-type': 'application/json' }, body }), body });
    const text = await res.text();
    return { status: res.status, text, errorType: res.headers.get('x-amzn-errortype') };
  };
  const mint = async () => {
    const res = await fetch(`${url}/issuers/soak/mint`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'u1', claims: { aud: CLIENT_ID } }) });
    const text = await res.text();
    return { status: res.status, text, token: res.ok ? (JSON.parse(text) as { token: string }).token : undefined };
  };

  const ids = await tipLabIds(url);

  const assertions: string[] = [];
  const refreshTokens: string[] = [];
  const POOL = 2000;
  for (let i = 0; i < 100; i += 20) for (const m of await Promise.all(Array.from({ length: 20 }, mint))) if (m.token) assertions.push(m.token);

  const latencies: Record<string, number[]> = {};
  const errors: Record<string, number> = {};
  const firstErrors: Record<string, string> = {};
  const sent: Record<string, number> = {};
  let inflight = 0;
  let skipped = 0;
  let counter = 0;
  const pick = (): Kind => {
    let r = (counter++ * 7919) % 100; // a fixed, evenly spread sequence: the mix is exact over every 100 arrivals
    for (const [kind, weight] of MIX) {
      if (r < weight) return kind;
      r -= weight;
    }
    return 'mint';
  };
  const record = (kind: string, ms: number, ok: boolean, what: string) => {
    (latencies[kind] ??= []).push(ms);
    if (!ok) {
      errors[`${kind}: ${what}`] = (errors[`${kind}: ${what}`] ?? 0) + 1;
      firstErrors[kind] ??= what;
    }
  };

  async function one(kind: Kind): Promise<void> {
    let actual: string = kind;
    // An exchange needs a fresh assertion and a refresh a live refresh token; without one, mint or exchange instead.
    if (kind === 'refresh' && refreshTokens.length === 0) actual = 'exchange';
    if (actual === 'exchange' && assertions.length === 0) actual = 'mint';
    sent[actual] = (sent[actual] ?? 0) + 1;
    const t0 = performance.now();
    try {
      switch (actual) {
        case 'exchange': {
          const r = await exchange({ clientId: ids.applicationArn, grantType: JWT_BEARER, assertion: assertions.shift()! });
          if (r.status === 200 && refreshTokens.length < POOL) refreshTokens.push((JSON.parse(r.text) as { refreshToken: string }).refreshToken);
          return record(actual, performance.now() - t0, r.status === 200, `${r.status} ${r.errorType ?? ''}`.trim());
        }
        case 'refresh': {
          const r = await exchange({ clientId: ids.applicationArn, grantType: 'refresh_token', refreshToken: refreshTokens.shift()! });
          if (r.status === 200 && refreshTokens.length < POOL) refreshTokens.push((JSON.parse(r.text) as { refreshToken: string }).refreshToken);
          return record(actual, performance.now() - t0, r.status === 200, `${r.status} ${r.errorType ?? ''}`.trim());
        }
        case 'mint': {
          const r = await mint();
          if (r.token && assertions.length < POOL) assertions.push(r.token);
          return record(actual, performance.now() - t0, r.status === 200, String(r.status));
        }
        case 'sso-admin': {
          const calls: [string, Record<string, unknown>][] = [
            ['ListInstances', {}],
            ['ListApplications', { InstanceArn: ids.instanceArn }],
            ['DescribeApplication', { ApplicationArn: ids.applicationArn }],
          ];
          const [op, input] = calls[counter % calls.length]!;
          const r = await awsJsonCall(url, `SWBExternalService.${op}`, 'sso', input);
          return record(actual, performance.now() - t0, r.status === 200, `${op} ${r.status}`);
        }
        case 'identity-store': {
          const calls: [string, Record<string, unknown>][] = [
            ['ListUsers', { IdentityStoreId: ids.identityStoreId }],
            ['DescribeUser', { IdentityStoreId: ids.identityStoreId, UserId: ids.userId }],
            ['GetUserId', { IdentityStoreId: ids.identityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'alice' } } }],
          ];
          const [op, input] = calls[counter % calls.length]!;
          const r = await awsJsonCall(url, `AWSIdentityStore.${op}`, 'identitystore', input);
          return record(actual, performance.now() - t0, r.status === 200, `${op} ${r.status}`);
        }
      }
    } catch (err) {
      record(actual, performance.now() - t0, false, `network: ${(err as Error).message}`);
    }
  }

  const samples: { s: number; rssMiB: number; load1: number }[] = [];
  const sample = async (start: number) => samples.push({ s: Math.round((performance.now() - start) / 1000), rssMiB: Math.round((await rssKiB(pid)) / 102.4) / 10, load1: Math.round(loadavg()[0]! * 100) / 100 });

  process.stdout.write(`soak: ${RATE} req/s for ${MINUTES} min against ${url} (lab pid ${pid}); warm-up ${WARMUP_MS / 1000} s; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores\n`);
  const start = performance.now();
  await sample(start);
  let dispatched = 0;
  const pending = new Set<Promise<void>>();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.min(Math.floor((elapsed / 1000) * RATE), Math.floor((DURATION_MS / 1000) * RATE));
      while (dispatched < due) {
        dispatched++;
        if (inflight >= MAX_INFLIGHT) {
          skipped++;
          continue;
        }
        inflight++;
        const p = one(pick()).finally(() => {
          inflight--;
          pending.delete(p);
        });
        pending.add(p);
      }
      if (elapsed >= DURATION_MS) {
        clearInterval(tick);
        clearInterval(sampler);
        resolve();
      }
    }, 5);
    const sampler = setInterval(() => void sample(start), SAMPLE_MS);
  });
  // Drain what is in flight, for at most 10 s.
  await Promise.race([Promise.allSettled([...pending]), new Promise((r) => setTimeout(r, 10_000))]);
  const elapsedS = (performance.now() - start) / 1000;
  await sample(start);
  child.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });

  const all = Object.values(latencies).flat().sort((a, b) => a - b);
  const table = Object.fromEntries(
    [...Object.entries(latencies).map(([k, v]) => [k, v.sort((a, b) => a - b)] as const), ['all', all] as const].map(([k, v]) => [
      k,
      { count: v.length, p50: +percentile(v, 50).toFixed(2), p90: +percentile(v, 90).toFixed(2), p99: +percentile(v, 99).toFixed(2), max: +(v.at(-1) ?? NaN).toFixed(2) },
    ]),
  );
  const warm = samples.filter((s) => s.s * 1000 >= WARMUP_MS)[0] ?? samples[0]!;
  const last = samples.at(-1)!;
  const growth = (last.rssMiB - warm.rssMiB) / warm.rssMiB;
  const unexpected = Object.values(errors).reduce((a, b) => a + b, 0);
  const report = {
    command: `npm run soak -- --minutes ${MINUTES} --rate ${RATE}`,
    node: process.version,
    cores: cpus().length,
    rate: RATE,
    minutes: MINUTES,
    dispatched,
    completed: all.length,
    skipped,
    achievedRate: +(all.length / elapsedS).toFixed(1),
    sent,
    errors,
    firstErrors,
    latencyMs: table,
    rss: { warmupEndS: warm.s, atWarmupEndMiB: warm.rssMiB, finalMiB: last.rssMiB, maxMiB: Math.max(...samples.map((s) => s.rssMiB)), growthAfterWarmup: +(growth * 100).toFixed(1) },
    loadAverage: { min: Math.min(...samples.map((s) => s.load1)), max: Math.max(...samples.map((s) => s.load1)) },
    samples,
    budget: { noUnexpectedError: unexpected === 0 && skipped === 0, rssGrowthUnder10Percent: growth < 0.1 },
  };
  const lines = [
    `sent ${dispatched} (${Object.entries(sent).map(([k, v]) => `${k} ${v}`).join(', ')}), completed ${all.length}, skipped ${skipped}, ${report.achievedRate} req/s achieved`,
    `errors: ${unexpected === 0 ? 'none' : Object.entries(errors).map(([k, v]) => `${k} ×${v}`).join('; ')}`,
    'latency (ms)       count     p50     p90     p99     max',
    ...Object.entries(table).map(([k, v]) => `  ${k.padEnd(15)} ${String(v.count).padStart(7)} ${v.p50.toFixed(2).padStart(7)} ${v.p90.toFixed(2).padStart(7)} ${v.p99.toFixed(2).padStart(7)} ${v.max.toFixed(2).padStart(7)}`),
    `RSS (MiB) over time: ${samples.map((s) => `${s.s}s ${s.rssMiB}`).join(', ')}`,
    `RSS after warm-up (${warm.s} s) ${warm.rssMiB} MiB → ${last.rssMiB} MiB at the end: ${report.rss.growthAfterWarmup}% (budget < 10%: ${growth < 0.1 ? 'met' : 'NOT met'}); max ${report.rss.maxMiB} MiB`,
    `load average (1 min) during the run: ${report.loadAverage.min}–${report.loadAverage.max} on ${cpus().length} cores`,
    `budget: ${report.budget.noUnexpectedError && report.budget.rssGrowthUnder10Percent ? 'met' : 'NOT met'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
  if (!report.budget.noUnexpectedError || !report.budget.rssGrowthUnder10Percent) process.exitCode = 1;
}

await main();
