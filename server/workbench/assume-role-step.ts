import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws/aws-error.js';
import type { AwsQueryContext } from '../aws/aws-registry.js';
import { runOperation } from '../aws/model/model-service.js';
import { awsQueryErrorCode } from '../aws/protocols/aws-query-protocol.js';
import type { Principal } from '../aws/aws-credentials.js';
import { formatLabReason } from '../aws/protocols/lab-reason-header.js';
import { IDENTITY_CENTER_CONTEXT_PROVIDER } from '../identity-center/sts/sts-service.js';
import type { LabServices } from '../lab/lab-services.js';
import { LabError } from '../lab/lab-error.js';

/** What `POST /_lab/workbench/assume-role` answers. */
export interface WorkbenchAssumeRole {
  outcome: 'success' | 'refused';
  /** The principal the AssumeRole call was signed as. */
  caller: string;
  roleArn: string;
  roleSessionName: string;
  /** On refusal, as every lab error: the exception STS answers with, and the lab's reason. */
  error?: string;
  message?: string;
  /** STS's answer on refusal: the wire error, and the lab's reason exactly as `x-tti-lab-reason` carries it. */
  failure?: { key: string; exception: string; status: number; message: string; labReason: string; reason: string; fix?: string };
  /** The identity-enhanced session on success. The secret access key and session token are never shown. */
  result?: {
    assumedRoleArn: string;
    assumedRoleId: string;
    accessKeyId: string;
    expiration: string;
    /** `sts:identity_context` or `sts:audit_context`: which assertion the session was built from. */
    contextClaim: string | null;
    /** The session's Identity Center keys (identitystore:UserId, identitycenter:InstanceArn …). */
    sessionContext: Record<string, string>;
    /** The Identity Store user behind identitystore:UserId, when the lab knows it. */
    userName: string | null;
  };
}

/** The fix for each refusal STS can give here, by its sts_failures key in the behaviour profile. */
const FIXES: Record<string, (roleArn: string, caller: Principal) => string> = {
  'role.not_assumable': (roleArn, caller) =>
    `give ${roleArn} (aws.roles in the lab config) a trust policy statement that allows both sts:AssumeRole and sts:SetContext to ${caller.arn}, e.g. Principal {"AWS": "arn:aws:iam::${caller.accountId}:root"}, Action [sts:AssumeRole, sts:SetContext]`,
  'context.assertion_expired': () => 'exchange a fresh token: the identity context lasts as long as the access token CreateTokenWithIAM issued with it',
  'context.assertion_invalid': () => "pass awsAdditionalDetails.identityContext from this lab's CreateTokenWithIAM answer, unchanged",
  'parameter.duration_exceeds_max': (roleArn) => `ask for at most the MaxSessionDuration of ${roleArn}, or raise its max_session_duration in aws.roles`,
};

/** AssumeRole's output, as STS's handler returns it (the model's AssumeRoleResponse). */
interface AssumeRoleOutput {
  Credentials: { AccessKeyId: string; Expiration: Date };
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
}

/**
 * AssumeRole with `ProvidedContexts` = an exchange's identity context, run in-process through the
 * lab's own STS service (sts-service.ts, through runOperation: the same model, parameter, context and
 * trust-policy checks an SDK call gets), signed as `caller`. A refusal STS explains (an error with the lab's reason) is an
 * answer, not an error: it comes back with that reason and its fix. STS's request-validation errors
 * (a bad session name …) are the workbench caller's mistake: a 400.
 */
export async function assumeRoleStep(lab: LabServices, caller: Principal, input: { roleArn: string; identityContext: string; roleSessionName: string }): Promise<WorkbenchAssumeRole> {
  const sts = lab.aws.queryServices.find((s) => s.modelName === 'sts');
  if (!sts) throw new LabError(503, 'sts_missing', 'this lab registers no STS service');
  const raw = {
    RoleArn: input.roleArn,
    RoleSessionName: input.roleSessionName,
    ProvidedContexts: [{ ProviderArn: IDENTITY_CENTER_CONTEXT_PROVIDER, ContextAssertion: input.identityContext }],
  };
  const ctx: AwsQueryContext = { principal: caller, region: lab.aws.region, requestId: randomUUID(), lab };
  const base = { caller: caller.arn, roleArn: input.roleArn, roleSessionName: input.roleSessionName };
  let output: AssumeRoleOutput;
  try {
    output = (await runOperation(sts, 'AssumeRole', raw, ctx)) as AssumeRoleOutput;
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    if (!err.detail) throw new LabError(400, 'invalid_assume_role_request', `STS refused the request as malformed (${awsQueryErrorCode(err, sts.model)}): ${err.message}`);
    const colon = err.detail.indexOf(': ');
    const key = colon > 0 ? err.detail.slice(0, colon) : err.detail;
    const fix = FIXES[key]?.(input.roleArn, caller);
    const labReason = formatLabReason({ step: 'AssumeRole', reason: err.detail });
    return {
      outcome: 'refused',
      ...base,
      error: awsQueryErrorCode(err, sts.model),
      message: labReason,
      failure: {
        key,
        exception: awsQueryErrorCode(err, sts.model),
        status: err.status,
        message: err.message,
        labReason,
        reason: colon > 0 ? err.detail.slice(colon + 2) : err.detail,
        ...(fix ? { fix } : {}),
      },
    };
  }
  const accessKeyId = output.Credentials.AccessKeyId;
  const session = lab.aws.credentials.lookup(accessKeyId)?.sessionContext ?? {};
  const sessionContext: Record<string, string> = {};
  for (const [k, v] of Object.entries(session)) if (!k.startsWith('lab:') && typeof v === 'string') sessionContext[k] = v;
  const userId = sessionContext['identitystore:UserId'];
  const stores = Object.values(lab.identityCenter.state.read.identityStores);
  const userName = userId ? (stores.map((s) => s.Users[userId]?.UserName).find((n) => n !== undefined) ?? null) : null;
  const claim = session['lab:context_assertion'];
  return {
    outcome: 'success',
    ...base,
    result: {
      assumedRoleArn: output.AssumedRoleUser.Arn,
      assumedRoleId: output.AssumedRoleUser.AssumedRoleId,
      accessKeyId,
      expiration: output.Credentials.Expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      contextClaim: typeof claim === 'string' ? claim : null,
      sessionContext,
      userName,
    },
  };
}
