/**
 * `npm run bench:issuer`: tti-lab's mock issuer against oauth2-mock-server, on loopback only.
 *
 *   1. Throughput, latency and CPU cost of two operations, each server loaded the same way: N
 *      concurrent request loops (node:http over a keep-alive agent, scripts/bench-client.ts) for a
 *      fixed time, after a warm-up of both, the order of the servers alternating between rounds.
 *        client_credentials  tti-lab: POST /issuers/bench/token, the client authenticated with
 *                            client_secret_basic, a JWT access token for its default audience;
 *                            oauth2-mock-server: POST /token grant_type=client_credentials (it
 *                            checks no client credentials).
 *        mint                tti-lab: POST /issuers/bench/mint {"claims": {"sub", "aud", "scope"}};
 *                            oauth2-mock-server has no mint route: its nearest equivalent is the token
 *                            endpoint, which signs one JWT with the `aud` and `scope` the request asks for.
 *      Every request signs one RS256 JWT on both servers. Each server runs in its own child process
 *      (tti-lab through startLab, in memory, one RS256 issuer with a confidential client), so its CPU
 *      time per request can be read from /proc/<pid>/stat: unlike requests/s, that figure barely moves
 *      when other work shares the machine.
 *   2. Start-up: the built CLI, `node bin/tti-lab.js serve --port 0 --data-dir <tmp>` with one issuer,
 *      timed from spawn to the first 200 on its discovery URL; the first run makes the keys, the later
 *      runs find them on disk. Then the idle RSS of that process (VmRSS in /proc/<pid>/status).
 *
 * Goals (from the issue): tti-lab ≥ 1.2× oauth2-mock-server's requests/s; start-up < 500 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { keepAliveAgent, keepAlivePost, percentile, processCpuMs } from './bench-client.js';

type ServerName = 'tti-lab' | 'oauth2-mock-server';
type Operation = 'client_credentials' | 'mint';

const CLIENT_ID = 'bench-client';
const CLIENT_SECRET = 'bench-secret';
const AUDIENCE = 'api://bench';
const SELF = fileURLToPath(import.meta.url);

/** Child mode: run one server on 127.0.0.1, print its URL as a JSON line, stop on SIGTERM. */
async function serveChild(which: ServerName): Promise<void> {
  let url: string;
  let close: () => Promise<void>;
  if (which === 'tti-lab') {
    const { startLab } = await import('../server/lab/start-lab.js');
    const lab = await startLab({
      host: '127.0.0.1',
      port: 0,
      inMemory: true,
      config: {
        issuers: [
          {
            name: 'bench',
            algorithm: 'RS256',
            clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_types: ['client_credentials'], default_audience: AUDIENCE }],
            resources: [{ indicator: AUDIENCE, scopes: ['read'] }],
            users: [{ sub: 'alice' }],
          },
        ],
      },
    });
    url = lab.url;
    close = () => lab.close();
  } else {
    const { OAuth2Server } = await import('oauth2-mock-server');
    const server = new OAuth2Server();
    await server.issuer.keys.generate('RS256');
    await server.start(0, '127.0.0.1');
    url = server.issuer.url!;
    close = () => server.stop();
  }
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  await close();
}

interface Child {
  proc: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

function startChild(which: ServerName): Promise<Child> {
  const proc = spawn(process.execPath, [SELF, '--child', which], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        resolve({
          proc,
          url: (JSON.parse(line) as { url: string }).url,
          stop: () =>
            new Promise((done) => {
              if (proc.exitCode !== null) return done();
              proc.once('exit', () => done());
              proc.kill('SIGTERM');
            }),
        });
      }
    });
    proc.once('exit', (code) => reject(new Error(`${which} exited ${code} before it listened`)));
  });
}

/** user + system CPU seconds of a process, all its threads. */
const cpuSeconds = async (pid: number) => (await processCpuMs(pid)) / 1000;

interface RequestSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
}

interface Window {
  requests: number;
  errors: number;
  firstError?: string;
  seconds: number;
  cpuSeconds: number;
  latenciesMs: number[];
}

/** `concurrency` loops sending the same request until the time is up. */
async function loadWindow(spec: RequestSpec, pid: number, concurrency: number, durationMs: number): Promise<Window> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const agent = keepAliveAgent(concurrency);
  const url = new URL(spec.url);
  const cpu0 = await cpuSeconds(pid);
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const res = await keepAlivePost(agent, url, spec.headers, spec.body);
        if (res.status !== 200) throw new Error(`${res.status} ${res.text.slice(0, 200)}`);
        latenciesMs.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests: latenciesMs.length, errors, firstError, seconds, cpuSeconds: (await cpuSeconds(pid)) - cpu0, latenciesMs };
}

