import type { FastifyInstance } from 'fastify';
import { decodeJwt } from '../identity-center/sso-oidc/exchange/decode-jwt.js';
import type { TraceEntry } from '../identity-center/sso-oidc/exchange/trace.js';
import type { TokenResponse } from '../identity-center/sso-oidc/tokens/token-service.js';
import type { CredentialRecord } from '../aws/aws-credentials.js';
import type { LabServices } from '../lab/lab-services.js';
import { LabError } from '../lab/lab-error.js';
import { localOnly } from '../lab/local-only.js';
import { JWT_BEARER } from '../explain/explain-token.js';
import type { FailureView } from '../explain/explain-report.js';
import { labOverview } from './lab-overview.js';
import { sameOrigin } from '../security/same-origin.js';
import { assumeRoleStep, type WorkbenchAssumeRole } from './assume-role-step.js';
import { roleChoices, type RoleChoice } from './role-choices.js';
import { getDataAccessStep, type WorkbenchGetDataAccess } from './get-data-access-step.js';

/** What `POST /_lab/workbench/exchange` answers. */
export interface WorkbenchExchange {
  outcome: 'success' | 'failure';
  /** The exchange log entry (`GET /_lab/exchanges/<id>`). */
  entryId: string | null;
  /** The principal the exchange was signed as. */
  caller: string;
  trace: TraceEntry[];
  failure?: FailureView;
  /** CreateTokenWithIAM's response, and the idToken's claims decoded. */
  result?: TokenResponse & { idTokenClaims: Record<string, unknown> };
}

const bad = (message: string) => new LabError(400, 'invalid_exchange_request', message);
const badAssume = (message: string) => new LabError(400, 'invalid_assume_role_request', message);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The credentials a workbench exchange is signed with: `accessKeyId` if given, else test/test, else the first configured principal. */
function callerFor(lab: LabServices, accessKeyId: string | undefined): CredentialRecord {
  const known = [...(lab.config.aws.default_credentials ? ['test'] : []), ...lab.config.aws.principals.map((p) => p.access_key_id)];
  const id = accessKeyId ?? known[0];
  const record = id !== undefined && known.includes(id) ? lab.aws.credentials.lookup(id) : undefined;
  if (!record) {
    throw new LabError(
      409,
      'no_caller',
      accessKeyId === undefined
        ? 'the lab accepts no long-term credentials to sign the exchange with: enable aws.default_credentials or declare aws.principals'
        : `accessKeyId: expected one of the lab's long-term access keys (${known.join(', ') || 'none'})`,
    );
  }
  return record;
}

/**
 * The workbench's JSON routes, local-only: `GET /_lab/workbench/overview` (the lab's issuers and
 * Identity Center setup), `POST /_lab/workbench/exchange` (CreateTokenWithIAM run for real
 * through SsoOidc, signed as one of the lab's principals: it is logged in the exchange log and
 * spends the assertion, exactly as an SDK call would), `GET /_lab/workbench/roles` (aws.roles, for
 * the next step) and `POST /_lab/workbench/assume-role` (STS AssumeRole run in-process with the
 * exchange's identity context: a new identity-enhanced session, or STS's refusal with the lab's
 * reason, answered with STS's own status), and `POST /_lab/workbench/get-data-access` (S3 Access
 * Grants GetDataAccess run in-process with that session: the matched grant and the vended key, or
 * the refusal, with the grants weighed).
 */
