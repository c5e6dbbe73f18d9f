/**
 * A Map that keeps at most `capacity` entries, dropping the oldest inserted first, so caches and
 * token tables stay bounded however long the lab runs.
 */
export class BoundedMap<K, V> {
  readonly #map = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  set(key: K, value: V): this {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.capacity) this.#map.delete(this.#map.keys().next().value as K);
    return this;
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }

  /** Oldest inserted first. */
  entries(): IterableIterator<[K, V]> {
    return this.#map.entries();
  }

  /** Drops entries for which `expired` says so (a sweep, run now and then). */
  sweep(expired: (value: V) => boolean): void {
    for (const [k, v] of this.#map) if (expired(v)) this.#map.delete(k);
  }
}
