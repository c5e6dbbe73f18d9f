import { createRequire } from 'node:module';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { LabServices } from '../lab/lab-services.js';
import { LabError } from '../lab/lab-error.js';
import { writeLabHeaders } from '../aws/protocols/lab-reason-header.js';
import { issuerRoutes } from '../issuer/issuer-routes.js';
import { controlRoutes } from '../control/control-routes.js';
import { awsEndpoint } from '../aws/aws-endpoint.js';
import { instanceIssuerRoutes } from '../identity-center/sso-oidc/instance-issuer-routes.js';
import { workbenchRoutes } from '../workbench/workbench-routes.js';
import { oauthServerRoutes } from '../identity-center/sso-oidc/oauth-server/oauth-server-routes.js';
import { clientErrorHandler } from '../security/client-error-handler.js';
import { frameworkErrors } from '../security/framework-errors.js';
import { limitJsonDepth } from '../security/limit-json-depth.js';
import { redactParameters } from '../security/redact.js';
import { logServerError, serverErrorLog, type LogDestination } from '../log/server-error-log.js';
import { checkHost } from '../security/allowed-hosts.js';

export interface BuildAppOptions {
  https?: { key: string | Buffer; cert: string | Buffer } | null;
  /** Largest request body accepted, bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** The server's log: every 5xx answer is written here with its error's stack. Default stderr. */
  log?: LogDestination;
}

/**
 * The lab's own routes' error model, in one place: a LabError as it is; fastify's own client errors
 * (bad JSON, body too large, unsupported media type …) as the LabError they are; anything else is
 * the lab's bug (undefined: logged, answered as internal_error with nothing of it on the wire).
 */
function labErrorOf(err: unknown): LabError | undefined {
  if (err instanceof LabError) return err;
  const e = err as { statusCode?: number; code?: string; message: string };
  if (!e.statusCode || e.statusCode < 400 || e.statusCode >= 500) return undefined;
  const code = e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'payload_too_large' : e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type' : 'invalid_request';
  return new LabError(e.statusCode, code, e.message);
}

const ISSUER_PATH = /^\/issuers\/([^/?]+)/;

const requireHere = createRequire(import.meta.url);
type CompilerFactory = (...args: unknown[]) => unknown;
const loaded = new Map<string, CompilerFactory>();
/** A fastify schema compiler factory that loads its package on the first route with a schema. */
const loadOnUse =
  (pkg: string): CompilerFactory =>
  (...args) => {
    let factory = loaded.get(pkg);
    if (!factory) loaded.set(pkg, (factory = (requireHere(pkg) as () => CompilerFactory)()));
    return factory(...args);
  };
/**
 * fastify's own compilers (ajv, fast-json-stringify), loaded only if a route declares a schema, which
 * none of the lab's does: fastify otherwise loads both when it is created, and with their
 * dependencies they were a fifth of the CLI bundle (docs/benchmarks.md; scripts/bundle-cli.ts
 * leaves them out of it).
 */
const SCHEMA_CONTROLLER = {
  compilersFactory: { buildValidator: loadOnUse('@fastify/ajv-compiler'), buildSerializer: loadOnUse('@fastify/fast-json-stringify-compiler') },
} as unknown as FastifyServerOptions['schemaController'];

/**
 * The lab as a fastify instance, not yet listening: tests call `inject()` on it, startLab listens.
 * Each feature is a plugin; the services they share are decorated as `app.lab`.
 */
export async function buildApp(services: LabServices, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const serverOpts: FastifyServerOptions & { https?: unknown } = {
    // Errors only (no per-request lines): every 5xx answer, with its stack (server/log/server-error-log.ts).
    logger: { level: 'error', stream: opts.log ?? process.stderr },
    // Through a LogController: the top-level disableRequestLogging option is deprecated (FSTDEP023), and
    // fastify printed that warning on every start (docs/benchmarks.md).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    forceCloseConnections: true,
    return503OnClosing: true,
    requestTimeout: 120_000,
    clientErrorHandler,
    frameworkErrors,
    schemaController: SCHEMA_CONTROLLER,
  };
  if (opts.https) serverOpts.https = opts.https;
  const app = Fastify(serverOpts) as unknown as FastifyInstance;
  app.decorate('lab', services);
  limitJsonDepth(app);
  serverErrorLog(app);
  // DNS rebinding: a Host the lab does not answer is refused on every route, before anything runs.
  app.addHook('onRequest', checkHost);

  // Request log: every request to an issuer, whoever answers it (fastify or oidc-provider).
  app.addHook('onRequest', async (req, reply) => {
    const match = ISSUER_PATH.exec(req.url);
    if (!match) return;
    const started = performance.now();
    const url = new URL(req.url, 'http://lab');
    reply.raw.once('close', () => {
      services.requestLog.record({
        issuer: decodeURIComponent(match[1]!),
        method: req.method,
        path: url.pathname,
        query: redactParameters(Object.fromEntries(url.searchParams)),
        status: reply.raw.headersSent ? reply.raw.statusCode : 0,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      });
    });
  });

  app.setErrorHandler(async (err, req, reply) => {
    const labErr = labErrorOf(err);
    if (!labErr) logServerError(req, err, 'request failed');
    const answer = labErr ?? new LabError(500, 'internal_error', 'the lab failed to handle this request; see its log');
    writeLabHeaders(reply, { reason: answer.labReason('request') });
    return reply.code(answer.statusCode).send(answer.toJSON());
  });

  app.setNotFoundHandler(async (req, reply) =>
    reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}; see GET / for what the lab serves` }),
  );

  app.get('/', async (req) => ({
    name: 'tti-lab',
    issuers: [...req.server.lab.issuers.values()].map((i) => i.url),
    control: `${req.server.lab.baseUrl()}/_lab`,
  }));

  await app.register(issuerRoutes);
  await app.register(controlRoutes);
  await app.register(instanceIssuerRoutes);
  await app.register(oauthServerRoutes);
  await app.register(awsEndpoint);
  await app.register(workbenchRoutes);
  return app;
}