interface Measured {
  operation: Operation;
  server: ServerName;
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU (all threads) per request. */
  cpuMsPerRequest: number;
}

interface StartUp {
  /** Wall time from spawn to the first 200 on discovery. */
  ms: number;
  /** CPU time the process used by then: close to what the wall time is on an idle machine. */
  cpuMs: number;
  rssMiB: number;
}

/** A server command line for the start-up timing, and where its discovery document is once it printed its URL. */
interface StartUpCommand {
  args: string[];
  /** Finds the server's URL in what it printed so far. */
  url: (stdout: string) => string | undefined;
  discovery: (url: string) => string;
}

/** Spawn to the first 200 on discovery, then the idle RSS. */
async function startUp(cmd: StartUpCommand, idleMs: number): Promise<StartUp> {
  const t0 = performance.now();
  const child = spawn(process.execPath, cmd.args, { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        const found = cmd.url(stdout);
        if (found) resolve(found);
      });
      child.once('exit', (code) => reject(new Error(`${cmd.args.join(' ')} exited ${code} before listening`)));
    });
    for (;;) {
      const res = await fetch(cmd.discovery(url)).catch(() => undefined);
      if (res?.status === 200) {
        await res.text();
        break;
      }
      await delay(2);
    }
    const ms = performance.now() - t0;
    const cpuMs = (await cpuSeconds(child.pid!)) * 1000;
    await delay(idleMs);
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    return { ms, cpuMs, rssMiB: Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024 };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

