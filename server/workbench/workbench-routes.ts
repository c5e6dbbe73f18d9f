import type { FastifyInstance } from 'fastify';
import { explainRoutes } from '../explain/explain-routes.js';

/**
 * The lab's explanation tools, registered by buildApp as one plugin: `POST /_lab/explain` (what
 * `tti-lab explain` and the workbench ask).
 */
export async function workbenchRoutes(app: FastifyInstance): Promise<void> {
  await app.register(explainRoutes);
}
