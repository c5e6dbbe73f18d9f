import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { atomicWrite } from '../../../../shared/atomic-write.js';
import { BoundedMap } from '../../../util/bounded-map.js';

/** One line of the replay file: a 128-bit digest (22 base64url characters) and until when (epoch ms). */
const LINE = /^([A-Za-z0-9_-]{22}) (\d{1,16})$/;
/** The file is compacted when it holds this many times more lines than live entries (and at least COMPACT_MIN). */
const COMPACT_FACTOR = 2;
const COMPACT_MIN = 1024;

const line = (digest: string, until: number) => `${digest} ${until}\n`;

/**
 * Accepted assertions, remembered against replay until each one's exp (+ skew): a bounded map of
 * digest → until, in memory, and — with a data dir — an append-only file beside the state
 * (`replay-cache.log`, one `digest until` line per accepted assertion), so a restart remembers
 * them too. Each acceptance is one small write(2) before the answer is sent: it survives the
 * process being killed, not a power cut (it is not fsynced). The file is read at start (expired and
 * torn lines dropped) and compacted (written atomically with only the live entries) at start and
 * whenever it grows to twice the live entries; so it stays bounded like the map.
 */
export class ReplayCache {
  readonly #entries: BoundedMap<string, number>;
  /** Assertions remembered so far: every 1024th sweeps expired entries. */
  #remembered = 0;
  #file: string | null = null;
  #fd: number | null = null;
  /** Lines in the file now. */
  #lines = 0;
  /** While a compaction runs: the lines appended since its snapshot, to append again to the new file. */
  #pending: string[] | null = null;
  #compaction: Promise<void> | null = null;

  constructor(capacity: number) {
    this.#entries = new BoundedMap(capacity);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Has this digest been accepted before (and is that memory still live)? */
  seen(digest: string, now: number): boolean {
    const until = this.#entries.get(digest);
    return until !== undefined && until > now;
  }

  /** Remembers an accepted digest until `until` (epoch ms). Returns false if it was already there. */
  remember(digest: string, until: number, now: number): boolean {
    if (this.seen(digest, now)) return false;
    // Expired entries go first, every 1024 insertions, so a full cache forgets dead assertions
    // before it has to forget a live one.
    if (++this.#remembered % 1024 === 0) this.#entries.sweep((u) => u <= now);
    this.#entries.set(digest, until);
    if (this.#fd !== null) {
      const text = line(digest, until);
      writeSync(this.#fd, text);
      this.#lines += 1;
      this.#pending?.push(text);
      if (!this.#compaction && this.#lines >= Math.max(COMPACT_MIN, COMPACT_FACTOR * this.#entries.size)) this.#compact(now);
    }
    return true;
  }

  /**
   * Keeps the cache in `file` from now on: reads what a previous run remembered (live entries
   * only; a torn last line is skipped), rewrites the file with them, and appends from then on.
   */
  async persistTo(file: string, now: number): Promise<void> {
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const l of text.split('\n')) {
      const [, digest, untilText] = LINE.exec(l) ?? [];
      if (digest === undefined || untilText === undefined) continue;
      const until = Number(untilText);
      if (until > now && !this.seen(digest, now)) this.#entries.set(digest, until);
    }
    this.#file = file;
    await this.#rewrite(now);
  }

  /** Writes the live entries to the file atomically and appends from then on to the new file. */
  async #rewrite(now: number): Promise<void> {
    const file = this.#file;
    if (file === null) throw new Error('the replay cache has no file to write'); // only persistTo calls this, after setting it
    this.#entries.sweep((u) => u <= now);
    let text = '';
    for (const [digest, until] of this.#entries.entries()) text += line(digest, until);
    const count = this.#entries.size;
    this.#pending = [];
    try {
      await atomicWrite(file, text);
      if (this.#fd !== null) closeSync(this.#fd);
      this.#fd = openSync(file, 'a', 0o600);
      const since = this.#pending;
      if (since.length) writeSync(this.#fd, since.join(''));
      this.#lines = count + since.length;
    } finally {
      this.#pending = null;
    }
  }

  #compact(now: number): void {
    this.#compaction = this.#rewrite(now)
      // A failed compaction leaves the old file, still appended to; the next acceptance tries again.
      .catch(() => undefined)
      .finally(() => {
        this.#compaction = null;
      });
  }

  /** Resolves once no compaction is running (acceptances never wait for one). */
  async idle(): Promise<void> {
    while (this.#compaction) await this.#compaction;
  }

  /** Waits for a compaction in progress and closes the file. */
  async close(): Promise<void> {
    await this.idle();
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}