const USAGE = `Usage: npm run bench:issuer -- [options]
       node dist/scripts/bench-issuer.js [options]

  --duration S       seconds of load per server and operation, split over the rounds (default 5)
  --concurrency N    concurrent request loops (default 16)
  --warmup S         seconds of load on each server and operation before measuring (default 1)
  --rounds R         rounds per operation; the servers' order alternates (default 2)
  --startup-runs K   start-up timings with keys on disk, after one that makes them (default 9),
                     alternating with as many of oauth2-mock-server's CLI given its key (--jwk)
  --startup-only     only the start-up timings (no load)
  --json             print the results as JSON
  -h, --help         this help`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      duration: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '16' },
      warmup: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '2' },
      'startup-runs': { type: 'string', default: '9' },
      'startup-only': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.child) {
    await serveChild(values.child as ServerName);
    return 0;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const numbers = {
    duration: Number(values.duration),
    concurrency: Number(values.concurrency),
    warmup: Number(values.warmup),
    rounds: Number(values.rounds),
    'startup-runs': Number(values['startup-runs']),
  };
  for (const [name, v] of Object.entries(numbers)) {
    if (!Number.isFinite(v) || v < 0 || (name !== 'warmup' && v === 0) || ((name === 'concurrency' || name === 'rounds' || name === 'startup-runs') && !Number.isInteger(v))) {
      console.error(`--${name}: expected a positive ${name === 'duration' || name === 'warmup' ? 'number of seconds' : 'whole number'}\n\n${USAGE}`);
      return 2;
    }
  }
  const { duration, concurrency, warmup, rounds } = numbers;
  const startupRuns = numbers['startup-runs'];

  const servers = new Map<ServerName, Child>();
  const results: Measured[] = [];
  if (!values['startup-only']) try {
    servers.set('tti-lab', await startChild('tti-lab'));
    servers.set('oauth2-mock-server', await startChild('oauth2-mock-server'));
    const lab = servers.get('tti-lab')!.url;
    const mock = servers.get('oauth2-mock-server')!.url;
    const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}` };
    const specs: Record<Operation, Record<ServerName, RequestSpec>> = {
      client_credentials: {
        'tti-lab': { url: `${lab}/issuers/bench/token`, headers: form, body: 'grant_type=client_credentials&scope=read' },
        'oauth2-mock-server': { url: `${mock}/token`, headers: form, body: 'grant_type=client_credentials&scope=read' },
      },
      mint: {
        'tti-lab': { url: `${lab}/issuers/bench/mint`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ claims: { sub: 'alice', aud: AUDIENCE, scope: 'read' } }) },
        'oauth2-mock-server': { url: `${mock}/token`, headers: form, body: `grant_type=client_credentials&scope=read&aud=${encodeURIComponent(AUDIENCE)}` },
      },
    };

    // Each answers with a JWT before anything is timed; then both warm up.
    for (const [operation, pair] of Object.entries(specs)) {
      for (const [server, spec] of Object.entries(pair)) {
        const res = await fetch(spec.url, { method: 'POST', headers: spec.headers, body: spec.body });
        const body = (await res.json()) as { token?: string; access_token?: string };
        if (res.status !== 200 || (body.token ?? body.access_token ?? '').split('.').length !== 3) {
          throw new Error(`${server} ${operation}: expected a JWT, got ${res.status} ${JSON.stringify(body)}`);
        }
        if (warmup > 0) await loadWindow(spec, servers.get(server as ServerName)!.proc.pid!, concurrency, warmup * 1000);
      }
    }

    for (const operation of ['client_credentials', 'mint'] as const) {
      const windows = new Map<ServerName, Window[]>();
      for (let r = 0; r < rounds; r++) {
        const order: ServerName[] = r % 2 === 0 ? ['tti-lab', 'oauth2-mock-server'] : ['oauth2-mock-server', 'tti-lab'];
        for (const server of order) {
          const w = await loadWindow(specs[operation][server], servers.get(server)!.proc.pid!, concurrency, (duration * 1000) / rounds);
          windows.set(server, [...(windows.get(server) ?? []), w]);
        }
      }
      for (const [server, ws] of windows) {
        const sum = (f: (w: Window) => number) => ws.reduce((s, w) => s + f(w), 0);
        const latencies = ws.flatMap((w) => w.latenciesMs).sort((a, b) => a - b);
        const requests = sum((w) => w.requests);
        const errors = sum((w) => w.errors);
        if (errors) console.error(`${server} ${operation}: ${errors} errors; the first: ${ws.find((w) => w.firstError)?.firstError}`);
        results.push({
          operation,
          server,
          requests,
          errors,
          rps: requests / sum((w) => w.seconds),
          p50Ms: percentile(latencies, 50),
          p99Ms: percentile(latencies, 99),
          cpuMsPerRequest: (sum((w) => w.cpuSeconds) * 1000) / requests,
        });
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()));
  }

  // Start-up, the two servers alternating (so a slow minute of this shared machine hits both): tti-lab's
  // built CLI with one issuer whose keys are on disk, and oauth2-mock-server's CLI given its RSA key
  // with --jwk (also on disk, so neither makes a key). Both timed from spawn to the first 200 on
  // their discovery URL.
  const bin = fileURLToPath(new URL('../../bin/tti-lab.js', import.meta.url));
  const mockBin = fileURLToPath(new URL('../../node_modules/oauth2-mock-server/dist/oauth2-mock-server.mjs', import.meta.url));
  const dir = await mkdtemp(join(tmpdir(), 'tti-lab-bench-'));
  const config = join(dir, 'lab.yaml');
  await writeFile(config, 'issuers:\n  - name: bench\n    algorithm: RS256\n');
  const { generateKeyPair, exportJWK } = await import('jose');
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  await writeFile(join(dir, 'mock-key.json'), JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'bench', alg: 'RS256', use: 'sig' }));
  const ttiLab: StartUpCommand = {
    args: [bin, 'serve', '--config', config, '--port', '0', '--data-dir', join(dir, 'data')],
    url: (out) => /listening on (\S+)/.exec(out)?.[1],
    discovery: (url) => `${url}/issuers/bench/.well-known/openid-configuration`,
  };
  const oauth2Mock: StartUpCommand = {
    args: [mockBin, '-a', '127.0.0.1', '-p', '0', '--jwk', join(dir, 'mock-key.json')],
    url: (out) => /listening on (\S+)/.exec(out)?.[1],
    discovery: (url) => `${url}/.well-known/openid-configuration`,
  };
  let first: StartUp;
  const warm: StartUp[] = [];
  const mockRuns: StartUp[] = [];
  try {
    first = await startUp(ttiLab, 0);
    for (let i = 0; i < startupRuns; i++) {
      const last = i === startupRuns - 1;
      if (i % 2 === 0) {
        warm.push(await startUp(ttiLab, last ? 1000 : 0));
        mockRuns.push(await startUp(oauth2Mock, last ? 1000 : 0));
      } else {
        mockRuns.push(await startUp(oauth2Mock, last ? 1000 : 0));
        warm.push(await startUp(ttiLab, last ? 1000 : 0));
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const warmMs = warm.map((s) => s.ms).sort((a, b) => a - b);
  const startupMs = percentile(warmMs, 50);
  const startupCpuMs = percentile(warm.map((s) => s.cpuMs).sort((a, b) => a - b), 50);
  const idleRssMiB = warm.at(-1)!.rssMiB;
  const mockMs = mockRuns.map((s) => s.ms).sort((a, b) => a - b);
  const mockStartupMs = percentile(mockMs, 50);
  const mockStartupCpuMs = percentile(mockRuns.map((s) => s.cpuMs).sort((a, b) => a - b), 50);
  const startupLine = [
    `start-up to the first discovery 200: ${first.ms.toFixed(0)} ms making keys; with keys on disk, median ${startupMs.toFixed(0)} ms (${warmMs.map((m) => m.toFixed(0)).join(', ')}), ${startupCpuMs.toFixed(0)} ms of CPU (goal < 500 ms: ${startupMs < 500 ? 'met' : 'MISSED'})`,
    `oauth2-mock-server's CLI (--jwk), alternating with it: median ${mockStartupMs.toFixed(0)} ms (${mockMs.map((m) => m.toFixed(0)).join(', ')}), ${mockStartupCpuMs.toFixed(0)} ms of CPU; tti-lab / oauth2-mock-server = ${(startupMs / mockStartupMs).toFixed(2)}× the time, ${(startupCpuMs / mockStartupCpuMs).toFixed(2)}× the CPU`,
    `idle RSS after start-up: ${idleRssMiB.toFixed(1)} MiB (oauth2-mock-server: ${mockRuns.at(-1)!.rssMiB.toFixed(1)} MiB)`,
  ];
  if (values['startup-only']) {
    console.log(values.json ? JSON.stringify({ node: process.version, loadavg: (await import('node:os')).loadavg(), ttiLab: { firstRunMs: first.ms, keysOnDiskMs: warmMs, cpuMs: warm.map((s) => s.cpuMs), medianMs: startupMs, medianCpuMs: startupCpuMs, idleRssMiB }, oauth2MockServer: { ms: mockMs, cpuMs: mockRuns.map((s) => s.cpuMs), medianMs: mockStartupMs, medianCpuMs: mockStartupCpuMs }, ratio: startupMs / mockStartupMs, cpuRatio: startupCpuMs / mockStartupCpuMs }, null, 2) : startupLine.join('\n'));
    return 0;
  }

  const get = (op: Operation, server: ServerName) => results.find((x) => x.operation === op && x.server === server)!;
  const ratios = Object.fromEntries(
    (['client_credentials', 'mint'] as const).map((op) => [
      op,
      {
        rps: get(op, 'tti-lab').rps / get(op, 'oauth2-mock-server').rps,
        cpu: get(op, 'oauth2-mock-server').cpuMsPerRequest / get(op, 'tti-lab').cpuMsPerRequest,
      },
    ]),
  ) as Record<Operation, { rps: number; cpu: number }>;
  const summary = {
    settings: { durationSeconds: duration, concurrency, warmupSeconds: warmup, rounds, node: process.version, cpus: (await import('node:os')).cpus().length, loadavg: (await import('node:os')).loadavg() },
    throughput: results,
    ratios,
    startup: { firstRunMs: first.ms, keysOnDiskMs: warmMs, keysOnDiskMedianMs: startupMs, keysOnDiskMedianCpuMs: startupCpuMs, idleRssMiB, oauth2MockServerMs: mockMs, oauth2MockServerMedianMs: mockStartupMs, ratio: startupMs / mockStartupMs },
    goals: {
      throughput: { goal: 'tti-lab ≥ 1.2× oauth2-mock-server requests/s', met: ratios.client_credentials.rps >= 1.2 && ratios.mint.rps >= 1.2 },
      startup: { goal: 'start-up < 500 ms', met: startupMs < 500 },
    },
  };
  if (values.json) {
    console.log(JSON.stringify(summary, null, 2));
    return 0;
  }
  const n = (v: number, d = 0, w = 8) => v.toFixed(d).padStart(w);
  const lines = [
    `tti-lab issuer benchmark: ${concurrency} concurrent request loops (node:http keep-alive), ${duration}s per server and operation in ${rounds} alternating rounds; node ${process.version}, ${summary.settings.cpus} CPUs, load average ${summary.settings.loadavg.map((l) => l.toFixed(2)).join(' ')}`,
    '',
    'operation           server                 req/s   p50 ms   p99 ms  CPU ms/req  errors',
    ...results.map((r) => `${r.operation.padEnd(19)} ${r.server.padEnd(19)} ${n(r.rps)} ${n(r.p50Ms, 1)} ${n(r.p99Ms, 1)} ${n(r.cpuMsPerRequest, 2, 11)} ${String(r.errors).padStart(7)}`),
    '',
    ...(['client_credentials', 'mint'] as const).map(
      (op) => `${op}: tti-lab / oauth2-mock-server = ${ratios[op].rps.toFixed(2)}× requests/s, ${ratios[op].cpu.toFixed(2)}× less CPU per request (goal ≥ 1.2× requests/s: ${ratios[op].rps >= 1.2 ? 'met' : 'MISSED'})`,
    ),
    ...startupLine,
  ];
  console.log(lines.join('\n'));
  return 0;
}

process.exitCode = await main();
