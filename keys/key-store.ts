import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Clock } from '../server/clock/clock.js';
import { atomicWrite } from '../server/util/atomic-write.js';
import { publicJwk } from './public-jwk.js';
import type { SigningAlgorithm } from '../server/config/lab-config.js';

export type KeyStatus = 'active' | 'published';

/** One signing key as kept on disk. The private JWK never leaves this module but for signing. */
interface StoredKey {
  kid: string;
  alg: SigningAlgorithm;
  created_at: string;
  status: KeyStatus;
  jwk: JWK;
}

interface KeyRing {
  version: 1;
  keys: StoredKey[];
}

/** What callers may see of a key. */
export interface KeySummary {
  kid: string;
  alg: SigningAlgorithm;
  createdAt: string;
  status: KeyStatus;
}

export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  key: CryptoKey | Uint8Array;
}

export class KeyStoreError extends Error {
  constructor(
    readonly code: 'ERR_KEY_NOT_FOUND' | 'ERR_KEY_ACTIVE',
    message: string,
  ) {
    super(message);
    this.name = 'KeyStoreError';
  }
}

export interface KeyStoreOptions {
  /** Folder for key rings (`<data dir>/keys`); null keeps keys in memory only. */
  dir: string | null;
  clock: Clock;
}

const summary = (k: StoredKey): KeySummary => ({ kid: k.kid, alg: k.alg, createdAt: k.created_at, status: k.status });

/** A fresh key pair for `alg`, with kid = its RFC 7638 thumbprint. */
export async function generateSigningJwk(alg: SigningAlgorithm): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { ...jwk, kid, alg, use: 'sig' };
}

/**
 * Signing keys per issuer, generated on first use and kept in `<dir>/<issuer>.json` (mode 0600,
 * written atomically). Rotation makes a new key the signer and keeps the old one published until it
 * is retired. Writes to one issuer's ring are serialised so concurrent first use makes one key.
 */
export class KeyStore {
  readonly #dir: string | null;
  readonly #clock: Clock;
  readonly #rings = new Map<string, KeyRing>();
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #imported = new Map<string, CryptoKey | Uint8Array>();
  readonly #listeners = new Set<(issuer: string) => void>();

  constructor(opts: KeyStoreOptions) {
    this.#dir = opts.dir;
    this.#clock = opts.clock;
  }

  /** Called after a ring changes (rotation, retirement, first key), e.g. to rebuild a provider. */
  onChange(listener: (issuer: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The active key, generating one (of `alg`) if the issuer has none or its signer uses another alg. */
  async signingKey(issuer: string, alg: SigningAlgorithm): Promise<SigningKey> {
    const active = await this.#withRing(issuer, async (ring) => {
      const current = ring.keys.find((k) => k.status === 'active');
      if (current && current.alg === alg) return { ring, changed: false, result: current };
      const created = await this.#newKey(alg);
      for (const k of ring.keys) k.status = 'published';
      ring.keys.unshift(created);
      return { ring, changed: true, result: created };
    });
    return { kid: active.kid, alg: active.alg, key: await this.#import(active) };
  }

  /** Every published key with private members, active first: for an in-process OIDC provider only. */
  async privateJwks(issuer: string, alg: SigningAlgorithm): Promise<JWK[]> {
    await this.signingKey(issuer, alg);
    const ring = await this.#ring(issuer);
    return ring.keys.map((k) => structuredClone(k.jwk));
  }

  /** The issuer's JWKS: public members only, active key first. */
  async publicJwks(issuer: string, alg: SigningAlgorithm): Promise<{ keys: JWK[] }> {
    await this.signingKey(issuer, alg);
    const ring = await this.#ring(issuer);
    return { keys: ring.keys.map((k) => publicJwk(k.jwk)) };
  }

  async list(issuer: string): Promise<KeySummary[]> {
    return (await this.#ring(issuer)).keys.map(summary);
  }

  /** A new active key; the previous ones stay published. */
  async rotate(issuer: string, alg: SigningAlgorithm): Promise<KeySummary> {
    const created = await this.#withRing(issuer, async (ring) => {
      const key = await this.#newKey(alg);
      for (const k of ring.keys) k.status = 'published';
      ring.keys.unshift(key);
      return { ring, changed: true, result: key };
    });
    return summary(created);
  }

  /** Removes a published key for good. The active key cannot be retired: rotate first. */
  async retire(issuer: string, kid: string): Promise<KeySummary> {
    const removed = await this.#withRing(issuer, async (ring) => {
      const key = ring.keys.find((k) => k.kid === kid);
      if (!key) throw new KeyStoreError('ERR_KEY_NOT_FOUND', `issuer "${issuer}" has no key "${kid}"`);
      if (key.status === 'active') {
        throw new KeyStoreError('ERR_KEY_ACTIVE', `key "${kid}" is issuer "${issuer}"'s signer; rotate before retiring it`);
      }
      ring.keys = ring.keys.filter((k) => k !== key);
      return { ring, changed: true, result: key };
    });
    this.#imported.delete(removed.kid);
    return summary(removed);
  }

  async #newKey(alg: SigningAlgorithm): Promise<StoredKey> {
    const jwk = await generateSigningJwk(alg);
    return { kid: jwk.kid, alg, created_at: new Date(this.#clock.now()).toISOString(), status: 'active', jwk };
  }

  async #import(k: StoredKey): Promise<CryptoKey | Uint8Array> {
    let key = this.#imported.get(k.kid);
    if (!key) {
      key = await importJWK(k.jwk, k.alg);
      this.#imported.set(k.kid, key);
    }
    return key;
  }

  #file(issuer: string): string | null {
    return this.#dir ? join(this.#dir, `${issuer}.json`) : null;
  }

  async #ring(issuer: string): Promise<KeyRing> {
    let ring = this.#rings.get(issuer);
    if (ring) return ring;
    ring = { version: 1, keys: [] };
    const file = this.#file(issuer);
    if (file) {
      try {
        const parsed = JSON.parse(await readFile(file, 'utf8')) as KeyRing;
        if (parsed.version !== 1 || !Array.isArray(parsed.keys)) throw new Error('unknown key ring format');
        ring = parsed;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new Error(`${file}: cannot load the key ring (${(err as Error).message}); move the file away to start with new keys`);
        }
      }
    }
    this.#rings.set(issuer, ring);
    return ring;
  }

  async #withRing<T>(
    issuer: string,
    fn: (ring: KeyRing) => Promise<{ ring: KeyRing; changed: boolean; result: T }>,
  ): Promise<T> {
    const previous = this.#locks.get(issuer) ?? Promise.resolve();
    const run = previous.then(async () => {
      const ring = await this.#ring(issuer);
      const draft: KeyRing = structuredClone(ring);
      const { changed, result } = await fn(draft);
      if (changed) {
        const file = this.#file(issuer);
        if (file) {
          await mkdir(this.#dir!, { recursive: true, mode: 0o700 });
          await atomicWrite(file, `${JSON.stringify(draft, null, 2)}\n`, 0o600);
        }
        this.#rings.set(issuer, draft);
        for (const l of this.#listeners) l(issuer);
      }
      return result;
    });
    this.#locks.set(issuer, run.catch(() => undefined));
    return run;
  }
}
