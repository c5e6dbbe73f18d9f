import { randomFillSync } from 'node:crypto';

/** Random bytes are read from the CSPRNG a pool at a time, as node:crypto's randomUUID does; each byte is handed out once. */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** `bytes` (at most 4096) fresh random bytes from node:crypto's CSPRNG, as base64url: for opaque tokens, codes and secrets. */
export function randomBase64url(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > POOL_SIZE) throw new RangeError(`randomBase64url: 1 to ${POOL_SIZE} bytes, not ${bytes}`);
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.toString('base64url', offset, offset + bytes);
  offset += bytes;
  return out;
}
