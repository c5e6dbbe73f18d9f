import type { FastifyInstance } from 'fastify';
import { issuerFaultsCheck, type IssuerFaults } from '../config/lab-config.js';
import { oneOf, optional, string } from '../config/schema.js';
import { checkRequest, requestObject, wholeNumberParam } from '../lab/check-request.js';
import { KeyStoreError } from '../../keys/key-store.js';
import { LabError } from '../lab/lab-error.js';
import { localOnly } from '../lab/local-only.js';
import { issuerOf } from '../issuer/issuer-routes.js';

type NameParams = { name: string };

/** What each route accepts: checked by checkRequest, after localOnly; a bad one is a 400 naming the field. */
type RequestsQuery = { issuer?: string; since?: number; limit?: number };
const requestsQuery = requestObject<RequestsQuery>({ issuer: optional(string()), since: optional(wholeNumberParam), limit: optional(wholeNumberParam) }, { expected: 'query parameters issuer, since, limit' });
type ExchangesQuery = { limit?: number; clientId?: string; outcome?: 'success' | 'failure' };
const exchangesQuery = requestObject<ExchangesQuery>({ limit: optional(wholeNumberParam), clientId: optional(string()), outcome: optional(oneOf(['success', 'failure'] as const)) }, { expected: 'query parameters limit, clientId, outcome' });
const retireBody = requestObject<{ kid: string }>({ kid: { check: string({ min: 1, expected: 'the key id to retire (see GET /_lab/issuers/<name>/keys)' }), required: true } }, { expected: 'a JSON object {"kid": "<key id>"}' });

const toLabError = (err: unknown): never => {
  if (err instanceof KeyStoreError) throw new LabError(err.code === 'ERR_KEY_NOT_FOUND' ? 404 : 409, err.code === 'ERR_KEY_NOT_FOUND' ? 'unknown_key' : 'key_active', err.message);
  throw err;
};

/**
 * The lab's control API under `/_lab`: request log, keys, faults. Local-only unless opened; each
 * route's query and body declared above and checked before it runs (check-request.ts).
 */
export async function controlRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', localOnly);

  app.get('/_lab/health', async () => ({ status: 'ok' }));

  app.get<{ Querystring: RequestsQuery }>('/_lab/requests', { preHandler: checkRequest({ query: requestsQuery, code: 'invalid_query' }) }, async (req) => ({
    requests: req.server.lab.requestLog.entries(req.query),
  }));

  app.delete('/_lab/requests', async (req, reply) => {
    req.server.lab.requestLog.clear();
    return reply.code(204).send();
  });

  app.get<{ Querystring: ExchangesQuery }>('/_lab/exchanges', { preHandler: checkRequest({ query: exchangesQuery, code: 'invalid_query' }) }, async (req) => ({
    exchanges: req.server.lab.ssoOidc.exchanges.list(req.query),
  }));

  app.get<{ Params: { id: string } }>('/_lab/exchanges/:id', async (req) => {
    const entry = req.server.lab.ssoOidc.exchanges.get(req.params.id);
    if (!entry) throw new LabError(404, 'unknown_exchange', `no exchange ${req.params.id} in the log (it keeps the last ${req.server.lab.ssoOidc.exchanges.capacity})`);
    return entry;
  });

  app.get('/_lab/behaviour-profile', async (req) => req.server.lab.ssoOidc.profile);

  app.get<{ Params: NameParams }>('/_lab/issuers/:name/keys', async (req) => {
    const issuer = issuerOf(req);
    await issuer.mintSource().signingKey();
    return { keys: await req.server.lab.keys.list(issuer.name) };
  });

  app.post<{ Params: NameParams }>('/_lab/issuers/:name/keys/rotate', async (req) => {
    const issuer = issuerOf(req);
    return { key: await req.server.lab.keys.rotate(issuer.name, issuer.config.algorithm), keys: await req.server.lab.keys.list(issuer.name) };
  });

  app.post<{ Params: NameParams; Body: { kid: string } }>('/_lab/issuers/:name/keys/retire', { preHandler: checkRequest({ body: retireBody, code: 'invalid_request' }) }, async (req) => {
    const issuer = issuerOf(req);
    const key = await req.server.lab.keys.retire(issuer.name, req.body.kid).catch(toLabError);
    return { key, keys: await req.server.lab.keys.list(issuer.name) };
  });

  app.get<{ Params: NameParams }>('/_lab/issuers/:name/faults', async (req) => ({ faults: issuerOf(req).faults.get() }));

  app.put<{ Params: NameParams; Body: IssuerFaults }>('/_lab/issuers/:name/faults', { preHandler: checkRequest({ body: issuerFaultsCheck, code: 'invalid_faults' }) }, async (req) => ({
    faults: issuerOf(req).faults.set(req.body),
  }));

  app.delete<{ Params: NameParams }>('/_lab/issuers/:name/faults', async (req) => {
    const issuer = issuerOf(req);
    issuer.faults.reset();
    return { faults: issuer.faults.get() };
  });
}
