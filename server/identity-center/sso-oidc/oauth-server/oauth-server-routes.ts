import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { writeLabHeaders } from '../../../aws/protocols/lab-reason-header.js';
import type { ExchangeOutcome, RunFailure } from '../sso-oidc.js';
import { AUTHORIZE_FLOW, AUTHORIZE_SIGN_IN_FLOW, VERIFICATION_DECISION_FLOW, VERIFICATION_FLOW } from '../grants/grant-pipelines.js';
import { authorizeParamEntries, readAuthorizeParams, type AuthorizeRequest } from './authorize-request.js';
import { crossSiteSource } from '../../../security/same-origin.js';
import { authorizeLoginPage, deviceApprovalPage, deviceCodeEntryPage, deviceDonePage, portalStartPage, refusalPage } from './oauth-pages.js';

type Params = { id?: string };

/** Headers every page and redirect of the OAuth server carries: never cached, never leaking a code in Referer. */
function pageHeaders(reply: FastifyReply, outcome?: ExchangeOutcome<unknown>): FastifyReply {
  reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
  return writeLabHeaders(reply, { reason: outcome?.failure, exchangeId: outcome?.entry?.id });
}

const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).header('content-type', 'text/html; charset=utf-8').send(body);

/** The form body as URLSearchParams (this plugin parses forms as text). */
const formOf = (req: FastifyRequest) => new URLSearchParams(typeof req.body === 'string' ? req.body : '');

/**
 * A refused authorization request (RFC 6749 §4.1.2.1): once the redirect URI is known to be
 * registered, and the profile's status for the failure is a redirect, the error goes back to the
 * client (`error`, `error_description` if the profile has one, `state`); otherwise the user sees a
 * page, with the profile's status.
 */
function authorizeRefused(reply: FastifyReply, authorize: AuthorizeRequest, outcome: ExchangeOutcome<unknown> & { failure: RunFailure }): FastifyReply {
  const { behaviour } = outcome.failure;
  pageHeaders(reply, outcome);
  const { redirectUri } = outcome.ctx;
  if (redirectUri !== undefined && behaviour.status >= 300 && behaviour.status < 400) {
    const target = new URL(redirectUri);
    target.searchParams.append('error', behaviour.error);
    if (behaviour.error_description) target.searchParams.append('error_description', behaviour.error_description);
    if (authorize.params.state !== undefined) target.searchParams.append('state', authorize.params.state);
    return reply.code(behaviour.status).header('location', target.href).send();
  }
  const page = refusalPage({ title: 'Sign-in refused', error: behaviour.error, ...(behaviour.error_description ? { description: behaviour.error_description } : {}), ...(outcome.entry ? { exchangeId: outcome.entry.id } : {}) });
  return html(reply, behaviour.status >= 400 ? behaviour.status : 400, page);
}

/**
 * The OAuth server's browser-facing pages:
 *
 * - the authorize endpoint, at `/authorize` (where the real regional endpoint has it, and where
 *   RegisterClient's authorizationEndpoint points) and at `/identity-center/<ssoins-…>/authorize`
 *   (instance-scoped; the instance's discovery document names it): GET shows the login page, the
 *   login form POSTs back to the same path and is redirected to the client with a code;
 * - the device verification page, `/device`, and the access portal's `/start/` whose `#/device`
 *   route leads there (StartDeviceAuthorization's verificationUri, `/start/#/device`, as the real one).
 *
 * Every request runs as a list of named steps and is logged in the exchange log, like a token request.
 */
