import { UsageError } from './command.js';

/** A small client for a running lab's JSON routes; errors carry the lab's own message. */
export async function labRequest<T>(endpoint: string, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(new URL(path, endpoint), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new UsageError(`cannot reach a lab at ${endpoint} (${(err as Error).cause ? String((err as { cause: Error }).cause.message) : (err as Error).message}); start one with \`tti-lab serve\`, pass --endpoint, or use --offline --config FILE`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new UsageError(`${endpoint} answered ${res.status} with something that is not JSON; is it a tti-lab?`);
  }
  if (!res.ok) {
    const e = json as { error?: string; message?: string };
    throw new UsageError(`the lab refused: ${e.error ?? res.status}: ${e.message ?? text}`);
  }
  return json as T;
}
