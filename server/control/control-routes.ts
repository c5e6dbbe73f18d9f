import type { FastifyInstance } from 'fastify';
import { issuerFaultsCheck, type IssuerFaults } from '../config/lab-config.js';
import { Context } from '../config/schema.js';
import { KeyStoreError } from '../../keys/key-store.js';
import { LabError } from '../lab/lab-error.js';
import { localOnly } from '../lab/local-only.js';
import { issuerOf } from '../issuer/issuer-routes.js';

type NameParams = { name: string };

const toLabError = (err: unknown): never => {
  if (err instanceof KeyStoreError) throw new LabError(err.code === 'ERR_KEY_NOT_FOUND' ? 404 : 409, err.code === 'ERR_KEY_NOT_FOUND' ? 'unknown_key' : 'key_active', err.message);
  throw err;
};

/**
 * The lab's control API under `/_lab`: request log, keys, faults. Local-only unless opened.
 */
export async function controlRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', localOnly);

  app.get('/_lab/health', async () => ({ status: 'ok' }));

  app.get<{ Querystring: { issuer?: string; since?: string; limit?: string } }>('/_lab/requests', async (req) => {
    const q = req.query;
    const num = (v: string | undefined, name: string) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new LabError(400, 'invalid_query', `${name}: expected a whole number ≥ 0`);
      return n;
    };
    return { requests: req.server.lab.requestLog.entries({ issuer: q.issuer, since: num(q.since, 'since'), limit: num(q.limit, 'limit') }) };
  });

  app.delete('/_lab/requests', async (req, reply) => {
    req.server.lab.requestLog.clear();
    return reply.code(204).send();
  });

  app.get<{ Querystring: { limit?: string; clientId?: string; outcome?: string } }>('/_lab/exchanges', async (req) => {
    const { limit, clientId, outcome } = req.query;
    const n = limit === undefined ? undefined : Number(limit);
    if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new LabError(400, 'invalid_query', 'limit: expected a whole number ≥ 0');
    if (outcome !== undefined && outcome !== 'success' && outcome !== 'failure') throw new LabError(400, 'invalid_query', 'outcome: expected success or failure');
    return { exchanges: req.server.lab.ssoOidc.exchanges.list({ limit: n, clientId, outcome }) };
  });

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

  app.post<{ Params: NameParams; Body: { kid?: unknown } }>('/_lab/issuers/:name/keys/retire', async (req) => {
    const issuer = issuerOf(req);
    const kid = req.body?.kid;
    if (typeof kid !== 'string') throw new LabError(400, 'invalid_request', 'kid: expected the key id to retire (see GET /_lab/issuers/<name>/keys)');
    const key = await req.server.lab.keys.retire(issuer.name, kid).catch(toLabError);
    return { key, keys: await req.server.lab.keys.list(issuer.name) };
  });

  app.get<{ Params: NameParams }>('/_lab/issuers/:name/faults', async (req) => ({ faults: issuerOf(req).faults.get() }));

  app.put<{ Params: NameParams; Body: unknown }>('/_lab/issuers/:name/faults', async (req) => {
    const issuer = issuerOf(req);
    const ctx = new Context();
    const patch = issuerFaultsCheck(req.body ?? {}, 'faults', ctx) as IssuerFaults | undefined;
    if (!patch || ctx.issues.length) {
      throw new LabError(400, 'invalid_faults', ctx.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    }
    return { faults: issuer.faults.set(patch) };
  });

  app.delete<{ Params: NameParams }>('/_lab/issuers/:name/faults', async (req) => {
    const issuer = issuerOf(req);
    issuer.faults.reset();
    return { faults: issuer.faults.get() };
  });
}
