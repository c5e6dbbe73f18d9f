import { AwsError, ValidationError } from './aws-error.js';

/** What a `pattern` constraint needs: a RegExp, or a ModelPattern (the model's text, matched whole). */
export interface PatternConstraint {
  readonly source: string;
  test(value: string): boolean;
}

/**
 * A Smithy/botocore `pattern` as the service applies it: the whole value must match (Java's
 * `matches()`), `\p{L}`-style classes work, and the message quotes the model's text unchanged.
 * `jsSource` is for the rare model pattern JavaScript cannot read as is (inline `(?i)`).
 */
export class ModelPattern implements PatternConstraint {
  // Made on the first test: a `u` RegExp with `\p{…}` classes costs about a millisecond to build, and
  // the shapes make theirs when the lab starts (docs/benchmarks.md).
  #regex: RegExp | undefined;

  constructor(
    readonly source: string,
    private readonly jsSource: string = source,
  ) {}

  test(value: string): boolean {
    return (this.#regex ??= new RegExp(`^(?:${this.jsSource})$`, 'u')).test(value);
  }
}

/** Smithy `@length` on strings counts Unicode scalar values (code points), not UTF-16 units. */
function codePoints(value: string): number {
  let n = value.length;
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n -= 1;
        i += 1;
      }
    }
  }
  return n;
}

/**
 * Reads an operation's input the way AWS's Coral front end does. Type errors fail at once with a
 * SerializationException (the real services cannot even deserialise them); constraint violations
 * are collected and thrown together as one ValidationException:
 *   "2 validation errors detected: Value null at 'instanceArn' failed to satisfy constraint: Member must not be null; …"
 */
export class InputValidator {
  readonly #problems: string[] = [];

  constructor(readonly input: Record<string, unknown>) {}

  static #memberPath(path: string): string {
    return path
      .split('.')
      .map((p) => p.replace(/^[A-Z]/, (c) => c.toLowerCase()))
      .join('.');
  }

  static #show(value: unknown): string {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'string') return `'${value}'`;
    return `'${JSON.stringify(value)}'`;
  }

  /**
   * Records a constraint violation. A `sensitive` member's value is left out of the message
   * ("Value at 'password' failed to satisfy constraint: …"), as AWS does for sensitive members.
   */
  fail(path: string, value: unknown, constraint: string, sensitive = false): void {
    const shown = sensitive && value !== null && value !== undefined ? '' : ` ${InputValidator.#show(value)}`;
    this.#problems.push(`Value${shown} at '${InputValidator.#memberPath(path)}' failed to satisfy constraint: ${constraint}`);
  }

  #typeError(path: string, expected: string, value: unknown): never {
    throw new AwsError('SerializationException', 400, `Unexpected value type for '${InputValidator.#memberPath(path)}': expected ${expected}, got ${value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value}`);
  }

  /** A string member. `value` defaults to input[name]; pass it for nested members. */
  string(
    path: string,
    opts: { required?: boolean; min?: number; max?: number; pattern?: PatternConstraint; enum?: readonly string[]; sensitive?: boolean } = {},
    value: unknown = this.input[path],
  ): string | undefined {
    if (value === undefined || value === null) {
      if (opts.required) this.fail(path, null, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'string') this.#typeError(path, 'string', value);
    const s = opts.sensitive ?? false;
    const length = opts.min !== undefined || opts.max !== undefined ? codePoints(value) : 0;
    if (opts.min !== undefined && length < opts.min) this.fail(path, value, `Member must have length greater than or equal to ${opts.min}`, s);
    else if (opts.max !== undefined && length > opts.max) this.fail(path, value, `Member must have length less than or equal to ${opts.max}`, s);
    else if (opts.pattern && !opts.pattern.test(value)) this.fail(path, value, `Member must satisfy regular expression pattern: ${opts.pattern.source}`, s);
    else if (opts.enum && !opts.enum.includes(value)) this.fail(path, value, `Member must satisfy enum value set: [${opts.enum.join(', ')}]`, s);
    return value;
  }

  integer(path: string, opts: { required?: boolean; min?: number; max?: number } = {}, value: unknown = this.input[path]): number | undefined {
    if (value === undefined || value === null) {
      if (opts.required) this.fail(path, null, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) this.#typeError(path, 'integer', value);
    if (opts.min !== undefined && value < opts.min) this.fail(path, value, `Member must have value greater than or equal to ${opts.min}`);
    else if (opts.max !== undefined && value > opts.max) this.fail(path, value, `Member must have value less than or equal to ${opts.max}`);
    return value;
  }

  boolean(path: string, opts: { required?: boolean } = {}, value: unknown = this.input[path]): boolean | undefined {
    if (value === undefined || value === null) {
      if (opts.required) this.fail(path, null, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'boolean') this.#typeError(path, 'boolean', value);
    return value;
  }

  list(path: string, opts: { required?: boolean; min?: number; max?: number } = {}, value: unknown = this.input[path]): unknown[] | undefined {
    if (value === undefined || value === null) {
      if (opts.required) this.fail(path, null, 'Member must not be null');
      return undefined;
    }
    if (!Array.isArray(value)) this.#typeError(path, 'list', value);
    if (opts.min !== undefined && value.length < opts.min) this.fail(path, value, `Member must have length greater than or equal to ${opts.min}`);
    else if (opts.max !== undefined && value.length > opts.max) this.fail(path, value, `Member must have length less than or equal to ${opts.max}`);
    return value;
  }

  structure(path: string, opts: { required?: boolean } = {}, value: unknown = this.input[path]): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
      if (opts.required) this.fail(path, null, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) this.#typeError(path, 'structure', value);
    return value as Record<string, unknown>;
  }

  /** Throws the collected ValidationException, if any. */
  done(): void {
    if (this.#problems.length === 0) return;
    const n = this.#problems.length;
    throw new ValidationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.#problems.join('; ')}`);
  }
}
