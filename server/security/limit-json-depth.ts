import type { FastifyInstance } from 'fastify';
import { LabError } from '../lab/lab-error.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';

/**
 * The member that made fastify's prototype-poisoning check refuse a body that is valid JSON: an own
 * `__proto__`, or a `constructor` holding a `prototype`. Iterative (the body may nest deep).
 */
function poisonedMember(value: unknown): string | undefined {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Object.hasOwn(v, '__proto__')) return 'a member named "__proto__"';
    const ctor = (v as Record<string, unknown>).constructor;
    if (Object.hasOwn(v, 'constructor') && ctor !== null && typeof ctor === 'object' && Object.hasOwn(ctor, 'prototype')) return 'a "constructor" member holding a "prototype" member';
    stack.push(...Object.values(v));
  }
  return undefined;
}

/**
 * Replaces the app's `application/json` parser with fastify's own (prototype-poisoning checks
 * included) plus a nesting limit: a deeply nested body that parses fine would otherwise overflow
 * the stack later, when a mint request's claims are serialised and signed. A body refused by the
 * poisoning check is told so (fastify calls it "not valid JSON").
 */
export function limitJsonDepth(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parse(req, body as string, (err: Error | null, value?: unknown) => {
      if (err) {
        let plain: unknown;
        try {
          plain = JSON.parse(body as string);
        } catch {
          return done(err, undefined);
        }
        const member = poisonedMember(plain);
        if (member) return done(new LabError(400, 'invalid_request', `the JSON body has ${member}, which the lab refuses (prototype poisoning); rename or remove it`), undefined);
        return done(err, undefined);
      }
      if (exceedsJsonDepth(value)) return done(new LabError(400, 'invalid_request', `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return done(null, value);
    });
  });
}
