import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { systemClock, type Clock } from '../../../shared/clock.js';

/** Default bound on stored entries per issuer: plenty for a lab, and a long soak cannot grow it without end. */
export const DEFAULT_MAX_ENTRIES = 10_000;

export interface MemoryAdapterStoreOptions {
  /** Entries kept before the oldest are evicted. Default {@link DEFAULT_MAX_ENTRIES}. */
  maxEntries?: number;
  /**
   * Decides when an entry has expired. Default: the system clock, which is what oidc-provider itself
   * compares `exp` with — a lab's fixed clock here would keep entries the provider already treats as
   * expired. Tests of this store pass a fixed clock.
   */
  clock?: Clock;
}

interface Entry {
  /** The model the entry belongs to (`Session`, `AccessToken` …). */
  model: string;
  id: string;
  payload: AdapterPayload;
  /** Epoch milliseconds; undefined never expires. */
  expiresAt: number | undefined;
}

const keyOf = (model: string, id: string) => `${model}:${id}`;

/**
 * Everything one issuer's oidc-provider keeps (sessions, interactions, grants, codes, tokens), in
 * memory, and only for that issuer: each issuer owns one store, so two issuers never see each other's
 * state, and the store outlives provider rebuilds (key rotation) so sessions and tokens survive them.
 *
 * It implements the whole adapter contract of oidc-provider: `upsert` honours `expiresIn` (seconds),
 * `find*` never return an expired entry, `consume` stamps `consumed`, `revokeByGrantId` removes every
 * token of a grant, and `findByUid` / `findByUserCode` use secondary indexes that are kept in step
 * with the entries. The store is bounded: past `maxEntries`, the least recently written entry goes.
 */
export class MemoryAdapterStore {
  readonly maxEntries: number;
  readonly #clock: Clock;
  /** Insertion order is write order: the first entry is the oldest. */
  readonly #entries = new Map<string, Entry>();
  readonly #byUid = new Map<string, string>();
  readonly #byUserCode = new Map<string, string>();
  readonly #byGrant = new Map<string, Set<string>>();

  constructor(opts: MemoryAdapterStoreOptions = {}) {
    const max = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxEntries: expected a whole number ≥ 1, got ${max}`);
    this.maxEntries = max;
    this.#clock = opts.clock ?? systemClock;
  }

  /** The `adapter` option of oidc-provider: one adapter per model, all backed by this store. */
  readonly adapter: AdapterFactory = (model: string) => new ModelAdapter(model, this);

  /** Entries held now, expired ones included until they are next looked at or evicted. */
  get size(): number {
    return this.#entries.size;
  }

  upsert(model: string, id: string, payload: AdapterPayload, expiresIn?: number): void {
    const key = keyOf(model, id);
    this.#remove(key);
    const expiresAt = typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? this.#clock.now() + expiresIn * 1000 : undefined;
    const entry: Entry = { model, id, payload: structuredClone(payload), expiresAt };
    this.#entries.set(key, entry);
    this.#index(key, entry);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#remove(oldest);
    }
  }

  find(model: string, id: string): AdapterPayload | undefined {
    const entry = this.#live(keyOf(model, id));
    return entry && structuredClone(entry.payload);
  }

  findByUid(model: string, uid: string): AdapterPayload | undefined {
    const key = this.#byUid.get(uid);
    const entry = key === undefined ? undefined : this.#live(key);
    return entry && entry.model === model ? structuredClone(entry.payload) : undefined;
  }

  findByUserCode(model: string, userCode: string): AdapterPayload | undefined {
    const key = this.#byUserCode.get(userCode);
    const entry = key === undefined ? undefined : this.#live(key);
    return entry && entry.model === model ? structuredClone(entry.payload) : undefined;
  }

  /** Marks a code or token as used (`consumed` = epoch seconds), as oidc-provider's reuse detection reads it. */
  consume(model: string, id: string): void {
    const entry = this.#live(keyOf(model, id));
    if (entry) entry.payload.consumed = Math.floor(this.#clock.now() / 1000);
  }

  destroy(model: string, id: string): void {
    this.#remove(keyOf(model, id));
  }

  /** Removes every code and token issued under the grant (whatever their model). */
  revokeByGrantId(grantId: string): void {
    for (const key of [...(this.#byGrant.get(grantId) ?? [])]) this.#remove(key);
    this.#byGrant.delete(grantId);
  }

  /** The entry under `key` unless it has expired; an expired entry is removed on the way. */
  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.#clock.now()) {
      this.#remove(key);
      return undefined;
    }
    return entry;
  }

  #index(key: string, entry: Entry): void {
    const { uid, userCode, grantId } = entry.payload;
    if (entry.model === 'Session' && typeof uid === 'string') this.#byUid.set(uid, key);
    if (typeof userCode === 'string') this.#byUserCode.set(userCode, key);
    // A Grant's own id is its jti, not a grantId member: only what was issued under a grant is indexed.
    if (typeof grantId === 'string') {
      let members = this.#byGrant.get(grantId);
      if (!members) this.#byGrant.set(grantId, (members = new Set()));
      members.add(key);
    }
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    const { uid, userCode, grantId } = entry.payload;
    if (typeof uid === 'string' && this.#byUid.get(uid) === key) this.#byUid.delete(uid);
    if (typeof userCode === 'string' && this.#byUserCode.get(userCode) === key) this.#byUserCode.delete(userCode);
    if (typeof grantId === 'string') {
      const members = this.#byGrant.get(grantId);
      members?.delete(key);
      if (members?.size === 0) this.#byGrant.delete(grantId);
    }
  }
}

/** The adapter oidc-provider instantiates per model; a thin view of the issuer's store. */
class ModelAdapter implements Adapter {
  constructor(
    readonly model: string,
    private readonly store: MemoryAdapterStore,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.store.upsert(this.model, id, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.store.find(this.model, id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.store.findByUid(this.model, uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.store.findByUserCode(this.model, userCode);
  }

  async consume(id: string): Promise<void> {
    this.store.consume(this.model, id);
  }

  async destroy(id: string): Promise<void> {
    this.store.destroy(this.model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeByGrantId(grantId);
  }
}
