import type { FastifyRequest } from 'fastify';
import { LabError } from '../lab/lab-error.js';

/**
 * preHandler for the lab's own browser-facing POST routes (explain, the workbench's exchange): a
 * request a browser sends from another site carries an `Origin` that is not the lab's, and is
 * refused. Clients that send no `Origin` (the CLI, curl, tests) pass. With `localOnly`, this keeps
 * a web page the user happens to visit from driving the lab.
 */
export async function sameOrigin(req: FastifyRequest): Promise<void> {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host === undefined || host !== req.headers.host) {
    throw new LabError(403, 'cross_origin', `requests from ${origin} are refused: this route answers the lab's own pages and non-browser clients only`);
  }
}
