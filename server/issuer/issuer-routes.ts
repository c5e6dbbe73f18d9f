import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IssuerRuntime } from './issuer-runtime.js';
import { LabError } from '../lab/lab-error.js';
import { localOnly } from '../lab/local-only.js';
import { applyFault } from './faults/apply-fault.js';
import { loginPage } from './login/login-page.js';
import { mintToken, MintError, type MintRequest } from './mint/mint-token.js';

type NameParams = { name: string };

export function issuerOf(req: FastifyRequest<{ Params: NameParams }>): IssuerRuntime {
  const { issuers } = req.server.lab;
  const issuer = issuers.get(req.params.name);
  if (!issuer) {
    throw new LabError(404, 'unknown_issuer', `no issuer named "${req.params.name}"; configured issuers: ${[...issuers.keys()].join(', ') || 'none'}`);
  }
  return issuer;
}

/** Hands the raw request to the issuer's oidc-provider, with the `/issuers/<name>` prefix stripped. */
async function forwardToProvider(issuer: IssuerRuntime, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { handler } = await issuer.provider();
  const prefix = `/issuers/${issuer.name}`;
  const raw = req.raw as typeof req.raw & { originalUrl?: string };
  raw.originalUrl = raw.url;
  raw.url = raw.url!.slice(prefix.length) || '/';
  reply.hijack();
  handler(raw, reply.raw);
}

const parseForm = (body: string) => Object.fromEntries(new URLSearchParams(body));

/** OIDC flows (through oidc-provider), the login page, discovery and JWKS with faults, and mint. */
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
    return forwardToProvider(issuer, req, reply);
  });

  app.get<{ Params: NameParams }>('/issuers/:name/jwks', async (req, reply) => {
    const issuer = issuerOf(req);
    if (await applyFault(issuer.faults.for('jwks'), reply)) return reply;
    return reply.header('content-type', 'application/jwk-set+json; charset=utf-8').header('cache-control', 'no-store').send(await issuer.publicJwks());
  });

  app.post<{ Params: NameParams; Body: MintRequest }>('/issuers/:name/mint', { preHandler: localOnly }, async (req) => {
    const issuer = issuerOf(req);
    const body = req.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) throw new LabError(400, 'invalid_mint_request', 'expected a JSON object');
    try {
      return await mintToken(issuer.mintSource(), body, req.server.lab.clock);
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

    forms.get<{ Params: NameParams & { uid: string } }>('/issuers/:name/interaction/:uid', async (req, reply) => {
      const issuer = issuerOf(req);
      const { provider } = await issuer.provider();
      const details = await provider.interactionDetails(req.raw, reply.raw);
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

    forms.post<{ Params: NameParams & { uid: string }; Body: Record<string, string> }>('/issuers/:name/interaction/:uid/login', async (req, reply) => {
      const issuer = issuerOf(req);
      const sub = req.body?.sub;
      if (!sub || !issuer.config.users.some((u) => u.sub === sub)) {
        throw new LabError(400, 'unknown_user', `issuer "${issuer.name}" has no user with sub "${sub ?? ''}"`);
      }
      const { provider } = await issuer.provider();
      reply.hijack();
      await provider.interactionFinished(req.raw, reply.raw, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
    });

    forms.post<{ Params: NameParams & { uid: string } }>('/issuers/:name/interaction/:uid/abort', async (req, reply) => {
      const issuer = issuerOf(req);
      const { provider } = await issuer.provider();
      reply.hijack();
      await provider.interactionFinished(
        req.raw,
        reply.raw,
        { error: 'access_denied', error_description: 'the user cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
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
