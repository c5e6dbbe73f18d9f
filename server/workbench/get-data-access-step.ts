import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws/aws-error.js';
import type { AwsCallContext } from '../aws/aws-registry.js';
import { runOperation } from '../aws/model/model-service.js';
import { formatLabReason } from '../aws/protocols/lab-reason-header.js';
import type { TraceEntry } from '../identity-center/sso-oidc/exchange/trace.js';
import type { LabServices } from '../lab/lab-services.js';
import { LabError } from '../lab/lab-error.js';
import { withDocumentedErrors } from '../s3-access-grants/s3-control-service.js';

/** What `POST /_lab/workbench/get-data-access` answers. */
export interface WorkbenchGetDataAccess {
  outcome: 'success' | 'refused';
  /** The session GetDataAccess was signed with (the AssumeRole step's). */
  caller: string;
  target: string;
  permission: string;
  /** GetDataAccess's steps: the grants weighed and why (as the exchange log keeps them). */
  trace: TraceEntry[];
  failure?: { key: string; exception: string; status: number; message: string; labReason: string };
  /** The vended credentials' public part: the secret and the session token are never shown. */
  result?: { matchedGrantTarget: string; grantee: unknown; accessKeyId: string; expiration: string; scope: string };
}

/**
 * S3 Access Grants GetDataAccess run in-process through the lab's own S3 Control operation, signed
 * with an identity-enhanced session the workbench's AssumeRole step made (named by its access key
 * id: the secret stays in the lab). A refusal the service explains is an answer, with its trace.
 */
export async function getDataAccessStep(lab: LabServices, input: { accessKeyId: string; target: string; permission: string; privilege?: string }): Promise<WorkbenchGetDataAccess> {
  const session = lab.aws.credentials.lookup(input.accessKeyId);
  if (!session?.sessionToken) throw new LabError(404, 'unknown_session', `accessKeyId: ${input.accessKeyId} is not a session this lab's STS issued; run the AssumeRole step first`);
  if (lab.aws.credentials.isExpired(session)) throw new LabError(409, 'session_expired', `the session ${input.accessKeyId} has expired; run the exchange and AssumeRole again`);
  const ctx: AwsCallContext = { principal: session, region: lab.aws.region, requestId: randomUUID(), lab };
  const service = withDocumentedErrors(lab.ssoOidc.profile);
  const raw = { AccountId: session.accountId, Target: input.target, Permission: input.permission, ...(input.privilege ? { Privilege: input.privilege } : {}) };
  const base = { caller: session.arn, target: input.target, permission: input.permission };
  const lastTrace = () => lab.ssoOidc.exchanges.list({ limit: 1 }).find((e) => e.operation === 'GetDataAccess' && e.caller === session.arn)?.trace ?? [];
  try {
    const out = (await runOperation(service, 'GetDataAccess', raw, ctx)) as { Credentials: { AccessKeyId: string; Expiration: Date }; MatchedGrantTarget: string; Grantee: unknown };
    const vended = lab.aws.credentials.lookup(out.Credentials.AccessKeyId)?.sessionContext?.['lab:access_grants'] as { scope?: string } | undefined;
    return {
      outcome: 'success',
      ...base,
      trace: lastTrace(),
      result: { matchedGrantTarget: out.MatchedGrantTarget, grantee: out.Grantee, accessKeyId: out.Credentials.AccessKeyId, expiration: out.Credentials.Expiration.toISOString(), scope: vended?.scope ?? out.MatchedGrantTarget },
    };
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    if (err.type === 'ValidationException') throw new LabError(400, 'invalid_get_data_access_request', `GetDataAccess refused the request as malformed: ${err.message}`);
    const key = (err.detail ?? '').split(':')[0] ?? '';
    return { outcome: 'refused', ...base, trace: lastTrace(), failure: { key, exception: err.type, status: err.status, message: err.message, labReason: formatLabReason({ step: 'GetDataAccess', reason: err.detail ?? err.message }) } };
  }
}
