/**
 * A small validator for YAML configuration. Each check knows the path it is looking at and what it
 * expected, so an error reads `lab.yaml: issuers[0].clients[1].redirect_uris: expected a list of URLs`.
 * It collects every problem in one pass, so a user fixes their file once, not error by error.
 */

export interface Issue {
  path: string;
  message: string;
}

export class Context {
  readonly issues: Issue[] = [];
  fail(path: string, message: string): void {
    this.issues.push({ path, message });
  }
}

/**
 * A parser from unknown input to T; returns undefined after recording an issue. `expected` says in
 * words what it accepts, so a missing required field can say what belongs there.
 */
export type Check<T> = ((value: unknown, path: string, ctx: Context) => T | undefined) & { expected?: string };

const withExpected = <T>(check: (value: unknown, path: string, ctx: Context) => T | undefined, expected: string): Check<T> =>
  Object.assign(check, { expected });

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (value === '') return 'an empty string';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
};

/**
 * `__proto__` cannot be a key of a plain object: assigning it replaces the object's prototype, so a
 * field of that name would silently do nothing, or pose as other fields. Refused wherever a mapping is read.
 */
const PROTO_KEY_MESSAGE = "a key named __proto__ is refused (JavaScript reads it as the object's prototype, so it would silently do nothing or change other fields); remove or rename it";

export const joinPath = (base: string, key: string | number): string =>
  typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${key}` : key;

export function string(opts: { pattern?: RegExp; expected?: string; min?: number; max?: number } = {}): Check<string> {
  const expected = opts.expected ?? 'a string';
  return withExpected((value, path, ctx) => {
    if (typeof value !== 'string') {
      ctx.fail(path, `expected ${expected}, got ${describe(value)}`);
      return undefined;
    }
    if (opts.min !== undefined && value.length < opts.min) {
      ctx.fail(path, `expected ${expected} of at least ${opts.min} character${opts.min === 1 ? '' : 's'}, got ${value ? `${value.length}` : 'an empty string'}`);
      return undefined;
    }
    if (opts.max !== undefined && value.length > opts.max) {
      ctx.fail(path, `expected ${expected} of at most ${opts.max} characters, got ${value.length}`);
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      ctx.fail(path, `expected ${expected}, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }, expected);
}

export function url(opts: { protocols?: string[]; fragment?: boolean } = {}): Check<string> {
  const protocols = opts.protocols ?? ['http:', 'https:'];
  const expected = `a URL (${protocols.map((p) => p.replace(':', '')).join(' or ')})${opts.fragment === false ? ' without a #fragment' : ''}`;
  return withExpected((value, path, ctx) => {
    if (typeof value === 'string') {
      try {
        const parsed = new URL(value);
        if (protocols.includes(parsed.protocol) && (opts.fragment !== false || !value.includes('#'))) return value;
      } catch {
        /* reported below */
      }
    }
    ctx.fail(path, `expected ${expected}, got ${describe(value)}`);
    return undefined;
  }, expected);
}

export function integer(opts: { min?: number; max?: number; expected?: string } = {}): Check<number> {
  const range = opts.min !== undefined || opts.max !== undefined ? ` from ${opts.min ?? '-∞'} to ${opts.max ?? '∞'}` : '';
  const expected = opts.expected ?? `a whole number${range}`;
  return withExpected((value, path, ctx) => {
    const ok =
      typeof value === 'number' &&
      Number.isInteger(value) &&
      (opts.min === undefined || value >= opts.min) &&
      (opts.max === undefined || value <= opts.max);
    if (!ok) {
      ctx.fail(path, `expected ${expected}, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }, expected);
}

export function boolean(): Check<boolean> {
  return withExpected((value, path, ctx) => {
    if (typeof value !== 'boolean') {
      ctx.fail(path, `expected true or false, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }, 'true or false');
}

export function oneOf<const T extends string>(values: readonly T[]): Check<T> {
  const expected = `one of ${values.join(', ')}`;
  return withExpected((value, path, ctx) => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      ctx.fail(path, `expected ${expected}, got ${describe(value)}`);
      return undefined;
    }
    return value as T;
  }, expected);
}

export function list<T>(item: Check<T>, opts: { expected?: string; min?: number; max?: number } = {}): Check<T[]> {
  const expected = opts.expected ?? 'a list';
  return withExpected((value, path, ctx) => {
    if (!Array.isArray(value)) {
      ctx.fail(path, `expected ${expected}, got ${describe(value)}`);
      return undefined;
    }
    if (opts.min !== undefined && value.length < opts.min) {
      ctx.fail(path, `expected ${expected} of at least ${opts.min} item${opts.min === 1 ? '' : 's'}, got ${value.length === 0 ? 'an empty list' : value.length}`);
      return undefined;
    }
    if (opts.max !== undefined && value.length > opts.max) {
      ctx.fail(path, `expected ${expected} of at most ${opts.max} items, got ${value.length}`);
      return undefined;
    }
    const before = ctx.issues.length;
    const out = value.map((v, i) => item(v, joinPath(path, i), ctx));
    return ctx.issues.length === before ? (out as T[]) : undefined;
  }, expected);
}

