import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import type { EndpointFault } from '../../config/lab-config.js';

/**
 * Acts out an endpoint fault. Returns true when the fault answered (or will never answer), false when
 * the endpoint should go on and answer normally (after a `slow` delay).
 */
export async function applyFault(fault: EndpointFault | undefined, reply: FastifyReply): Promise<boolean> {
  if (!fault) return false;
  switch (fault.kind) {
    case 'none':
      return false;
    case 'slow': {
      // Never less than delay_ms of real time: a timer may fire a little early against the wall clock.
      const until = performance.now() + (fault.delay_ms ?? 1000);
      for (let left = until - performance.now(); left > 0; left = until - performance.now()) await delay(Math.ceil(left));
      return false;
    }
    case 'status': {
      const status = fault.status ?? 500;
      await reply.code(status).send({ error: 'injected_fault', message: `tti-lab fault: this endpoint answers ${status}` });
      return true;
    }
    case 'invalid_json':
      await reply.code(200).header('content-type', 'application/json; charset=utf-8').send('{"issuer": "tti-lab injected fault: this is not JSON');
      return true;
    case 'hang':
      // Never answer; the socket is closed when the client gives up or the lab shuts down.
      reply.hijack();
      return true;
  }
}
