import type { Clock } from '../../shared/clock.js';

export interface RequestLogEntry {
  seq: number;
  time: string;
  /** The issuer the request was for, or null for other lab routes. */
  issuer: string | null;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  durationMs: number;
}

export interface RequestLogQuery {
  issuer?: string;
  /** Only entries with seq greater than this. */
  since?: number;
  limit?: number;
}

/**
 * Every request to an issuer, kept in a bounded ring so a long soak never grows it without end.
 * A test asks it what a client fetched (the habit of mock-oauth2-server's takeRequest()).
 */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];
  #seq = 0;

  constructor(
    readonly capacity: number,
    private readonly clock: Clock,
  ) {}

  record(entry: Omit<RequestLogEntry, 'seq' | 'time'>): RequestLogEntry {
    const full: RequestLogEntry = { seq: ++this.#seq, time: new Date(this.clock.now()).toISOString(), ...entry };
    this.#entries.push(full);
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
    return full;
  }

  entries(q: RequestLogQuery = {}): RequestLogEntry[] {
    let out = this.#entries.filter(
      (e) => (q.issuer === undefined || e.issuer === q.issuer) && (q.since === undefined || e.seq > q.since),
    );
    if (q.limit !== undefined) out = q.limit === 0 ? [] : out.slice(-q.limit);
    return out.map((e) => ({ ...e, query: { ...e.query } }));
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
