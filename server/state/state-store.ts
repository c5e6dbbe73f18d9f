import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { atomicWrite } from '../../shared/atomic-write.js';
import { ChangeTracker, type AppliedChange } from './change-tracker.js';
import { JournalAppender, applyOp, encodeRecord, listJournals, readJournal } from './state-journal.js';

export interface StateStoreOptions {
  /** Told what the store did on its own: a torn journal record dropped, a compaction that failed. */
  notice?: (message: string) => void;
  /** The journal is compacted once it is larger than this and than the snapshot. Default 4 MiB. */
  compactMinBytes?: number;
}

/** The snapshot as written since the journal: the state, and the last journal record it holds. */
interface Snapshot<T> {
  journalSeq: number;
  state: T;
}

interface Waiting {
  change: (draft: never) => unknown;
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

const DEFAULT_COMPACT_MIN_BYTES = 4 * 1024 * 1024;

/**
 * A JSON document of state, kept in memory and (unless in-memory) on disk as a snapshot
 * (`<name>.json`) and an append-only journal (`<name>.<first seq>.journal`). Every change goes
 * through `mutate`, in order. A change is made in place, through proxies that note its writes
 * (`ChangeTracker`), so it costs what it touches, not the size of the state; its writes become one
 * journal record (a checksummed JSON line), appended and fdatasynced before the change is
 * acknowledged. Changes that arrive while a record is being synced go out together in the next
 * append (group commit: one sync for many writers). Readers only ever see durable state: a batch is
 * undone while its records are written, and redone once they are synced. A change that throws
 * leaves nothing behind. After `kill -9` the snapshot plus the journal hold every acknowledged
 * change; a torn last record (a crash mid-append) was never acknowledged and is dropped.
 *
 * When the journal outgrows the snapshot (and `compactMinBytes`), a new snapshot is written, off
 * the request path: appends move to a new journal file at once, the snapshot is written atomically
 * in the background, and only then are the journal files it covers removed.
 *
 * A state file from before the journal (the bare state) loads as a snapshot with no journal.
 */
export class StateStore<T extends { version: number }> {
  readonly #tracker: ChangeTracker;
  readonly #file: string | null;
  readonly #options: StateStoreOptions;
  #journal: JournalAppender | null;
  #seq: number;
  #snapshotBytes: number;
  #waiting: Waiting[] = [];
  #draining: Promise<void> | null = null;
  #compacting: Promise<void> | null = null;

  private constructor(file: string | null, state: T, seq: number, snapshotBytes: number, journal: JournalAppender | null, options: StateStoreOptions) {
    this.#file = file;
    this.#tracker = new ChangeTracker(state as unknown as Record<string, unknown>);
    this.#seq = seq;
    this.#snapshotBytes = snapshotBytes;
    this.#journal = journal;
    this.#options = options;
  }

  /** Opens (or starts) the store; a snapshot or journal that cannot be read is an error naming the file and the fix. */
  static async open<T extends { version: number }>(file: string | null, initial: () => T, migrate?: (loaded: T) => T, options: StateStoreOptions = {}): Promise<StateStore<T>> {
    if (!file) return new StateStore(null, initial(), 0, 0, null, options);
    const dir = dirname(file);
    const name = basename(file, '.json');
    const journals = await listJournals(dir, name);
    const snapshot = await readSnapshot(file, initial);
    const state = snapshot ? (migrate ? migrate(snapshot.state) : snapshot.state) : initial();
    const snapshotSeq = snapshot?.journalSeq ?? 0;

    let seq = snapshotSeq;
    let last: { file: string; validBytes: number } | null = null;
    const covered: string[] = [];
    for (const journal of journals) {
      const { records, validBytes, totalBytes } = await readJournal(journal.file);
      if (validBytes < totalBytes) options.notice?.(`${journal.file}: dropped a torn last record (${totalBytes - validBytes} bytes, a crash while it was being written; it was never acknowledged)`);
      for (const record of records) {
        if (record.seq <= snapshotSeq) continue;
        if (record.seq !== seq + 1) {
          throw new Error(`${journal.file}: record ${record.seq} follows record ${seq}, so a change is missing; the state files were changed by something else. Move the state folder away to start with empty state`);
        }
        for (const op of record.ops) applyOp(state as unknown as Record<string, unknown>, op, `${journal.file}: record ${record.seq}`);
        seq = record.seq;
      }
      if (records.length > 0 && records[records.length - 1]!.seq <= snapshotSeq) covered.push(journal.file);
      else last = { file: journal.file, validBytes };
    }
    // Journal files the snapshot already holds: left by a compaction that stopped before removing them.
    await Promise.all(covered.map((f) => rm(f, { force: true })));
    let snapshotBytes = snapshot?.bytes ?? 0;
    if (!snapshot && journals.length === 0) {
      const text = JSON.stringify({ journalSeq: 0, state } satisfies Snapshot<T>);
      await atomicWrite(file, text, 0o600);
      snapshotBytes = text.length;
    }
    const journal = last ? new JournalAppender(last.file, last.validBytes) : new JournalAppender(join(dir, `${name}.${seq + 1}.journal`), 0);
    return new StateStore(file, state, seq, snapshotBytes, journal, options);
  }

