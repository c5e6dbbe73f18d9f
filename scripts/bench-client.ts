/**
 * What the load scripts share (bench:issuer, bench:exchange, soak): a lab child process with a ready
 * TIP setup and its ids, SigV4 signing as the SDK does it (and a signed awsJson call), the load generator's request (node:http over a
 * keep-alive agent: a lighter client than fetch, so more of a shared machine's cores go to the server
 * being measured), a process's CPU time from /proc, and percentiles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectedSignature } from '../server/aws/sigv4/verify-sigv4.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A lab config with one issuer named `issuer` (one user, u1 / alice@example.com) trusted by one
 * application (`<issuer>-app`) whose jwt-bearer grant accepts `aud` = `clientId`, with refresh tokens,
 * callable by the default account, Alice assigned.
 */
export const tipLabConfig = (issuer: string, clientId: string) => `
issuers:
  - name: ${issuer}
    clients: [{ client_id: ${clientId}, client_secret: s, redirect_uris: ["http://localhost/cb"] }]
    users: [{ sub: u1, email: alice@example.com }]
identity_center:
  instances:
    - name: tti-lab
      users: [{ user_name: alice, emails: [alice@example.com] }]
      trusted_token_issuers:
        - { name: ${issuer}, issuer: ${issuer}, claim_attribute_path: email, identity_store_attribute_path: emails.value }
      applications:
        - name: ${issuer}-app
          grants: { jwt_bearer: [{ trusted_token_issuer: ${issuer}, audiences: [${clientId}] }], refresh_token: true }
          allowed_callers: ["000000000000"]
          assignments: [alice]
`;

/**
 * `tti-lab serve` (the built CLI of the checkout at `labRoot`, this one by default; in memory, a free
 * port) on `config`, written into `dir`; resolves once it listens. Node flags for the lab only (say
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`, which NODE_OPTIONS refuses) come from TTI_BENCH_LAB_NODE_ARGS;
 * TTI_BENCH_LAB_CPU pins the lab to those CPUs (`taskset -c`), so it does not share a core with the
 * load generator (which the caller pins with `taskset` itself).
 */
export async function startLabChild(dir: string, config: string, labRoot = root): Promise<{ child: ChildProcess; url: string }> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'lab.yaml');
  await writeFile(file, config);
  const nodeArgs = (process.env.TTI_BENCH_LAB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const cpu = process.env.TTI_BENCH_LAB_CPU;
  const command = [process.execPath, ...nodeArgs, join(labRoot, 'bin/tti-lab.js'), 'serve'];
  const [file0, ...args0] = cpu ? ['taskset', '-c', cpu, ...command] : command;
  const child = spawn(file0!, [...args0, '--config', file, '--port', '0', '--in-memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', () => undefined); // drained, so a chatty child never blocks on a full pipe
    child.once('exit', (code) => reject(new Error(`the lab exited with ${code}: ${out}`)));
  });
  return { child, url };
}

/** Signs a POST as the AWS SDK would (SigV4, credentials test/test, us-east-1); returns the headers to send. */
export function signedHeaders(url: string, o: { path: string; query: string; service: string; headers: Record<string, string>; body: string }): Record<string, string> {
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = { ...o.headers, host: new URL(url).host, 'x-amz-date': amzDate };
  const signed = Object.keys(headers).sort();
  const signature = expectedSignature({ method: 'POST', path: o.path, query: o.query, headers, body: Buffer.from(o.body) }, 'test', { date, region: 'us-east-1', service: o.service, signedHeaders: signed }, amzDate);
  headers.authorization = `AWS4-HMAC-SHA256 Credential=test/${date}/us-east-1/${o.service}/aws4_request, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  delete headers.host;
  return headers;
}

/** A SigV4-signed awsJson 1.1 call (SSO Admin `sso`, Identity Store `identitystore`) to the lab at `url`: its status and body. */
export async function awsJsonCall<T>(url: string, target: string, service: string, input: Record<string, unknown>): Promise<{ status: number; text: string; json: () => T }> {
  const body = JSON.stringify(input);
  const res = await fetch(`${url}/`, { method: 'POST', headers: signedHeaders(url, { path: '/', query: '', service, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body }), body });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as T };
}

/** What tipLabConfig set up, by id. */
export interface TipLabIds {
  applicationArn: string;
  instanceArn: string;
  identityStoreId: string;
  userId: string;
}

/** The ids of the lab tipLabConfig set up, asked of SSO Admin and the Identity Store as a client would. */
export async function tipLabIds(url: string): Promise<TipLabIds> {
  const answer = async <T>(target: string, service: string, input: Record<string, unknown>) => {
    const r = await awsJsonCall<T>(url, target, service, input);
    if (r.status !== 200) throw new Error(`${target}: ${r.status} ${r.text.slice(0, 300)}`);
    return r.json();
  };
  const { Instances } = await answer<{ Instances: { InstanceArn: string; IdentityStoreId: string }[] }>('SWBExternalService.ListInstances', 'sso', {});
  const instance = Instances[0]!;
  const { Applications } = await answer<{ Applications: { ApplicationArn: string }[] }>('SWBExternalService.ListApplications', 'sso', { InstanceArn: instance.InstanceArn });
  const { Users } = await answer<{ Users: { UserId: string }[] }>('AWSIdentityStore.ListUsers', 'identitystore', { IdentityStoreId: instance.IdentityStoreId });
  return { applicationArn: Applications[0]!.ApplicationArn, instanceArn: instance.InstanceArn, identityStoreId: instance.IdentityStoreId, userId: Users[0]!.UserId };
}

/** The p-th percentile of an ascending list (NaN when empty). */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A keep-alive agent for `concurrency` loops against one server. */
export const keepAliveAgent = (concurrency: number) => new Agent({ keepAlive: true, maxSockets: concurrency });

/** One POST to `url` over `agent`; resolves with the status, headers and body. */
export function keepAlivePost(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, method: 'POST', path: `${url.pathname}${url.search}`, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** user + system CPU milliseconds of a process, all its threads (Linux). */
export async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000; // utime, stime in clock ticks (USER_HZ = 100)
}
