import * as crypto from 'node:crypto';

/** node:crypto's one-shot hash (Node ≥ 20.12): no Hash object, so nothing for the GC to finalise. */
const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;

/** The SHA-256 of `data` (a string is hashed as UTF-8) as hex or base64url. */
export function sha256(data: string | Buffer, encoding: 'hex' | 'base64url'): string {
  return oneShot ? oneShot('sha256', data, encoding) : crypto.createHash('sha256').update(data).digest(encoding);
}
