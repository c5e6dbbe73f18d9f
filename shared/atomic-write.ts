import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The name of every temporary file writeSyncedTemp makes (`.<name>.<12 hex digits>.tmp`), so that
 * leftovers of a process killed mid-write can be told from anything else and removed at start.
 */
export const TEMP_FILE_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** Writes `data` to a new temporary sibling of `path` (`.<name>.<random>.tmp`, created exclusively) and fsyncs it; returns its path. */
export async function writeSyncedTemp(path: string, data: string | Uint8Array, mode: number): Promise<string> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

/** Fsyncs a folder, so a rename or link made in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a file so that a reader (or a restart after `kill -9`) sees either the old content or the
 * new, never half of it: write a temporary sibling, fsync it, rename it over the target, fsync the
 * folder. Resolves only once the data is durable, so an acknowledged change is never lost.
 */
export async function atomicWrite(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = await writeSyncedTemp(path, data, mode);
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dirname(path));
}
