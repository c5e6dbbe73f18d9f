import { link, readFile, rename, rm } from 'node:fs/promises';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createExclusive } from '../../keys/create-exclusive.js';
import type { Clock } from '../../shared/clock.js';

/** The lock file's name in a data dir. */
export const LOCK_FILE = 'lab.lock';

/** Another live lab holds the data dir. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    message: string,
  ) {
    super(message);
    this.name = 'DataDirLockedError';
  }
}

interface Holder {
  pid: number;
  startedAt: string;
}

function parseHolder(text: string): Holder | null {
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    return Number.isSafeInteger(parsed.pid) && parsed.pid! > 0 ? { pid: parsed.pid!, startedAt: String(parsed.startedAt) } : null;
  } catch {
    return null;
  }
}

/** `kill(pid, 0)` sends nothing: ESRCH means no such process; EPERM, one that belongs to someone else. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds, removed on exit if close() never ran. */
const held = new Map<string, string>();
let exitHookInstalled = false;

function releaseSync(file: string, content: string): void {
  try {
    if (readFileSync(file, 'utf8') === content) rmSync(file, { force: true });
  } catch {
    // Gone already, or unreadable: nothing of ours to remove.
  }
}

/**
 * One lab per data dir: two labs writing the same state files would each overwrite the other's
 * changes. The lock is `<data dir>/lab.lock`, created exclusively (written in full before it
 * appears) with the holder's pid and start time. A second lab finds it and refuses to start, naming
 * the holder; a lock whose holder is no longer running (a crash, `kill -9`) is stale and taken over,
 * with a notice. Released by release() (the lab's close(), which `tti-lab serve` runs on SIGINT and
 * SIGTERM), and on a normal process exit.
 */
export class DataDirLock {
  private constructor(
    readonly file: string,
    private readonly content: string,
  ) {}

  static async acquire(dataDir: string, clock: Clock, notice: (message: string) => void): Promise<DataDirLock> {
    const file = join(dataDir, LOCK_FILE);
    const content = `${JSON.stringify({ pid: process.pid, startedAt: new Date(clock.now()).toISOString(), token: randomBytes(8).toString('hex') })}\n`;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await createExclusive(file, content, 0o600)) {
        held.set(file, content);
        if (!exitHookInstalled) {
          exitHookInstalled = true;
          process.on('exit', () => held.forEach((c, f) => releaseSync(f, c)));
        }
        return new DataDirLock(file, content);
      }
      const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      });
      if (text === null) continue; // released in between: try again
      const holder = parseHolder(text);
      if (holder && isAlive(holder.pid)) {
        const who = holder.pid === process.pid ? `another lab in this process (pid ${holder.pid})` : `another lab (pid ${holder.pid}, started ${holder.startedAt})`;
        throw new DataDirLockedError(
          dataDir,
          holder.pid,
          `the data dir ${dataDir} is in use by ${who}; two labs on one data dir would overwrite each other's changes. Stop that lab, or give this one another --data-dir (or --in-memory). If no lab runs there, remove ${file}`,
        );
      }
      // Stale: move it aside and check that what was moved is what was judged stale (a lab that
      // took it over meanwhile gets its lock back), then remove it and try again.
      const aside = join(dataDir, `.${LOCK_FILE}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await rename(file, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      if ((await readFile(aside, 'utf8')) !== text) {
        await link(aside, file).catch(() => undefined);
        await rm(aside, { force: true });
        continue;
      }
      await rm(aside, { force: true });
      notice(
        holder
          ? `took over the lock of ${dataDir}: its holder, pid ${holder.pid} (started ${holder.startedAt}), is no longer running`
          : `took over the lock of ${dataDir}: ${file} did not name a holder`,
      );
    }
    throw new Error(`could not lock ${dataDir}: ${file} kept changing (several labs starting on it at once?); try again`);
  }

  /** Removes the lock file, if it is still this lab's. */
  async release(): Promise<void> {
    if (!held.delete(this.file)) return;
    const text = await readFile(this.file, 'utf8').catch(() => null);
    if (text === this.content) await rm(this.file, { force: true });
  }
}
