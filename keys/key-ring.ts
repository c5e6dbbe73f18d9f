import type { JWK } from 'jose';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../shared/signing-algorithm.js';

export type KeyStatus = 'active' | 'published';

/** One signing key as kept on disk. The private JWK never leaves the key store but for signing. */
export interface StoredKey {
  kid: string;
  alg: SigningAlgorithm;
  created_at: string;
  status: KeyStatus;
  jwk: JWK;
}

/** `<data dir>/keys/<issuer>.json`: an issuer's keys, the active signer first. */
export interface KeyRing {
  version: 1;
  keys: StoredKey[];
}

/** A ring file that cannot be used. The message names the file and how to recover. */
export class KeyRingError extends Error {
  readonly code = 'ERR_KEY_RING_UNREADABLE';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(
      `${file}: cannot load the key ring (${reason}); fix the file, or move it away to start this issuer with new keys ` +
        '(tokens it signed before will no longer verify)',
    );
    this.name = 'KeyRingError';
  }
}

const KTY: Record<SigningAlgorithm, string> = { RS256: 'RSA', PS256: 'RSA', ES256: 'EC', EdDSA: 'OKP' };

/** Why a stored key is unusable, or undefined when it is fine. */
function keyProblem(k: unknown, i: number): string | undefined {
  if (k === null || typeof k !== 'object') return `keys[${i}] is not an object`;
  const key = k as Partial<StoredKey>;
  if (typeof key.kid !== 'string' || !key.kid) return `keys[${i}].kid is missing`;
  if (!SIGNING_ALGORITHMS.includes(key.alg as SigningAlgorithm)) return `keys[${i}].alg is not one of ${SIGNING_ALGORITHMS.join(', ')}`;
  if (key.status !== 'active' && key.status !== 'published') return `keys[${i}].status is not active or published`;
  if (typeof key.created_at !== 'string') return `keys[${i}].created_at is missing`;
  const jwk = key.jwk;
  if (jwk === null || typeof jwk !== 'object') return `keys[${i}].jwk is missing`;
  if (jwk.kty !== KTY[key.alg!]) return `keys[${i}].jwk.kty is not ${KTY[key.alg!]} as ${key.alg} needs`;
  if (typeof jwk.d !== 'string') return `keys[${i}].jwk has no private part (d)`;
  return undefined;
}

/** Parses and checks a ring file's text; throws a KeyRingError naming the file and the problem. */
export function parseKeyRing(text: string, file: string): KeyRing {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new KeyRingError(file, `not valid JSON: ${(err as Error).message}`);
  }
  const ring = parsed as Partial<KeyRing> | null;
  if (ring === null || typeof ring !== 'object' || ring.version !== 1 || !Array.isArray(ring.keys)) {
    throw new KeyRingError(file, 'unknown key ring format: expected { "version": 1, "keys": [...] }');
  }
  for (const [i, k] of ring.keys.entries()) {
    const problem = keyProblem(k, i);
    if (problem) throw new KeyRingError(file, problem);
  }
  return ring as KeyRing;
}
