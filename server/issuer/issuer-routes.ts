import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { IssuerRuntime } from './issuer-runtime.js';
import { logServerError } from '../log/server-error-log.js';
import { LabError } from '../lab/lab-error.js';
import { localOnly } from '../lab/local-only.js';
import { sameOriginForm } from '../security/same-origin.js';
import { applyFault } from './faults/apply-fault.js';
import { issuerDiscovery } from './discovery/issuer-discovery.js';
import { loginPage } from './login/login-page.js';
import { mintToken, MintError, type MintRequest } from './mint/mint-token.js';

type NameParams = { name: string };
type InteractionParams = NameParams & { uid: string };

/** oidc-provider reads at most this much of a request body (lib/shared/selective_body.js). */
const PROVIDER_BODY_LIMIT = 56 * 1024;

export function issuerOf(req: FastifyRequest<{ Params: NameParams }>): IssuerRuntime {
  const { issuers } = req.server.lab;
  const issuer = issuers.get(req.params.name);
  if (!issuer) {
    throw new LabError(404, 'unknown_issuer', `no issuer named "${req.params.name}"; configured issuers: ${[...issuers.keys()].join(', ') || 'none'}`);
  }
  return issuer;
}

/**
 * An error oidc-provider threw at a route the lab answers (the interaction pages), as a LabError with
 * its public code and description. Anything else goes on as it is (and becomes a 500).
 */
function fromProviderError(err: unknown): never {
  const e = err as { error?: unknown; error_description?: unknown; statusCode?: unknown; expose?: unknown };
  if (e && typeof e.error === 'string' && typeof e.statusCode === 'number' && e.expose) {
    throw new LabError(e.statusCode, e.error, typeof e.error_description === 'string' ? e.error_description : e.error);
  }
  throw err;
}

/**
 * The interaction the browser's cookie names, which must be the one in the URL: a form posted from
 * an old login page must not finish a newer sign-in.
 */
async function interactionOf(issuer: IssuerRuntime, req: FastifyRequest<{ Params: InteractionParams }>, reply: FastifyReply) {
  const { provider } = await issuer.provider();
  const details = await provider.interactionDetails(req.raw, reply.raw).catch(fromProviderError);
  if (details.uid !== req.params.uid) {
    throw new LabError(400, 'invalid_request', 'this sign-in page is out of date (another sign-in started since); start again from the client');
  }
  return { provider, details };
}

/** The fastify request of each raw request handed to oidc-provider, so its server errors reach the log. */
const forwarded = new WeakMap<object, FastifyRequest>();
const watched = new WeakSet<Provider>();

/** oidc-provider answers its own errors (500 `server_error`); its event brings the stack to the server's log. */
function logProviderErrors(provider: Provider): void {
  if (watched.has(provider)) return;
  watched.add(provider);
  provider.on('server_error', (ctx: { req: object }, err: unknown) => {
    const req = forwarded.get(ctx.req);
    if (req) logServerError(req, err, 'oidc-provider failed');
  });
}

/** Hands the raw request to the issuer's oidc-provider, with the `/issuers/<name>` prefix stripped. */
async function forwardToProvider(issuer: IssuerRuntime, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > PROVIDER_BODY_LIMIT) {
    throw new LabError(413, 'payload_too_large', `request body is ${length} bytes; the OIDC endpoints read at most ${PROVIDER_BODY_LIMIT}`);
  }
  const { provider, handler } = await issuer.provider();
  logProviderErrors(provider);
  forwarded.set(req.raw, req);
  const prefix = `/issuers/${issuer.name}`;
  const raw = req.raw as typeof req.raw & { originalUrl?: string };
  raw.originalUrl = raw.url;
  raw.url = raw.url!.slice(prefix.length) || '/';
  reply.hijack();
  handler(raw, reply.raw);
}

const parseForm = (body: string) => Object.fromEntries(new URLSearchParams(body));