export async function oauthServerRoutes(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));

  const authorize = async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const { lab } = req.server;
    const post = req.method === 'POST';
    const search = post ? formOf(req) : new URL(req.url, 'http://lab').searchParams;
    const request: AuthorizeRequest = { ...readAuthorizeParams(search), ...(req.params.id ? { pathInstanceId: req.params.id } : {}) };
    if (post) {
      const userId = search.get('user_id');
      const crossSite = crossSiteSource(req.headers);
      request.form = { decision: search.get('decision') === 'deny' ? 'deny' : 'approve', ...(userId ? { userId } : {}), ...(crossSite ? { crossSite } : {}) };
    }
    const input = { authorize: request, baseUrl: lab.baseUrl() };
    if (post) {
      const outcome = await lab.ssoOidc.perform('Authorize', AUTHORIZE_SIGN_IN_FLOW, input);
      if (outcome.failure) return authorizeRefused(reply, request, outcome);
      pageHeaders(reply, outcome);
      const target = new URL(outcome.ctx.redirectUri);
      target.searchParams.append('code', outcome.ctx.issuedCode.value);
      if (request.params.state !== undefined) target.searchParams.append('state', request.params.state);
      return reply.code(302).header('location', target.href).send();
    }
    const outcome = await lab.ssoOidc.perform('Authorize', AUTHORIZE_FLOW, input);
    if (outcome.failure) return authorizeRefused(reply, request, outcome);
    pageHeaders(reply, outcome);
    const { ctx } = outcome;
    const client = ctx.authorizeClient;
    return html(
      reply,
      200,
      authorizeLoginPage({
        action: new URL(req.url, 'http://lab').pathname,
        fields: authorizeParamEntries(request),
        clientKind: client.kind,
        clientName: client.name,
        clientId: client.id,
        instance: ctx.instance,
        store: ctx.identityStore,
        redirectUri: ctx.redirectUri,
        ...(ctx.requestedScopes ? { scopes: ctx.requestedScopes } : {}),
        ...(client.application ? { application: client.application } : {}),
      }),
    );
  };
  for (const path of ['/authorize', '/identity-center/:id/authorize']) {
    app.get(path, authorize);
    app.post(path, authorize);
  }

  const verificationRefused = (reply: FastifyReply, outcome: ExchangeOutcome<unknown> & { failure: RunFailure }) => {
    const { behaviour } = outcome.failure;
    pageHeaders(reply, outcome);
    const page = refusalPage({ title: 'Device not authorized', error: behaviour.error, ...(behaviour.error_description ? { description: behaviour.error_description } : {}), ...(outcome.entry ? { exchangeId: outcome.entry.id } : {}) });
    return html(reply, behaviour.status >= 400 ? behaviour.status : 400, page);
  };

  for (const path of ['/start', '/start/']) app.get(path, async (_req, reply) => html(pageHeaders(reply), 200, portalStartPage()));

  app.get('/device', async (req, reply) => {
    const userCode = new URL(req.url, 'http://lab').searchParams.get('user_code');
    if (!userCode) return html(pageHeaders(reply), 200, deviceCodeEntryPage('/device'));
    const outcome = await req.server.lab.ssoOidc.perform('DeviceVerification', VERIFICATION_FLOW, { verification: { userCode }, baseUrl: req.server.lab.baseUrl() });
    if (outcome.failure) return verificationRefused(reply, outcome);
    const { ctx } = outcome;
    return html(pageHeaders(reply, outcome), 200, deviceApprovalPage({ action: '/device', userCode: ctx.device.userCode, clientName: ctx.publicClient?.clientName ?? ctx.device.client.id, instance: ctx.instance, store: ctx.identityStore }));
  });

  app.post('/device', async (req, reply) => {
    const form = formOf(req);
    const userCode = form.get('user_code') ?? undefined;
    const userId = form.get('user_id') ?? undefined;
    const decision = form.get('decision') === 'deny' ? 'deny' : 'approve';
    const crossSite = crossSiteSource(req.headers);
    const outcome = await req.server.lab.ssoOidc.perform('DeviceVerification', VERIFICATION_DECISION_FLOW, {
      verification: { decision, ...(userCode !== undefined ? { userCode } : {}), ...(userId !== undefined ? { userId } : {}), ...(crossSite ? { crossSite } : {}) },
      baseUrl: req.server.lab.baseUrl(),
    });
    if (outcome.failure) return verificationRefused(reply, outcome);
    const { ctx } = outcome;
    return html(pageHeaders(reply, outcome), 200, deviceDonePage(decision === 'approve', ctx.device.userCode, ctx.user?.UserName));
  });
}
