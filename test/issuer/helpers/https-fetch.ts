import { request } from 'node:https';

export interface FetchLikeInit {
  method?: string;
  headers?: HeadersInit;
  body?: unknown;
  signal?: AbortSignal | null;
}

/**
 * A fetch that trusts one CA (the lab's self-signed certificate), over node:https: what a client
 * does with NODE_EXTRA_CA_CERTS, without touching the process. Fits openid-client's and jose's
 * `customFetch` hooks.
 */
export function fetchTrusting(ca: string) {
  return (url: string | URL, init: FetchLikeInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      new Headers(init.headers ?? {}).forEach((v, k) => {
        headers[k] = v;
      });
      const req = request(new URL(url), { method: init.method ?? 'GET', headers, ca, signal: init.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, one);
          }
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode!, headers: out }));
        });
      });
      req.on('error', reject);
      const { body } = init;
      req.end(body === undefined || body === null ? undefined : body instanceof ArrayBuffer || ArrayBuffer.isView(body) ? Buffer.from(body as ArrayBuffer) : String(body));
    });
}