/** OIDC flows (through oidc-provider), the login page, discovery and JWKS with faults (answered by the lab itself), and mint. */
export async function issuerRoutes(app: FastifyInstance): Promise<void> {
  app.get('/issuers', async (req) => ({
    issuers: [...req.server.lab.issuers.values()].map((i) => ({
      name: i.name,
      issuer: i.url,
      discovery: i.discoveryUrl,
      jwks_uri: i.jwksUrl,
      description: i.config.description ?? null,
    })),
  }));

  app.get<{ Params: NameParams }>('/issuers/:name/.well-known/openid-configuration', async (req, reply) => {
    const issuer = issuerOf(req);
    if (await applyFault(issuer.faults.for('discovery'), reply)) return reply;
    // The document the issuer's oidc-provider would answer, with its open CORS headers
    // (lib/shared/cors.js), without building the provider: issuer-discovery.ts.
    return reply
      .header('vary', 'Origin')
      .header('access-control-allow-origin', req.headers.origin || '*')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(issuerDiscovery(issuer.config, issuer.url)));
  });

  app.get<{ Params: NameParams }>('/issuers/:name/jwks', async (req, reply) => {
    const issuer = issuerOf(req);
    if (await applyFault(issuer.faults.for('jwks'), reply)) return reply;
    return reply.header('content-type', 'application/jwk-set+json; charset=utf-8').header('cache-control', 'no-store').send(await issuer.publicJwks());
  });

  app.post<{ Params: NameParams; Body: unknown }>('/issuers/:name/mint', { preHandler: localOnly }, async (req) => {
    const issuer = issuerOf(req);
    try {
      // No body at all mints the default token; anything else must be a mint request object.
      return await mintToken(issuer.mintSource(), req.body as MintRequest, req.server.lab.clock);
    } catch (err) {
      if (err instanceof MintError) throw new LabError(400, err.code, err.message);
      throw err;
    }
  });

  // The login page and its forms (urlencoded bodies, parsed here).
  await app.register(async (forms) => {
    forms.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, parseForm(body as string));
    });

    forms.get<{ Params: InteractionParams }>('/issuers/:name/interaction/:uid', async (req, reply) => {
      const issuer = issuerOf(req);
      const { details } = await interactionOf(issuer, req, reply);
      const scopes = String(details.params.scope ?? '').split(' ').filter(Boolean);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(
        loginPage({
          issuerName: issuer.name,
          description: issuer.config.description,
          clientId: String(details.params.client_id),
          scopes,
          users: issuer.config.users,
          action: `/issuers/${issuer.name}/interaction/${req.params.uid}`,
        }),
      );
    });

    // Both forms record the result, then send the browser back to the authorization endpoint (303).
    forms.post<{ Params: InteractionParams; Body: Record<string, string> }>('/issuers/:name/interaction/:uid/login', { preHandler: sameOriginForm }, async (req, reply) => {
      const issuer = issuerOf(req);
      const sub = req.body?.sub;
      if (!sub || !issuer.config.users.some((u) => u.sub === sub)) {
        throw new LabError(400, 'unknown_user', `issuer "${issuer.name}" has no user with sub "${sub ?? ''}"`);
      }
      const { provider } = await interactionOf(issuer, req, reply);
      const returnTo = await provider
        .interactionResult(req.raw, reply.raw, { login: { accountId: sub } }, { mergeWithLastSubmission: false })
        .catch(fromProviderError);
      return reply.redirect(returnTo, 303);
    });

    forms.post<{ Params: InteractionParams }>('/issuers/:name/interaction/:uid/abort', { preHandler: sameOriginForm }, async (req, reply) => {
      const issuer = issuerOf(req);
      const { provider } = await interactionOf(issuer, req, reply);
      const returnTo = await provider
        .interactionResult(
          req.raw,
          reply.raw,
          { error: 'access_denied', error_description: 'the user cancelled the sign-in' },
          { mergeWithLastSubmission: false },
        )
        .catch(fromProviderError);
      return reply.redirect(returnTo, 303);
    });
  });

  // Everything else under an issuer is oidc-provider's: the body stays unread for it to parse.
  await app.register(async (oidc) => {
    oidc.removeAllContentTypeParsers();
    oidc.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const forward = async (req: FastifyRequest<{ Params: NameParams }>, reply: FastifyReply) => forwardToProvider(issuerOf(req), req, reply);
    oidc.all('/issuers/:name/*', forward);
  });
}
