import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { atomicWrite } from '../shared/atomic-write.js';

/**
 * A 32-byte secret kept in one file (mode 0600), made on first use; or a fresh one in memory when
 * `file` is null. A file of the wrong size is an error naming the file and the fix.
 */
export async function loadSecret(file: string | null): Promise<Buffer> {
  if (!file) return randomBytes(32);
  try {
    const secret = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
    if (secret.length !== 32) throw new Error(`${file}: expected a 32-byte secret (base64url); delete the file to make a new one`);
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32);
  await atomicWrite(file, `${secret.toString('base64url')}\n`, 0o600);
  return secret;
}
