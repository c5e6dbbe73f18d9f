import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Where the server's log goes: one JSON line per entry (pino's format). `tti-lab serve`: stderr. */
export interface LogDestination {
  write(line: string): unknown;
}

/** Requests whose 5xx answer has been logged with the error that caused it. */
const logged = new WeakSet<FastifyRequest>();

/**
 * Writes an error that becomes a 5xx answer to the server's log, with its stack (pino serialises
 * `err` as type, message, stack). Every place that turns an error into a 5xx calls this.
 */
export function logServerError(req: FastifyRequest, err: unknown, message: string, context: Record<string, unknown> = {}): void {
  logged.add(req);
  req.log.error({ err, ...context, method: req.method, url: req.url.split('?')[0] }, message);
}

/**
 * The net under `logServerError`: a 5xx answer that no error was logged for (an injected fault, a
 * 503 while closing, or a path that forgot to log) is still written to the log, when the response
 * finishes — on the raw response, so replies handed to oidc-provider are covered too.
 */
export function serverErrorLog(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.raw.once('finish', () => {
      const status = reply.raw.statusCode;
      if (status >= 500 && !logged.has(req)) {
        req.log.error({ status, method: req.method, url: req.url.split('?')[0] }, `answered ${status} without an error being raised (an injected fault or a deliberate answer)`);
      }
    });
  });
}
