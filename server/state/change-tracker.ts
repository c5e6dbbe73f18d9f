/**
 * One write in a change, as the journal keeps it: the path from the state's root and the new value,
 * or the path alone for a removal. Arrays are written whole.
 */
export type ChangeOp = [path: string[], value: unknown] | [path: string[]];

type Obj = Record<string, unknown>;

/** What one change touched, so it can be undone (nothing visible) and redone (once durable). */
interface Touched {
  node: Node;
  /** Objects: the first value of each key written (`had` false: it was absent). */
  keys?: Map<string, { had: boolean; old: unknown; has?: boolean; now?: unknown }>;
  /** Arrays: the contents before, and after. */
  before?: unknown[];
  after?: unknown[];
  /** Objects a change removed a key from: the key order before, so a change that throws can put it back exactly. */
  order?: string[];
}

/** A change made in place: its writes, and how to take it back or put it again. */
export interface AppliedChange {
  ops: ChangeOp[];
  undo(): void;
  redo(): void;
}

/** Every draft proxy of every store, to the object behind it. */
const draftTargets = new WeakMap<object, object>();

/**
 * The object behind a draft object (itself if it is none), to read a large part of the state inside
 * a change without a proxy's cost per property (a uniqueness scan over every user). Read only: a
 * write through it would not be journalled, nor undone.
 */
export function readOnlyView<V>(value: V): V {
  return (typeof value === 'object' && value !== null ? (draftTargets.get(value) as V | undefined) : undefined) ?? value;
}

/** A proxy's handler for one object of the state, with the path it was last reached by. */
class Node implements ProxyHandler<Obj> {
  readonly proxy: Obj;
  constructor(
    private readonly tracker: ChangeTracker,
    readonly target: Obj,
    public parent: Node | null,
    public key: string,
  ) {
    this.proxy = new Proxy(target, this);
  }

  get(target: Obj, key: string | symbol): unknown {
    const value = Reflect.get(target, key);
    return typeof key === 'string' && typeof value === 'object' && value !== null ? this.tracker.nodeFor(value as Obj, this, key).proxy : value;
  }

  set(target: Obj, key: string | symbol, value: unknown): boolean {
    this.tracker.touch(this, key);
    return Reflect.set(target, key, this.tracker.unwrap(value));
  }

  deleteProperty(target: Obj, key: string | symbol): boolean {
    this.tracker.touch(this, key, true);
    return Reflect.deleteProperty(target, key);
  }

  defineProperty(target: Obj, key: string | symbol, descriptor: PropertyDescriptor): boolean {
    this.tracker.touch(this, key);
    if (!('value' in descriptor)) throw new TypeError('the state holds data only: no getters or setters');
    return Reflect.defineProperty(target, key, { ...descriptor, value: this.tracker.unwrap(descriptor.value) });
  }

  /** The keys from the root to this object, or null when it is no longer reached that way (removed or replaced). */
  path(root: Obj): string[] | null {
    const keys: string[] = [];
    for (let n: Node | null = this; n.parent; n = n.parent) keys.push(n.key);
    keys.reverse();
    let at: unknown = root;
    for (const key of keys) {
      if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return null;
      at = (at as Obj)[key];
    }
    return at === this.target ? keys : null;
  }
}

/**
 * Runs a change on the live state in place, through proxies that note every write, so it costs what
 * it touches (not the size of the state, as a copy would) and yields the list of writes a journal
 * needs. A change that throws is undone at once. Every change may also be undone and redone later:
 * the store undoes a batch while its journal record is written, so readers only ever see durable
 * state, and redoes it once the record is synced. Writes outside run() throw.
 */
export class ChangeTracker {
  /** One node (and proxy) per object ever reached inside a change, so a draft object is the same proxy every time. */
  readonly #nodes = new WeakMap<object, Node>();
  readonly #root: Node;
  #touched: Map<object, Touched> | null = null;

  constructor(readonly root: Obj) {
    this.#root = this.nodeFor(root, null, '');
  }

