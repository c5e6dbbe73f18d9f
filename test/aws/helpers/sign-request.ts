import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** The hash constructor @smithy/signature-v4 wants (a SHA-256, or an HMAC-SHA-256 when given a key), from node:crypto. */
class Sha256 {
  readonly #hash;
  constructor(secret?: string | Uint8Array) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? Buffer.from(secret) : secret);
  }
  update(data: string | Uint8Array): void {
    this.#hash.update(typeof data === 'string' ? Buffer.from(data) : data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

export interface SignOptions {
  /** The lab's base URL (`http://127.0.0.1:port`): gives the signed `host` header. */
  baseUrl: string;
  method?: string;
  /** The path as sent (already percent-encoded where needed). */
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  service?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  signingDate?: Date;
}

/** Signs a request the way the AWS SDK does (@smithy/signature-v4); returns the headers to send. */
export async function signRequest(o: SignOptions): Promise<Record<string, string>> {
  const url = new URL(o.baseUrl);
  const signer = new SignatureV4({
    service: o.service ?? 'identitystore',
    region: o.region ?? 'us-east-1',
    credentials: { accessKeyId: o.accessKeyId ?? 'test', secretAccessKey: o.secretAccessKey ?? 'test', ...(o.sessionToken ? { sessionToken: o.sessionToken } : {}) },
    // Node's crypto behind @smithy's Hash interface; its declared constructor type is narrower than what it accepts.
    sha256: Sha256 as never,
  });
  const signed = await signer.sign(
    {
      method: o.method ?? 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: o.path ?? '/',
      query: o.query ?? {},
      headers: { host: url.host, ...(o.headers ?? {}) },
      body: o.body ?? '',
    },
    o.signingDate ? { signingDate: o.signingDate } : {},
  );
  const headers = { ...(signed.headers as Record<string, string>) };
  delete headers.host; // fetch sends Host itself, with the same value
  return headers;
}

/** The query string as a client would send it (RFC 3986 encoding). */
export function queryString(query: Record<string, string | string[]>): string {
  return Object.entries(query)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`))
    .join('&');
}

/** A signed POST to the lab's AWS endpoint; `sign: false` sends it unsigned. */
export async function awsFetch(o: SignOptions & { sign?: boolean }): Promise<Response> {
  const headers = o.sign === false ? { ...(o.headers ?? {}) } : await signRequest(o);
  const qs = o.query ? `?${queryString(o.query)}` : '';
  return fetch(`${o.baseUrl}${o.path ?? '/'}${qs}`, { method: o.method ?? 'POST', headers, ...(o.method === 'GET' ? {} : { body: (o.body ?? '') as BodyInit }) });
}

/** The headers of an awsJson call to an Identity Store operation. */
export const identityStoreHeaders = (operation: string): Record<string, string> => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': `AWSIdentityStore.${operation}`,
});