  /** The current state. Treat it as read-only: change it only through mutate(). */
  get read(): Readonly<T> {
    return this.#tracker.root as unknown as T;
  }

  /**
   * Applies `change` to the state and persists it. If `change` throws, nothing changes. Resolves
   * once the change is durable (and visible); `change` must be synchronous.
   */
  mutate<R>(change: (draft: T) => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ change: change as (draft: never) => unknown, resolve: resolve as (r: unknown) => void, reject });
      this.#draining ??= this.#drain();
    });
  }

  /** Waits for every queued change. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /** Waits for every queued change and a running compaction, and closes the journal. */
  async close(): Promise<void> {
    await this.flush();
    await this.#compacting;
    await this.#journal?.close();
  }

  async #drain(): Promise<void> {
    await null; // start after mutate() returns, so #draining is set before it can be cleared
    try {
      while (this.#waiting.length > 0) await this.#runBatch(this.#waiting.splice(0));
    } finally {
      this.#draining = null;
    }
  }

  async #runBatch(batch: Waiting[]): Promise<void> {
    const done: { waiting: Waiting; result: unknown; applied: AppliedChange }[] = [];
    let records = '';
    let count = 0;
    for (const waiting of batch) {
      let run: { result: unknown; applied: AppliedChange };
      try {
        run = this.#tracker.run(waiting.change as (draft: Record<string, unknown>) => unknown);
      } catch (err) {
        waiting.reject(err);
        continue;
      }
      // A change that wrote nothing needs no record (it is still answered after the records before it are durable).
      if (this.#journal && run.applied.ops.length > 0) {
        try {
          records += encodeRecord({ seq: this.#seq + count + 1, ops: run.applied.ops });
          count++;
        } catch (err) {
          run.applied.undo();
          waiting.reject(err);
          continue;
        }
      }
      done.push({ waiting, ...run });
    }
    if (this.#journal && count > 0) {
      // Hidden while the records are written: readers see only what is durable.
      for (let i = done.length - 1; i >= 0; i--) done[i]!.applied.undo();
      try {
        await this.#journal.append(records);
      } catch (err) {
        for (const d of done) d.waiting.reject(err);
        return;
      }
      for (const d of done) d.applied.redo();
      this.#seq += count;
    }
    for (const d of done) d.waiting.resolve(d.result);
    if (this.#journal && !this.#compacting && this.#journal.bytes > Math.max(this.#options.compactMinBytes ?? DEFAULT_COMPACT_MIN_BYTES, this.#snapshotBytes)) this.#compact();
  }

  /**
   * Writes a snapshot of the state as of now (every record up to #seq) and moves appends to a new
   * journal file; the snapshot is written in the background, and the journal files it covers are
   * removed only once it is durable, so a crash at any point loses nothing acknowledged.
   */
  #compact(): void {
    const file = this.#file!;
    const seq = this.#seq;
    let text: string;
    try {
      text = JSON.stringify({ journalSeq: seq, state: this.read } satisfies Snapshot<Readonly<T>>);
    } catch (err) {
      this.#options.notice?.(`${file}: could not write a snapshot (${(err as Error).message}); the journal keeps every change`);
      return;
    }
    const previous = this.#journal!;
    this.#journal = new JournalAppender(join(dirname(file), `${basename(file, '.json')}.${seq + 1}.journal`), 0);
    this.#compacting = (async () => {
      await previous.close();
      await atomicWrite(file, text, 0o600);
      for (const j of await listJournals(dirname(file), basename(file, '.json'))) if (j.startSeq <= seq) await rm(j.file, { force: true });
      this.#snapshotBytes = text.length;
    })()
      .catch((err: Error) => this.#options.notice?.(`${file}: could not write a snapshot (${err.message}); the journal keeps every change, and the next compaction tries again`))
      .finally(() => (this.#compacting = null));
  }
}

/** The snapshot, a state file from before the journal (seq 0), or null when there is none. */
async function readSnapshot<T extends { version: number }>(file: string, initial: () => T): Promise<(Snapshot<T> & { bytes: number }) | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: the state file is not valid JSON (${(err as Error).message}); move it away to start with empty state`);
  }
  const wrapped = typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, 'journalSeq') ? (parsed as Snapshot<T>) : null;
  const loaded = (wrapped ? wrapped.state : parsed) as T;
  const journalSeq = wrapped ? wrapped.journalSeq : 0;
  const expected = initial().version;
  if (typeof loaded !== 'object' || loaded === null || loaded.version !== expected || !Number.isSafeInteger(journalSeq) || journalSeq < 0) {
    throw new Error(`${file}: unknown state format (version ${String((loaded as { version?: unknown } | null)?.version)}, expected ${expected}); move it away to start with empty state`);
  }
  return { journalSeq, state: loaded, bytes: text.length };
}
