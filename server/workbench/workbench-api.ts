import type { FastifyInstance } from 'fastify';
import { decodeJwt } from '../identity-center/sso-oidc/exchange/decode-jwt.js';
import type { TraceEntry } from '../identity-center/sso-oidc/exchange/trace.js';
import type { TokenResponse } from '../identity-center/sso-oidc/tokens/token-service.js';
import type { CredentialRecord } from '../aws/aws-credentials.js';
import type { LabServices } from '../lab/lab-services.js';
import { LabError } from '../lab/lab-error.js';
import { localOnly } from '../lab/local-only.js';
import { checkRequest, requestObject } from '../lab/check-request.js';
import { list, oneOf, optional, required, string } from '../config/schema.js';
import { JWT_BEARER } from '../explain/explain-token.js';
import { failureView, type FailureView } from '../explain/explain-report.js';
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

/** What each JSON route accepts: checked by checkRequest after localOnly and sameOrigin; a bad one is a 400 naming the field. */
type ExchangeBody = { token: string; applicationArn: string; scope?: string[]; accessKeyId?: string };
const exchangeBody = requestObject<ExchangeBody>({
  token: required(string({ min: 1, expected: 'the JWT as a string' })),
  applicationArn: required(string({ min: 1, expected: 'the application ARN (the clientId of CreateTokenWithIAM)' })),
  scope: optional(list(string({ min: 1, expected: 'a scope string' }), { expected: 'a list of scope strings' })),
  accessKeyId: optional(string({ expected: 'an access key id' })),
}, { expected: 'a JSON object {"token": "<jwt>", "applicationArn": "<arn>"}' });
type RolesQuery = { accessKeyId?: string };
const rolesQuery = requestObject<RolesQuery>({ accessKeyId: optional(string({ expected: 'an access key id' })) }, { expected: 'query parameter accessKeyId' });
type AssumeRoleBody = { identityContext: string; roleArn: string; roleSessionName?: string; accessKeyId?: string };
const assumeRoleBody = requestObject<AssumeRoleBody>({
  identityContext: required(string({ pattern: /\S/, expected: "the identity context as a string (awsAdditionalDetails.identityContext of a successful exchange, the idToken's sts:identity_context claim)" })),
  roleArn: required(string({ min: 1, expected: "the ARN of one of the lab's roles (aws.roles)" })),
  roleSessionName: optional(string({ expected: 'a string of 2 to 64 characters [\\w+=,.@-]' })),
  accessKeyId: optional(string({ expected: 'an access key id' })),
}, { expected: 'a JSON object {"roleArn": "<arn>", "identityContext": "<awsAdditionalDetails.identityContext>"}' });

type GetDataAccessBody = { accessKeyId: string; target: string; permission: 'READ' | 'WRITE' | 'READWRITE'; privilege?: 'Default' | 'Minimal' };
const getDataAccessBody = requestObject<GetDataAccessBody>({
  accessKeyId: required(string({ min: 1, expected: "the access key id of the AssumeRole step's session" })),
  target: required(string({ pattern: /^s3:\/\//, expected: 'an S3 path, s3://<bucket>/<prefix or key>' })),
  permission: required(oneOf(['READ', 'WRITE', 'READWRITE'] as const)),
  privilege: optional(oneOf(['Default', 'Minimal'] as const)),
}, { expected: 'a JSON object {"accessKeyId": "<the AssumeRole session\'s key>", "target": "s3://bucket/prefix", "permission": "READ"}' });

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

  app.post<{ Body: ExchangeBody }>('/_lab/workbench/exchange', { preHandler: [localOnly, sameOrigin, checkRequest({ body: exchangeBody, code: 'invalid_exchange_request' })] }, async (req): Promise<WorkbenchExchange> => {
    const { token, applicationArn, scope, accessKeyId } = req.body;
    const { lab } = req.server;
    const caller = callerFor(lab, accessKeyId);
    const outcome = await lab.ssoOidc.run(
      { clientId: applicationArn, grantType: JWT_BEARER, assertion: token, ...(scope ? { scope } : {}) },
      { principal: { accessKeyId: caller.accessKeyId, accountId: caller.accountId, arn: caller.arn } },
    );
    const answer: WorkbenchExchange = { outcome: outcome.failure ? 'failure' : 'success', entryId: outcome.entry?.id ?? null, caller: caller.arn, trace: outcome.trace };
    if (outcome.failure) {
      answer.failure = failureView(outcome.failure);
    } else if (outcome.result) {
      answer.result = { ...outcome.result, idTokenClaims: decodeJwt(outcome.result.idToken).payload };
    }
    return answer;
  });

  app.get<{ Querystring: RolesQuery }>('/_lab/workbench/roles', { preHandler: [localOnly, checkRequest({ query: rolesQuery, code: 'invalid_query' })] }, async (req): Promise<{ caller: string; roles: RoleChoice[] }> => {
    const caller = callerFor(req.server.lab, req.query.accessKeyId);
    return { caller: caller.arn, roles: roleChoices(req.server.lab, caller) };
  });

  app.post<{ Body: AssumeRoleBody }>('/_lab/workbench/assume-role', { preHandler: [localOnly, sameOrigin, checkRequest({ body: assumeRoleBody, code: 'invalid_assume_role_request' })] }, async (req, reply): Promise<WorkbenchAssumeRole> => {
    const { roleArn, identityContext, roleSessionName, accessKeyId } = req.body;
    const { lab } = req.server;
    if (!lab.config.aws.roles.some((r) => r.arn === roleArn)) {
      const known = lab.config.aws.roles.map((r) => r.arn);
      throw new LabError(404, 'unknown_role', `roleArn: ${roleArn} is not one of the lab's roles (aws.roles): ${known.join(', ') || 'none are configured; declare one under aws.roles (docs/configuration.md)'}`);
    }
    const caller = callerFor(lab, accessKeyId);
    const answer = await assumeRoleStep(lab, caller, { roleArn, identityContext: identityContext.trim(), roleSessionName: roleSessionName ?? 'workbench' });
    // A refusal answers with STS's own status (403 AccessDenied, 400 InvalidContextAssertion …), the lab's reason in the body.
    if (answer.failure) reply.code(answer.failure.status);
    return answer;
  });

  app.post<{ Body: GetDataAccessBody }>('/_lab/workbench/get-data-access', { preHandler: [localOnly, sameOrigin, checkRequest({ body: getDataAccessBody, code: 'invalid_get_data_access_request' })] }, async (req, reply): Promise<WorkbenchGetDataAccess> => {
    const { accessKeyId, target, permission, privilege } = req.body;
    const answer = await getDataAccessStep(req.server.lab, { accessKeyId, target, permission, ...(privilege ? { privilege } : {}) });
    if (answer.failure) reply.code(answer.failure.status);
    return answer;
  });
}
