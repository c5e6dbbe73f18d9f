import type { FastifyInstance } from 'fastify';
import { explainRoutes } from '../explain/explain-routes.js';
import { workbenchApi } from './workbench-api.js';
import { workbenchPages } from './workbench-pages.js';

/**
 * The lab's explanation tools, registered by buildApp as one plugin: `POST /_lab/explain` (what
 * `tti-lab explain` and the workbench ask), the workbench's JSON routes under `/_lab/workbench`,
 * and its pages under `/workbench`. All local-only.
 */
export async function workbenchRoutes(app: FastifyInstance): Promise<void> {
  await app.register(explainRoutes);
  await app.register(workbenchApi);
  await app.register(workbenchPages);
}
