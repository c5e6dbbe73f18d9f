import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Clock } from '../shared/clock.js';
import { atomicWrite } from '../shared/atomic-write.js';
import { publicJwk } from './public-jwk.js';
import { createExclusive } from './create-exclusive.js';
import { KeyRingError, parseKeyRing, type KeyRing, type KeyStatus, type StoredKey } from './key-ring.js';
import type { SigningAlgorithm } from '../shared/signing-algorithm.js';

export type { KeyStatus } from './key-ring.js';
export { KeyRingError } from './key-ring.js';

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
 * Signing keys per issuer, generated on first use and kept in `<dir>/<issuer>.json` (mode 0600, in a
 * folder of mode 0700, written atomically). Rotation makes a new key the signer and keeps the old one
 * published until it is retired. Changes to one issuer's ring are serialised, so concurrent first use
 * makes one key; the first ring file is created exclusively, so two processes starting on the same
 * data dir (a lab and `mint --offline`) also end up with one key. With no folder, nothing is written.
 */
export class KeyStore {
  readonly #dir: string | null;
  readonly #clock: Clock;
  /** Rings loaded (or being loaded) from disk; one read per issuer, however many callers ask at once. */
  readonly #rings = new Map<string, Promise<KeyRing>>();
  /** The same rings once loaded, for the lock-free read of the signer on every mint and JWKS request. */
  readonly #loaded = new Map<string, KeyRing>();
  /** Issuers whose ring file exists: later writes replace it; the first one must not. */
  readonly #onDisk = new Set<string>();
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
    const loaded = this.#loaded.get(issuer)?.keys.find((k) => k.status === 'active');
    if (loaded && loaded.alg === alg) return { kid: loaded.kid, alg, key: await this.#import(loaded) };
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

  #ring(issuer: string): Promise<KeyRing> {
    const cached = this.#rings.get(issuer);
    if (cached) return cached;
    const loading = this.#load(issuer);
    this.#rings.set(issuer, loading);
    loading.then(
      (ring) => {
        if (this.#rings.get(issuer) === loading) this.#loaded.set(issuer, ring);
      },
      () => {
        // A ring that failed to load is read again next time (the user may have fixed the file).
        if (this.#rings.get(issuer) === loading) this.#rings.delete(issuer);
      },
    );
    return loading;
  }

  async #load(issuer: string): Promise<KeyRing> {
    const file = this.#file(issuer);
    if (!file) return { version: 1, keys: [] };
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: [] };
      throw new KeyRingError(file, (err as Error).message);
    }
    const ring = parseKeyRing(text, file);
    this.#onDisk.add(issuer);
    return ring;
  }

  async #withRing<T>(
    issuer: string,
    fn: (ring: KeyRing) => Promise<{ ring: KeyRing; changed: boolean; result: T }>,
  ): Promise<T> {
    const previous = this.#locks.get(issuer) ?? Promise.resolve();
    const run = previous.then(async () => {
      for (;;) {
        const draft: KeyRing = structuredClone(await this.#ring(issuer));
        const { changed, result } = await fn(draft);
        if (!changed) return result;
        if (!(await this.#persist(issuer, draft))) {
          // Another process created this issuer's ring first: start again from its keys.
          this.#rings.delete(issuer);
          this.#loaded.delete(issuer);
          continue;
        }
        this.#rings.set(issuer, Promise.resolve(draft));
        this.#loaded.set(issuer, draft);
        for (const l of this.#listeners) l(issuer);
        return result;
      }
    });
    this.#locks.set(issuer, run.catch(() => undefined));
    return run;
  }

  /** Writes the ring; false when the file was to be created but another process created it first. */
  async #persist(issuer: string, ring: KeyRing): Promise<boolean> {
    const file = this.#file(issuer);
    if (!file) return true;
    const text = `${JSON.stringify(ring, null, 2)}\n`;
    await mkdir(this.#dir!, { recursive: true, mode: 0o700 });
    if (this.#onDisk.has(issuer)) {
      await atomicWrite(file, text, 0o600);
      return true;
    }
    if (!(await createExclusive(file, text, 0o600))) return false;
    this.#onDisk.add(issuer);
    return true;
  }
}
