import { AwsError, ValidationError } from './aws-error.js';

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

  fail(path: string, value: unknown, constraint: string): void {
    this.#problems.push(`Value ${InputValidator.#show(value)} at '${InputValidator.#memberPath(path)}' failed to satisfy constraint: ${constraint}`);
  }

  #typeError(path: string, expected: string, value: unknown): never {
    throw new AwsError('SerializationException', 400, `Unexpected value type for '${InputValidator.#memberPath(path)}': expected ${expected}, got ${value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value}`);
  }

  /** A string member. `value` defaults to input[name]; pass it for nested members. */
  string(
    path: string,
    opts: { required?: boolean; min?: number; max?: number; pattern?: RegExp; enum?: readonly string[] } = {},
    value: unknown = this.input[path],
  ): string | undefined {
    if (value === undefined || value === null) {
      if (opts.required) this.fail(path, null, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'string') this.#typeError(path, 'string', value);
    if (opts.min !== undefined && value.length < opts.min) this.fail(path, value, `Member must have length greater than or equal to ${opts.min}`);
    else if (opts.max !== undefined && value.length > opts.max) this.fail(path, value, `Member must have length less than or equal to ${opts.max}`);
    else if (opts.pattern && !opts.pattern.test(value)) this.fail(path, value, `Member must satisfy regular expression pattern: ${opts.pattern.source}`);
    else if (opts.enum && !opts.enum.includes(value)) this.fail(path, value, `Member must satisfy enum value set: [${opts.enum.join(', ')}]`);
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