export async function workbenchApi(app: FastifyInstance): Promise<void> {
  app.get('/_lab/workbench/overview', { preHandler: localOnly }, async (req) => labOverview(req.server.lab));

  app.post<{ Body: unknown }>('/_lab/workbench/exchange', { preHandler: [localOnly, sameOrigin] }, async (req): Promise<WorkbenchExchange> => {
    const body = req.body;
    if (!isObject(body)) throw bad('expected a JSON object {"token": "<jwt>", "applicationArn": "<arn>"}');
    for (const key of Object.keys(body)) {
      if (!['token', 'applicationArn', 'scope', 'accessKeyId'].includes(key)) throw bad(`${key}: unknown field; expected token, applicationArn, scope, accessKeyId`);
    }
    const { token, applicationArn, scope, accessKeyId } = body;
    if (typeof token !== 'string' || token === '') throw bad('token: expected the JWT as a string');
    if (typeof applicationArn !== 'string' || applicationArn === '') throw bad('applicationArn: expected the application ARN (the clientId of CreateTokenWithIAM)');
    if (scope !== undefined && (!Array.isArray(scope) || !scope.every((s) => typeof s === 'string' && s !== ''))) throw bad('scope: expected a list of scope strings');
    if (accessKeyId !== undefined && typeof accessKeyId !== 'string') throw bad('accessKeyId: expected an access key id');
    const { lab } = req.server;
    const caller = callerFor(lab, accessKeyId as string | undefined);
    const outcome = await lab.ssoOidc.exchange(
      { clientId: applicationArn, grantType: JWT_BEARER, assertion: token, ...(scope ? { scope: scope as string[] } : {}) },
      { accessKeyId: caller.accessKeyId, accountId: caller.accountId, arn: caller.arn },
    );
    const answer: WorkbenchExchange = { outcome: outcome.failure ? 'failure' : 'success', entryId: outcome.entry?.id ?? null, caller: caller.arn, trace: outcome.trace };
    if (outcome.failure) {
      const f = outcome.failure;
      answer.failure = { step: f.step, key: f.key, reason: f.reason, ...(f.fix ? { fix: f.fix } : {}), exception: f.behaviour.exception, status: f.behaviour.status, error: f.behaviour.error };
    } else if (outcome.result) {
      answer.result = { ...outcome.result, idTokenClaims: decodeJwt(outcome.result.idToken).payload };
    }
    return answer;
  });

  app.get<{ Querystring: { accessKeyId?: string } }>('/_lab/workbench/roles', { preHandler: localOnly }, async (req): Promise<{ caller: string; roles: RoleChoice[] }> => {
    const caller = callerFor(req.server.lab, typeof req.query.accessKeyId === 'string' ? req.query.accessKeyId : undefined);
    return { caller: caller.arn, roles: roleChoices(req.server.lab, caller) };
  });

  app.post<{ Body: unknown }>('/_lab/workbench/assume-role', { preHandler: [localOnly, sameOrigin] }, async (req, reply): Promise<WorkbenchAssumeRole> => {
    const body = req.body;
    if (!isObject(body)) throw badAssume('expected a JSON object {"roleArn": "<arn>", "identityContext": "<awsAdditionalDetails.identityContext>"}');
    for (const key of Object.keys(body)) {
      if (!['roleArn', 'identityContext', 'roleSessionName', 'accessKeyId'].includes(key)) throw badAssume(`${key}: unknown field; expected roleArn, identityContext, roleSessionName, accessKeyId`);
    }
    const { roleArn, identityContext, roleSessionName, accessKeyId } = body;
    if (typeof identityContext !== 'string' || identityContext.trim() === '') {
      throw badAssume("identityContext: expected the identity context as a string (awsAdditionalDetails.identityContext of a successful exchange, the idToken's sts:identity_context claim)");
    }
    if (typeof roleArn !== 'string' || roleArn === '') throw badAssume('roleArn: expected the ARN of one of the lab\'s roles (aws.roles)');
    if (roleSessionName !== undefined && typeof roleSessionName !== 'string') throw badAssume('roleSessionName: expected a string of 2 to 64 characters [\\w+=,.@-]');
    if (accessKeyId !== undefined && typeof accessKeyId !== 'string') throw badAssume('accessKeyId: expected an access key id');
    const { lab } = req.server;
    if (!lab.config.aws.roles.some((r) => r.arn === roleArn)) {
      const known = lab.config.aws.roles.map((r) => r.arn);
      throw new LabError(404, 'unknown_role', `roleArn: ${roleArn} is not one of the lab's roles (aws.roles): ${known.join(', ') || 'none are configured; declare one under aws.roles (docs/configuration.md)'}`);
    }
    const caller = callerFor(lab, accessKeyId as string | undefined);
    const answer = await assumeRoleStep(lab, caller, { roleArn, identityContext: identityContext.trim(), roleSessionName: (roleSessionName as string | undefined) ?? 'workbench' });
    // A refusal answers with STS's own status (403 AccessDenied, 400 InvalidContextAssertion …), the lab's reason in the body.
    if (answer.failure) reply.code(answer.failure.status);
    return answer;
  });

  app.post<{ Body: unknown }>('/_lab/workbench/get-data-access', { preHandler: [localOnly, sameOrigin] }, async (req, reply): Promise<WorkbenchGetDataAccess> => {
    const body = req.body;
    const badRequest = (message: string) => new LabError(400, 'invalid_get_data_access_request', message);
    if (!isObject(body)) throw badRequest('expected a JSON object {"accessKeyId": "<the AssumeRole session\'s key>", "target": "s3://bucket/prefix", "permission": "READ"}');
    for (const key of Object.keys(body)) {
      if (!['accessKeyId', 'target', 'permission', 'privilege'].includes(key)) throw badRequest(`${key}: unknown field; expected accessKeyId, target, permission, privilege`);
    }
    const { accessKeyId, target, permission, privilege } = body;
    if (typeof accessKeyId !== 'string' || accessKeyId === '') throw badRequest("accessKeyId: expected the access key id of the AssumeRole step's session");
    if (typeof target !== 'string' || !target.startsWith('s3://')) throw badRequest('target: expected an S3 path, s3://<bucket>/<prefix or key>');
    if (permission !== 'READ' && permission !== 'WRITE' && permission !== 'READWRITE') throw badRequest('permission: expected READ, WRITE or READWRITE');
    if (privilege !== undefined && privilege !== 'Default' && privilege !== 'Minimal') throw badRequest('privilege: expected Default or Minimal');
    const answer = await getDataAccessStep(req.server.lab, { accessKeyId, target, permission, ...(privilege ? { privilege } : {}) });
    if (answer.failure) reply.code(answer.failure.status);
    return answer;
  });
}
