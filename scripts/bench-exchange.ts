/**
 * `npm run bench:exchange`: signed CreateTokenWithIAM jwt-bearer calls over HTTP, on loopback only.
 *
 *   1. A lab is started as a child process (`tti-lab serve`, in memory) with a declarative TIP setup,
 *      so the server has a core of its own and the load generator another.
 *   2. Fresh assertions are minted first (each may be exchanged once), and every request is signed
 *      (SigV4, `sso-oauth`) before the clock starts: the timed loop only sends and reads.
 *   3. The loop runs at concurrency 1 and 10 over keep-alive (node:http with a keep-alive agent: a
 *      lighter client than fetch, so the two cores go more to the server); it reports requests/s,
 *      p50/p99, and the server's CPU time per exchange (user + system, all its threads, from
 *      /proc/<pid>/stat), which moves much less than requests/s when the machine is shared, and the
 *      load generator's own CPU per request (it shares the two cores with the server).
 *   4. In this process, the pure crypto ceiling of one exchange on this machine: verify one RS256
 *      assertion (jose) + sign one RS256 idToken (node:crypto), the lab's own primitives, back to back
 *      on one core, as exchanges/s and as CPU time per exchange. (The identity context in the idToken
 *      is HMAC-sealed, not signed: nothing more.)
 *
 * Goals (from the issue): at concurrency 10 ≥ 0.6 of the ceiling; p99 < 20 ms.
 *
 * `--against <checkout>` compares this checkout's lab with another checkout's (built, with its own
 * node_modules; say a `git worktree` of the commit before a change) in one sitting: both labs run side
 * by side, each is warmed up, then they take turns (A B, B A, A B …) with blocks of `--block`
 * exchanges at concurrency 10 for `--rounds` rounds, so a change in the machine's load falls on both
 * alike. It reports each block's server CPU per exchange, the medians, and the median of the per-round
 * ratios other/this with its range.
 * The warm-up (2000 exchanges at concurrency 10 by default) brings the server to a steady state
 * first: with 300, the first tenth of the measured window still had a 150 ms stall and latencies
 * fell through the whole run as the JIT and the heap settled (p99 by tenths: 149, 25, 20 … 14 ms).
 *   npm run bench:exchange -- [--requests N] [--warmup N]
 *   npm run bench:exchange -- --against ../before [--other-first] [--rounds 12] [--block 1000] [--warmup N]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compactVerify, generateKeyPair, SignJWT } from 'jose';
import { signCompactJws } from '../keys/sign-compact-jws.js';
import { percentile, startLabChild, tipLabConfig } from './bench-client.js';
import { prepareExchanges, runExchanges, type LoadResult, type PreparedRequest } from './exchange-load.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '2000' },
    against: { type: 'string' },
    rounds: { type: 'string', default: '12' },
    block: { type: 'string', default: '1000' },
    'other-first': { type: 'boolean', default: false },
  },
});
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
const ROUNDS = Number(values.rounds);
const BLOCK = Number(values.block);
const ISSUER = 'bench';
const CLIENT_ID = '0oa-bench';
/**
 * Exchanges per second one core could do if an exchange were only its cryptography, and its CPU
 * time — with the primitives the lab uses: jose's compactVerify (the verify-signature step) and
 * signCompactJws (node:crypto, the token service's idToken).
 */
async function cryptoCeiling(ms = 2000): Promise<{ perSecond: number; cpuMs: number }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const assertion = await new SignJWT({ iss: 'https://issuer', sub: 'u1', aud: CLIENT_ID, email: 'alice@example.com' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const idTokenClaims = { 'aws:identity_store_id': 'd-1234567890', 'aws:instance_arn': 'arn:aws:sso:::instance/ssoins-1234567890abcdef', sub: 'u1', aud: 'x', 'sts:identity_context': 'x'.repeat(700) };
  let n = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const signer = { kid: 'k', alg: 'RS256' as const, key: privateKey };
  while (performance.now() - started < ms) {
    await compactVerify(assertion, publicKey);
    const now = Math.floor(Date.now() / 1000);
    await signCompactJws({ alg: 'RS256', kid: 'k', typ: 'JWT' }, { ...idTokenClaims, iat: now, exp: now + 3600 }, signer);
    n += 1;
  }
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (n / (performance.now() - started)) * 1000, cpuMs: (cpu.user + cpu.system) / 1000 / n };
}

const row = (name: string, r: LoadResult) =>
  `${name.padEnd(16)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   server CPU ${r.cpuMsPerRequest.toFixed(2)} ms/req   client CPU ${r.clientCpuMsPerRequest.toFixed(2)} ms/req   errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}`;
