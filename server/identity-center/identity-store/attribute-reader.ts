import type { InputValidator, PatternConstraint } from '../../aws/input-validator.js';

export interface StringShape {
  min: number;
  max: number;
  pattern: PatternConstraint;
  sensitive?: boolean;
}

export type MemberSpec = { kind: 'string'; shape: StringShape; required?: boolean } | { kind: 'boolean' };

/**
 * Reads user and group attribute values with the model's constraints, either from the request's
 * own members (`wire`: PascalCase names; a wrong JSON type cannot be deserialised, so it is a
 * SerializationException) or from an UpdateUser/UpdateGroup `AttributeValue` document
 * (`document`: any JSON arrives, so a wrong type is a ValidationException, and structure member
 * names are matched case-insensitively — `givenName` and `GivenName` alike; assumed).
 */
export class AttributeReader {
  constructor(
    readonly v: InputValidator,
    readonly mode: 'wire' | 'document',
  ) {}

  #wrongType(path: string, value: unknown, expected: string, sensitive = false): void {
    this.v.fail(path, value, `Member must be ${expected}`, sensitive);
  }

  string(path: string, value: unknown, shape: StringShape, required = false): string | undefined {
    if (this.mode === 'document' && value !== undefined && value !== null && typeof value !== 'string') {
      this.#wrongType(path, value, 'a string', shape.sensitive);
      return undefined;
    }
    return this.v.string(path, { ...shape, required }, value);
  }

  boolean(path: string, value: unknown): boolean | undefined {
    if (this.mode === 'document' && value !== undefined && value !== null && typeof value !== 'boolean') {
      this.#wrongType(path, value, 'a boolean');
      return undefined;
    }
    return this.v.boolean(path, {}, value);
  }

  /** A structure with known members; returns it with the model's member names, unknown members dropped. */
  structure(path: string, value: unknown, members: Record<string, MemberSpec>, required = false): Record<string, unknown> | undefined {
    if (this.mode === 'document' && value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      this.#wrongType(path, value, 'an object');
      return undefined;
    }
    const struct = this.v.structure(path, { required }, value);
    if (!struct) return undefined;
    const out: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(members)) {
      const key = this.mode === 'wire' ? name : Object.keys(struct).find((k) => k.toLowerCase() === name.toLowerCase());
      const raw = key !== undefined && Object.hasOwn(struct, key) ? struct[key] : undefined;
      const read = spec.kind === 'string' ? this.string(`${path}.${name}`, raw, spec.shape, spec.required) : this.boolean(`${path}.${name}`, raw);
      if (read !== undefined) out[name] = read;
    }
    return out;
  }

  /** A list; members are named `<path>.<n>.member` (1-based), as AWS's validation messages name them. */
  list<T>(path: string, value: unknown, limits: { min: number; max: number }, item: (path: string, value: unknown) => T | undefined, required = false): T[] | undefined {
    if (this.mode === 'document' && value !== undefined && value !== null && !Array.isArray(value)) {
      this.#wrongType(path, value, 'a list');
      return undefined;
    }
    const list = this.v.list(path, { ...limits, required }, value);
    if (!list) return undefined;
    const out: T[] = [];
    list.forEach((entry, i) => {
      const read = item(`${path}.${i + 1}.member`, entry);
      if (read !== undefined) out.push(read);
    });
    return out;
  }
}