/** Any JSON-like value (claims, policy documents). */
export function anyValue(): Check<unknown> {
  return (value) => value;
}

export function record<T>(item: Check<T>, opts: { expected?: string } = {}): Check<Record<string, T>> {
  const expected = opts.expected ?? 'a mapping';
  return withExpected((value, path, ctx) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.fail(path, `expected ${expected}, got ${describe(value)}`);
      return undefined;
    }
    const out: Record<string, T> = {};
    const before = ctx.issues.length;
    for (const [k, v] of Object.entries(value)) {
      if (k === '__proto__') {
        ctx.fail(joinPath(path, k), PROTO_KEY_MESSAGE);
        continue;
      }
      const parsed = item(v, joinPath(path, k), ctx);
      if (parsed !== undefined) out[k] = parsed;
    }
    return ctx.issues.length === before ? out : undefined;
  }, expected);
}

type Field<T> = { check: Check<T>; required: boolean; default?: T };
type FieldsOf<S> = { [K in keyof S]: Field<S[K]> };

export const required = <T>(check: Check<T>): Field<T> => ({ check, required: true });
export const optional = <T>(check: Check<T>, defaultValue?: T): Field<T> =>
  defaultValue === undefined ? { check, required: false } : { check, required: false, default: defaultValue };

const isRequired = (expected: string) => `is required: expected ${expected}`;

/**
 * A mapping with known keys. Unknown keys are refused (a typo must not silently do nothing),
 * unless `open` is set, in which case they are kept as they are (user claims, for instance).
 * `missing` words a required field that is absent (default `is required: expected …`).
 */
export function object<S extends object>(
  fields: FieldsOf<S>,
  opts: { open?: boolean; expected?: string; missing?: (expected: string) => string } = {},
): Check<S> {
  const expected = opts.expected ?? 'a mapping';
  const known = Object.keys(fields);
  return withExpected((value, path, ctx) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.fail(path, `expected ${expected}, got ${describe(value)}`);
      return undefined;
    }
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const before = ctx.issues.length;
    for (const [key, field] of Object.entries(fields) as [string, Field<unknown>][]) {
      const fieldPath = joinPath(path, key);
      const given = Object.hasOwn(input, key) ? input[key] : undefined;
      if (given === undefined || given === null) {
        if (field.required) ctx.fail(fieldPath, (opts.missing ?? isRequired)(field.check.expected ?? 'a value'));
        else if (field.default !== undefined) out[key] = structuredClone(field.default);
        continue;
      }
      const parsed = field.check(given, fieldPath, ctx);
      if (parsed !== undefined) out[key] = parsed;
    }
    // Own keys only, compared with hasOwn: `constructor` or `toString` is no field (`in` saw Object's members).
    for (const key of Object.keys(input)) {
      if (key === '__proto__') {
        ctx.fail(joinPath(path, key), PROTO_KEY_MESSAGE);
        continue;
      }
      if (Object.hasOwn(fields, key)) continue;
      if (opts.open) out[key] = input[key];
      else {
        const guess = closest(key, known);
        ctx.fail(joinPath(path, key), `unknown field${guess ? ` (did you mean "${guess}"?)` : ''}; expected one of ${known.join(', ')}`);
      }
    }
    return ctx.issues.length === before ? (out as S) : undefined;
  }, expected);
}

/** The known name a typo most likely meant: at most two edits away, and fewer than half its letters. */
function closest(typo: string, known: string[]): string | undefined {
  const limit = Math.min(2, Math.floor(typo.length / 2));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typo.toLowerCase(), name);
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/** Runs a check and throws a ConfigError listing every issue, each prefixed with the source name. */
export function parseWith<T>(check: Check<T>, value: unknown, source: string): T {
  const ctx = new Context();
  const out = check(value, '', ctx);
  if (ctx.issues.length > 0 || out === undefined) {
    throw new ConfigError(source, ctx.issues.length ? ctx.issues : [{ path: '', message: 'is invalid' }]);
  }
  return out;
}

export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG_INVALID';
  constructor(
    readonly source: string,
    readonly issues: Issue[],
  ) {
    super(issues.map((i) => `${source}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}
