import type { FastifyInstance } from 'fastify';
import { localOnly } from '../lab/local-only.js';
import { sameOrigin } from '../security/same-origin.js';
import { explainWithLab } from './explain-token.js';
import { parseExplainRequest } from './parse-explain-request.js';

/**
 * `POST /_lab/explain {token, applicationArn?, caller?, scope?, whatIf?}`: runs the token through
 * the exchange pipeline's own steps, read-only (nothing changes, nothing is logged), and answers
 * the explanation (`ExplainReport`). Local-only, like the rest of `/_lab`.
 */
export async function explainRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: unknown }>('/_lab/explain', { preHandler: [localOnly, sameOrigin] }, async (req) => explainWithLab(req.server.lab, parseExplainRequest(req.body)));
}
