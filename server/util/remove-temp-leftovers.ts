import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_FILE_NAME } from '../../shared/atomic-write.js';
import { listDir } from './list-dir.js';

/**
 * Removes the temporary files a process killed mid-write (`kill -9`, a crash) left in `dir`: only
 * names of the lab's own pattern (`TEMP_FILE_NAME`), nothing else. Call it only while holding the
 * data dir's lock, so no live writer's temporary file is removed. Returns the names removed; a
 * missing folder has none.
 */
export async function removeTempLeftovers(dir: string): Promise<string[]> {
  const names = await listDir(dir);
  const leftovers = names.filter((name) => TEMP_FILE_NAME.test(name)).sort();
  await Promise.all(leftovers.map((name) => rm(join(dir, name), { force: true })));
  return leftovers;
}
