import type { FastifyRequest } from 'fastify';
import { isLoopbackAddress } from '../util/is-loopback.js';
import { LabError } from './lab-error.js';

/**
 * preHandler for routes that mint or reconfigure: refused unless the client is on loopback or the
 * lab was explicitly opened.
 */
export async function localOnly(req: FastifyRequest): Promise<void> {
  if (req.server.lab.openControl) return;
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    throw new LabError(403, 'local_only', 'this route mints or reconfigures and answers loopback clients only');
  }
}
