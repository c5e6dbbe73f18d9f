/**
 * What the benchmarks share: the load generator's request (node:http over a keep-alive agent: a
 * lighter client than fetch, so more of a shared machine's cores go to the server being measured)
 * and a process's CPU time from /proc.
 */
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';

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