  /** @internal The node of `target`, reached from `parent` by `key`. */
  nodeFor(target: Obj, parent: Node | null, key: string): Node {
    let node = this.#nodes.get(target);
    if (!node) {
      node = new Node(this, target, parent, key);
      this.#nodes.set(target, node);
      draftTargets.set(node.proxy, target);
    } else {
      node.parent = parent;
      node.key = key;
    }
    return node;
  }

  /** @internal Notes the first write of `key` of `node`'s object in the running change. */
  touch(node: Node, key: string | symbol, removing = false): void {
    const touched = this.#touched;
    if (!touched) throw new Error('the state was changed outside StateStore.mutate(); make the change inside it');
    if (typeof key !== 'string') throw new TypeError('the state holds data only: keys are strings');
    const target = node.target;
    let entry = touched.get(target);
    if (!entry) {
      entry = Array.isArray(target) ? { node, before: target.slice() } : { node, keys: new Map() };
      touched.set(target, entry);
    }
    if (entry.keys && !entry.keys.has(key)) entry.keys.set(key, { had: Object.hasOwn(target, key), old: target[key] });
    if (removing && entry.keys && !entry.order && Object.hasOwn(target, key)) entry.order = Object.keys(target);
  }

  /**
   * A value about to be stored, with every draft proxy in it replaced by the object behind it (a
   * new object holding proxies — an array made by filter() on a draft array — is fixed in place).
   */
  unwrap<V>(value: V): V {
    if (typeof value !== 'object' || value === null) return value;
    const target = draftTargets.get(value);
    if (target) return target as V;
    for (const key of Object.keys(value)) {
      const inner = (value as Obj)[key];
      if (typeof inner === 'object' && inner !== null) {
        const plain = this.unwrap(inner);
        if (plain !== inner) (value as Obj)[key] = plain;
      }
    }
    return value;
  }

  /** Runs `change` on the draft; a throw undoes what it did and is passed on. */
  run<R>(change: (draft: Obj) => R): { result: R; applied: AppliedChange } {
    if (this.#touched) throw new Error('StateStore.mutate() was called inside another change; nest no changes');
    const touched = new Map<object, Touched>();
    this.#touched = touched;
    let result: R;
    try {
      result = this.unwrap(change(this.#root.proxy));
    } catch (err) {
      this.#touched = null;
      undo(touched, true);
      throw err;
    }
    this.#touched = null;
    const ops: ChangeOp[] = [];
    for (const entry of touched.values()) {
      const path = entry.node.path(this.root);
      if (entry.before) {
        entry.after = (entry.node.target as unknown as unknown[]).slice();
        if (path) ops.push([path, entry.node.target]);
        continue;
      }
      for (const [key, slot] of entry.keys!) {
        slot.has = Object.hasOwn(entry.node.target, key);
        slot.now = entry.node.target[key];
        // JSON has no undefined: a key set to it is absent once written, as in a whole-file write.
        if (path) ops.push(slot.has && slot.now !== undefined ? [[...path, key], slot.now] : [[...path, key]]);
      }
    }
    return { result, applied: { ops, undo: () => undo(touched), redo: () => redo(touched) } };
  }
}

function refill(array: unknown[], contents: unknown[]): void {
  array.length = 0;
  for (const item of contents) array.push(item);
}

/**
 * Puts back what a change wrote. A key it removed comes back last in its object; with `exactOrder`
 * (a change that threw, and stays undone) the object's key order is rebuilt as it was.
 */
function undo(touched: Map<object, Touched>, exactOrder = false): void {
  for (const entry of touched.values()) {
    const target = entry.node.target;
    if (entry.before) {
      refill(target as unknown as unknown[], entry.before);
      continue;
    }
    for (const [key, slot] of entry.keys!) if (slot.had) target[key] = slot.old;
    else delete target[key];
    if (exactOrder && entry.order) {
      const values = entry.order.map((key) => target[key]);
      for (const key of entry.order) delete target[key];
      entry.order.forEach((key, i) => (target[key] = values[i]));
    }
  }
}

function redo(touched: Map<object, Touched>): void {
  for (const entry of touched.values()) {
    const target = entry.node.target;
    if (entry.after) refill(target as unknown as unknown[], entry.after);
    else for (const [key, slot] of entry.keys!) if (slot.has) target[key] = slot.now;
    else delete target[key];
  }
}
