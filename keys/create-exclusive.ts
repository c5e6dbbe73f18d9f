import { link, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir, writeSyncedTemp } from '../shared/atomic-write.js';

/**
 * Creates `path` with `data` only if it does not exist yet, atomically: the data is written and
 * synced to a temporary sibling, which is then hard-linked to `path` (link fails if `path` exists,
 * so of two processes racing, exactly one wins). Readers never see a half-written file.
 * Returns false when the file already existed.
 */
export async function createExclusive(path: string, data: string, mode = 0o600): Promise<boolean> {
  const tmp = await writeSyncedTemp(path, data, mode);
  try {
    await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
  await syncDir(dirname(path));
  return true;
}
