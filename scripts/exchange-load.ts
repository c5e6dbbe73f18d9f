/**
 * The exchange load bench:exchange sends: signed CreateTokenWithIAM jwt-bearer requests prepared
 * before the clock starts, then sent over keep-alive at a given concurrency while the server's CPU
 * time is read from /proc.
 */
import { LAB_REASON_HEADER, readLabReason } from '../server/aws/protocols/lab-reason-header.js';
import { keepAliveAgent, keepAlivePost, percentile, processCpuMs, signedHeaders, tipLabIds } from './bench-client.js';

/** One request, ready to send: its headers (SigV4 included) and its body. */
export interface PreparedRequest {
  headers: Record<string, string>;
  body: string;
}

/** What one load run measured. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** The server's CPU time (user + system, all threads) per request, in ms. */
  cpuMsPerRequest: number;
  /** This process's CPU time per request, in ms: the load generator shares the machine. */
  clientCpuMsPerRequest: number;
  errors: number;
  firstError: string;
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/**
 * `count` signed jwt-bearer requests for the lab at `url` set up by tipLabConfig(`issuer`, `clientId`):
 * each carries a fresh assertion minted by the lab's own issuer (an assertion may be exchanged once).
 */
export async function prepareExchanges(url: string, issuer: string, clientId: string, count: number): Promise<PreparedRequest[]> {
  const mintOne = async () =>
    (await json<{ token: string }>(await fetch(`${url}/issuers/${issuer}/mint`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'u1', claims: { aud: clientId } }) }))).token;
  const assertions: string[] = [];
  for (let i = 0; i < count; i += 20) assertions.push(...(await Promise.all(Array.from({ length: Math.min(20, count - i) }, mintOne))));
  const applicationArn = (await tipLabIds(url)).applicationArn;
  return assertions.map((assertion) => {
    const body = JSON.stringify({ clientId: applicationArn, grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    return { body, headers: signedHeaders(url, { path: '/token', query: 'aws_iam=t', service: 'sso-oauth', headers: { 'content-type': 'application/json' }, body }) };
  });
}

/** Sends `requests` to the lab at `url` (process `pid`) from `concurrency` loops; every answer must be 200. */
export async function runExchanges(url: string, pid: number, requests: PreparedRequest[], concurrency: number): Promise<LoadResult> {
  const target = new URL(`${url}/token?aws_iam=t`);
  const agent = keepAliveAgent(concurrency);
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError = '';
  const cpu0 = await processCpuMs(pid);
  const client0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const t0 = performance.now();
        const res = await keepAlivePost(agent, target, requests[i]!.headers, requests[i]!.body);
        latencies.push(performance.now() - t0);
        if (res.status !== 200) {
          errors += 1;
          firstError ||= `${res.status} ${readLabReason(res.headers[LAB_REASON_HEADER] as string | undefined) || res.text.slice(0, 200)}`;
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  const client = process.cpuUsage(client0);
  const serverCpuMs = (await processCpuMs(pid)) - cpu0;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: (requests.length / elapsed) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuMsPerRequest: serverCpuMs / requests.length, clientCpuMsPerRequest: (client.user + client.system) / 1000 / requests.length, errors, firstError };
}
