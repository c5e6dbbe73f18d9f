import { readFile } from 'node:fs/promises';
import { atomicWrite } from '../shared/atomic-write.js';

/**
 * The state store as it was before the journal, kept only so `npm run bench:state` can measure it
 * beside the journal (server/state/state-store.ts). Not used by the lab.
 *
 * A JSON document of state, kept in memory and (unless in-memory) in one file. Every change goes
 * through `mutate`, one at a time: the change is made on a copy, written atomically and fsynced,
 * and only then becomes visible and is acknowledged. So after `kill -9` the file holds every
 * acknowledged change, and a failed change (a thrown validation error) leaves nothing behind.
 */
export class FullRewriteStateStore<T extends { version: number }> {
  #state: T;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string | null,
    initial: T,
  ) {
    this.#state = initial;
  }

  /** Opens (or starts) the store; a file that cannot be parsed is an error naming the file. */
  static async open<T extends { version: number }>(file: string | null, initial: () => T, migrate?: (loaded: T) => T): Promise<FullRewriteStateStore<T>> {
    if (!file) return new FullRewriteStateStore(null, initial());
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new FullRewriteStateStore(file, initial());
      throw err;
    }
    let loaded: T;
    try {
      loaded = JSON.parse(text) as T;
    } catch (err) {
      throw new Error(`${file}: the state file is not valid JSON (${(err as Error).message}); move it away to start with empty state`);
    }
    const fresh = initial();
    if (typeof loaded !== 'object' || loaded === null || loaded.version !== fresh.version) {
      throw new Error(`${file}: unknown state format (version ${String((loaded as { version?: unknown })?.version)}, expected ${fresh.version}); move it away to start with empty state`);
    }
    return new FullRewriteStateStore(file, migrate ? migrate(loaded) : loaded);
  }

  /** The current state. Treat it as read-only: change it only through mutate(). */
  get read(): Readonly<T> {
    return this.#state;
  }

  /**
   * Applies `change` to a copy of the state and persists it. If `change` throws, nothing changes.
   * Resolves once the new state is durable.
   */
  mutate<R>(change: (draft: T) => R): Promise<R> {
    const run = this.#queue.then(async () => {
      const draft = structuredClone(this.#state);
      const result = change(draft);
      if (this.file) await atomicWrite(this.file, JSON.stringify(draft), 0o600);
      this.#state = draft;
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for every queued change. */
  async flush(): Promise<void> {
    await this.#queue;
  }

  /** As StateStore.close(): nothing to close here. */
  async close(): Promise<void> {
    await this.#queue;
  }
}
