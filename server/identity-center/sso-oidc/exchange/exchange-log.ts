import { randomUUID } from 'node:crypto';
import type { TraceEntry } from './trace.js';

export interface ExchangeLogEntry {
  id: string;
  time: string;
  operation: string;
  grantType: string | null;
  clientId: string | null;
  caller: string | null;
  outcome: 'success' | 'failure';
  /** For a failure: the profile key, the wire answer, and the failed step's reason. */
  failure?: { key: string; exception: string; status: number; error: string; step: string; reason: string; fix?: string };
  trace: TraceEntry[];
}

/** Every exchange attempt with its step-by-step trace, in a bounded ring. */
export class ExchangeLog {
  readonly #entries: ExchangeLogEntry[] = [];

  constructor(readonly capacity = 1000) {}

  record(entry: Omit<ExchangeLogEntry, 'id'>): ExchangeLogEntry {
    const full = { id: randomUUID(), ...entry };
    this.#entries.push(full);
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
    return full;
  }

  list(opts: { limit?: number; clientId?: string; outcome?: 'success' | 'failure' } = {}): ExchangeLogEntry[] {
    let out = this.#entries.filter((e) => (opts.clientId === undefined || e.clientId === opts.clientId) && (opts.outcome === undefined || e.outcome === opts.outcome));
    if (opts.limit !== undefined) out = out.slice(Math.max(0, out.length - opts.limit)); // the newest `limit`; 0 gives none (slice(-0) would give all)
    return structuredClone(out);
  }

  get(id: string): ExchangeLogEntry | undefined {
    const e = this.#entries.find((x) => x.id === id);
    return e ? structuredClone(e) : undefined;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