const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** This checkout's lab alone: concurrency 1 and 10 against the crypto ceiling. */
async function single(dir: string) {
  const { child, url } = await startLabChild(dir, tipLabConfig(ISSUER, CLIENT_ID));
  try {
    const total = WARMUP + REQUESTS / 10 + REQUESTS;
    process.stdout.write(`minting ${total} assertions …\n`);
    const requests = await prepareExchanges(url, ISSUER, CLIENT_ID, total);
    const pid = child.pid!;
    await runExchanges(url, pid, requests.slice(0, WARMUP), 10);
    const c1 = await runExchanges(url, pid, requests.slice(WARMUP, WARMUP + REQUESTS / 10), 1);
    const c10 = await runExchanges(url, pid, requests.slice(WARMUP + REQUESTS / 10), 10);
    const ceiling = await cryptoCeiling();
    const ratio = c10.rps / ceiling.perSecond;
    const lines = [
      `CreateTokenWithIAM (jwt-bearer, SigV4) on ${url} — node ${process.version}, ${WARMUP} warm-up, then ${REQUESTS / 10} + ${REQUESTS} requests, load average ${loadAverage()}`,
      row('concurrency 1', c1),
      row('concurrency 10', c10),
      `crypto ceiling   ${ceiling.perSecond.toFixed(0).padStart(7)} exchanges/s, ${ceiling.cpuMs.toFixed(2)} ms of CPU each (verify 1 RS256 + sign 1 RS256, one core)`,
      `ratio at c=10    ${ratio.toFixed(2)} of the ceiling's exchanges/s (goal ≥ 0.6: ${ratio >= 0.6 ? 'met' : 'NOT met'}); CPU: the crypto is ${((ceiling.cpuMs / c10.cpuMsPerRequest) * 100).toFixed(0)}% of the server's CPU per exchange`,
      `p99 at c=10      ${c10.p99.toFixed(2)} ms (goal < 20 ms: ${c10.p99 < 20 ? 'met' : 'NOT met'})`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (c1.errors || c10.errors) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
  }
}

/** This checkout's lab (A) and `other`'s (B) side by side, taking turns in blocks at concurrency 10. */
async function against(dir: string, other: string) {
  // Started, minted for and warmed up in this order (--other-first swaps it: identical labs measure a
  // little apart by which came first, so a comparison is run both ways).
  const setup = values['other-first'] ? [1, 0] : [0, 1];
  const labs: { name: string; child: ChildProcess; url: string }[] = [];
  for (const i of setup) labs[i] = { name: i === 0 ? 'this' : 'other', ...(await startLabChild(join(dir, i === 0 ? 'a' : 'b'), tipLabConfig(ISSUER, CLIENT_ID), i === 0 ? undefined : other)) };
  try {
    const perLab = WARMUP + ROUNDS * BLOCK;
    process.stdout.write(`minting ${perLab} assertions for each lab …\n`);
    const prepared: PreparedRequest[][] = [];
    for (const i of setup) prepared[i] = await prepareExchanges(labs[i]!.url, ISSUER, CLIENT_ID, perLab);
    for (const i of setup) await runExchanges(labs[i]!.url, labs[i]!.child.pid!, prepared[i]!.slice(0, WARMUP), 10);
    const cpu: number[][] = [[], []];
    let errors = 0;
    process.stdout.write(`round   this ms/req   other ms/req   other/this   load average\n`);
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? setup : [setup[1]!, setup[0]!];
      const from = WARMUP + round * BLOCK;
      for (const i of order) {
        const r = await runExchanges(labs[i]!.url, labs[i]!.child.pid!, prepared[i]!.slice(from, from + BLOCK), 10);
        if (r.errors) process.stderr.write(`${labs[i]!.name}: ${r.errors} errors (${r.firstError})\n`);
        errors += r.errors;
        cpu[i]!.push(r.cpuMsPerRequest);
      }
      const [a, b] = [cpu[0]![round]!, cpu[1]![round]!];
      process.stdout.write(`${String(round + 1).padStart(5)}   ${a.toFixed(3).padStart(11)}   ${b.toFixed(3).padStart(12)}   ${(b / a).toFixed(3).padStart(10)}   ${loadAverage()}\n`);
    }
    const ratios = cpu[0]!.map((a, round) => cpu[1]![round]! / a).sort((x, y) => x - y);
    const ceiling = await cryptoCeiling();
    const lines = [
      `server CPU per exchange at c=10, ${ROUNDS} rounds of ${BLOCK}, ${WARMUP} warm-up each — this: ${fileURLToPath(new URL('../..', import.meta.url))}, other: ${other}, ${values['other-first'] ? 'other' : 'this'} started first — node ${process.version}`,
      `median           this ${median(cpu[0]!).toFixed(3)} ms   other ${median(cpu[1]!).toFixed(3)} ms`,
      `other/this       median ${median(ratios).toFixed(3)}, quartiles ${percentile(ratios, 25).toFixed(3)}–${percentile(ratios, 75).toFixed(3)}, range ${ratios[0]!.toFixed(3)}–${ratios.at(-1)!.toFixed(3)} (above 1: this one is cheaper)`,
      `crypto           ${ceiling.cpuMs.toFixed(3)} ms of CPU per exchange: this ${(median(cpu[0]!) / ceiling.cpuMs).toFixed(2)}×, other ${(median(cpu[1]!) / ceiling.cpuMs).toFixed(2)}× the crypto`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (errors) process.exitCode = 1;
  } finally {
    for (const lab of labs) lab.child.kill('SIGTERM');
  }
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'tti-bench-exchange-'));
  try {
    if (values.against) await against(dir, resolve(values.against));
    else await single(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
