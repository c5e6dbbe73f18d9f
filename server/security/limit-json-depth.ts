import type { FastifyInstance } from 'fastify';
import { LabError } from '../lab/lab-error.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';

/**
 * Replaces the app's `application/json` parser with fastify's own (prototype-poisoning checks
 * included) plus a nesting limit: a deeply nested body that parses fine would otherwise overflow
 * the stack later, when a mint request's claims are serialised and signed.
 */
export function limitJsonDepth(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parse(req, body as string, (err: Error | null, value?: unknown) => {
      if (err) return done(err, undefined);
      if (exceedsJsonDepth(value)) return done(new LabError(400, 'invalid_request', `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return done(null, value);
    });
  });
}
