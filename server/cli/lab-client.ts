import { UsageError } from './command.js';

/**
 * A running lab refused a request, or could not be reached. Not a usage error: the command line was
 * fine. `code` is the lab's own error code (`unknown_issuer`, `key_active` …), or `unreachable`.
 */
export class LabRequestError extends Error {
  constructor(
    readonly code: string,
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'LabRequestError';
  }
}

/** A small client for a running lab's JSON routes; errors carry the lab's own code and message. */
export async function labRequest<T>(endpoint: string, method: string, path: string, body?: unknown): Promise<T> {
  let target: URL;
  try {
    target = new URL(path, endpoint);
  } catch {
    throw new UsageError(`--endpoint: expected a URL such as http://127.0.0.1:4750, got "${endpoint}"`);
  }
  let res: Response;
  try {
    res = await fetch(target, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    const e = err as Error & { cause?: Error };
    throw new LabRequestError(
      'unreachable',
      null,
      `cannot reach a lab at ${endpoint} (${e.cause?.message ?? e.message}); start one with \`tti-lab serve\`, pass --endpoint, or use --offline --config FILE`,
    );
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new LabRequestError('not_json', res.status, `${endpoint} answered ${res.status} with something that is not JSON; is it a tti-lab?`);
  }
  if (!res.ok) {
    const e = json as { error?: string; message?: string };
    throw new LabRequestError(e.error ?? String(res.status), res.status, `the lab refused (${res.status} ${e.error ?? ''}): ${e.message ?? text}`);
  }
  return json as T;
}
