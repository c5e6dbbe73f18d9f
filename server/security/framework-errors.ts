import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The router's own refusals (a URL that does not decode, a path parameter over the length limit)
 * in the lab's `{error, message}` shape, instead of fastify's default body.
 */
export function frameworkErrors(err: Error & { code?: string; statusCode?: number }, _req: FastifyRequest, reply: FastifyReply): void {
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void reply.code(err.statusCode ?? (tooLong ? 414 : 400)).send({
    error: tooLong ? 'uri_too_long' : 'bad_url',
    message: tooLong ? 'a path segment is longer than the lab accepts (100 characters)' : 'the URL does not decode (invalid percent-encoding or UTF-8)',
  });
}
