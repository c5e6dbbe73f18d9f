import type { FastifyRequest } from 'fastify';
import { Context, object, type Check } from '../config/schema.js';
import { LabError } from './lab-error.js';

/**
 * A route's declared request shape, checked with the lab's own validator (server/config/schema.ts,
 * the one the config, the faults and the scenarios use), not fastify's JSON schemas: ajv stays
 * unloaded (build-app.ts loads it only for a route with a fastify schema, and the lab declares none),
 * and the check runs as a preHandler, after `localOnly`, so a client the route does not answer
 * learns nothing from a validation message.
 */
export interface RequestShape<B, Q> {
  /** The body's check; a request without a body is checked as `{}`. */
  body?: Check<B>;
  query?: Check<Q>;
  /** The `error` code of the lab's 400 answer (`invalid_request`, `invalid_query` …). */
  code: string;
  /** The code for a bad query, when it differs from `code`. */
  queryCode?: string;
}

/** The fields of a request body or query: every problem named by its field, a missing field by what belongs there. */
export const requestObject: typeof object = (fields, opts = {}) => object(fields, { missing: (expected) => `expected ${expected}`, ...opts });

/** A query parameter holding a whole number ≥ 0 (as `Number()` reads it). */
export const wholeNumberParam: Check<number> = Object.assign(
  (value: unknown, path: string, ctx: Context): number | undefined => {
    const n = typeof value === 'string' ? Number(value) : NaN;
    if (Number.isInteger(n) && n >= 0) return n;
    ctx.fail(path, 'expected a whole number ≥ 0');
    return undefined;
  },
  { expected: 'a whole number ≥ 0' },
);

const run = <T>(check: Check<T>, value: unknown, code: string): T => {
  const ctx = new Context();
  const out = check(value, '', ctx);
  if (out === undefined || ctx.issues.length) throw new LabError(400, code, ctx.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ') || 'the request is invalid');
  return out;
};

/**
 * The preHandler that checks a request against its shape and replaces the body and query with what
 * the checks return (typed, defaults applied), or answers 400 in the lab's error shape
 * `{ error: <code>, message: "<field>: expected …; …" }`.
 */
export function checkRequest<B = unknown, Q = unknown>(shape: RequestShape<B, Q>): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    if (shape.query) req.query = run(shape.query, req.query, shape.queryCode ?? shape.code);
    if (shape.body) req.body = run(shape.body, req.body ?? {}, shape.code);
  };
}
