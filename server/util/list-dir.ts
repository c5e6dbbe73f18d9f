import { readdir } from 'node:fs/promises';

/** The names in `dir`; a folder that does not exist (yet) has none. Other errors are thrown. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
