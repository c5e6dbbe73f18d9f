import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { awsDomainOf } from './aws-domain.js';

/** node:https (with node:tls) is loaded by the first https URL, not at the lab's start (docs/benchmarks.md). */
const requireHere = createRequire(import.meta.url);

export class FetchJsonError extends Error {
  constructor(
    readonly kind: 'network' | 'timeout' | 'status' | 'too_large' | 'not_json' | 'aws_domain',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FetchJsonError';
  }
}

export interface FetchJsonOptions {
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM), e.g. the lab's self-signed one. */
  ca?: string | null;
  maxBytes?: number;
}

/**
 * GET a JSON document with a hard deadline on the whole exchange (connect, headers and body) and a
 * size cap, so a slow, hanging or garbage-spewing server becomes a defined error, never a hang.
 * A URL of an AWS domain is refused before any lookup or connection: the lab never calls AWS.
 */
export function fetchJson(url: string, opts: FetchJsonOptions): Promise<unknown> {
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new FetchJsonError('network', `not a URL: ${url}`));
      return;
    }
    const aws = awsDomainOf(parsed.hostname);
    if (aws) {
      reject(new FetchJsonError('aws_domain', `${parsed.hostname} is an AWS domain (${aws}), and the lab never fetches from AWS: it is offline and stands in for AWS itself; nothing was sent`));
      return;
    }
    const isHttps = parsed.protocol === 'https:';
    if (!isHttps && parsed.protocol !== 'http:') {
      reject(new FetchJsonError('network', `unsupported protocol ${parsed.protocol}`));
      return;
    }
    const options = { method: 'GET', headers: { accept: 'application/json' }, ...(isHttps && opts.ca ? { ca: opts.ca } : {}) };
    const request = isHttps ? (requireHere('node:https') as typeof import('node:https')).request : httpRequest;
    const req = request(parsed, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy(new FetchJsonError('too_large', `response larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          reject(new FetchJsonError('status', `HTTP ${status}`, status));
          return;
        }
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new FetchJsonError('not_json', 'the response is not JSON'));
        }
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err instanceof FetchJsonError ? err : new FetchJsonError('network', err.message));
      });
    });
    const timer = setTimeout(() => req.destroy(new FetchJsonError('timeout', `no complete answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err instanceof FetchJsonError ? err : new FetchJsonError('network', err.message));
    });
    req.end();
  });
}
