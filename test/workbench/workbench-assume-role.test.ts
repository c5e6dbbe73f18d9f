import t from 'tap';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { WorkbenchAssumeRole } from '../../server/workbench/assume-role-step.js';
import type { RoleChoice } from '../../server/workbench/role-choices.js';
import type { WorkbenchExchange } from '../../server/workbench/workbench-api.js';
import { ACCOUNT, ROLE_ARN, TIP_TRUST_POLICY, labReason, onLabClock, startTipLab } from '../exchange/helpers/tip-lab.js';

/**
 * The workbench's AssumeRole step (`POST /_lab/workbench/assume-role`): STS's own AssumeRole run
 * in-process with a workbench exchange's identity context, through inject().
 */
const NO_CONTEXT_ROLE = `arn:aws:iam::${ACCOUNT}:role/NoSetContext`;
const OTHER_ACCOUNT_ROLE = `arn:aws:iam::${ACCOUNT}:role/OtherAccountOnly`;
const tip = await startTipLab({
  config: {
    aws: {
      roles: [
        { arn: ROLE_ARN, trust_policy: TIP_TRUST_POLICY },
        { arn: NO_CONTEXT_ROLE, trust_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] } },
        { arn: OTHER_ACCOUNT_ROLE, trust_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['sts:AssumeRole', 'sts:SetContext'] }] } },
      ],
    },
  },
});
t.teardown(() => tip.lab.close());
const app = tip.lab.app;
const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload: payload as object, headers });

/** A fresh identity context for Alice, from a real workbench exchange. */
async function identityContext(): Promise<string> {
  const ex = (await post('/_lab/workbench/exchange', { token: await tip.mint(), applicationArn: tip.applicationArn })).json() as WorkbenchExchange;
  if (ex.outcome !== 'success') throw new Error(`exchange failed: ${JSON.stringify(ex.failure)}`);
  return ex.result!.awsAdditionalDetails.identityContext;
}

t.test('roles: every aws.roles entry, those the caller may AssumeRole + SetContext first, with the policy\'s reason', async (t) => {
  const res = await app.inject({ url: '/_lab/workbench/roles' });
  t.equal(res.statusCode, 200);
  const { caller, roles } = res.json() as { caller: string; roles: RoleChoice[] };
  t.equal(caller, `arn:aws:iam::${ACCOUNT}:root`);
  t.same(roles.map((r) => [r.arn, r.allowsSetContext]), [[ROLE_ARN, true], [NO_CONTEXT_ROLE, false], [OTHER_ACCOUNT_ROLE, false]]);
  t.equal(roles[0]!.note, `allows sts:AssumeRole and sts:SetContext to arn:aws:iam::${ACCOUNT}:root`);
  t.equal(roles[1]!.note, `no statement allows sts:SetContext to arn:aws:iam::${ACCOUNT}:root`);
  t.equal(roles[2]!.note, `no statement allows sts:AssumeRole to arn:aws:iam::${ACCOUNT}:root`);
});

t.test('success: an identity-enhanced session carrying the user, usable with the real SDK; the secret is never shown', async (t) => {
  const context = await identityContext();
  const res = await post('/_lab/workbench/assume-role', { roleArn: ROLE_ARN, identityContext: context });
  t.equal(res.statusCode, 200);
  const answer = res.json() as WorkbenchAssumeRole;
  t.equal(answer.outcome, 'success');
  t.equal(answer.caller, `arn:aws:iam::${ACCOUNT}:root`);
  t.equal(answer.roleSessionName, 'workbench');
  const r = answer.result!;
  t.equal(r.assumedRoleArn, `arn:aws:sts::${ACCOUNT}:assumed-role/IdentityBearer/workbench`);
  t.match(r.assumedRoleId, /^AROA[A-Z0-9]+:workbench$/);
  t.match(r.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
  t.equal(r.contextClaim, 'sts:identity_context');
  t.equal(r.userName, 'alice');
  t.same(Object.keys(r.sessionContext).sort(), ['identitycenter:ApplicationArn', 'identitycenter:CredentialId', 'identitycenter:InstanceArn', 'identitystore:IdentityStoreArn', 'identitystore:UserId']);
  t.equal(r.sessionContext['identitystore:UserId'], tip.users.alice);
  t.equal(r.sessionContext['identitycenter:InstanceArn'], tip.instanceArn);
  t.equal(r.sessionContext['identitycenter:ApplicationArn'], tip.applicationArn);
  const record = tip.lab.services.aws.credentials.lookup(r.accessKeyId)!;
  t.ok(record, 'the session is registered with the lab, as STS registers it');
  t.notMatch(res.body, record.secretAccessKey, 'the secret access key is not in the answer');
  t.notMatch(res.body, record.sessionToken!, 'nor the session token');
  // The session works against the lab's AWS endpoint like any STS session.
  const sts = onLabClock(new STSClient({ endpoint: tip.lab.url, region: 'us-east-1', credentials: { accessKeyId: r.accessKeyId, secretAccessKey: record.secretAccessKey, sessionToken: record.sessionToken! } }), tip.lab.services.clock);
  t.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, r.assumedRoleArn);

  const named = (await post('/_lab/workbench/assume-role', { roleArn: ROLE_ARN, identityContext: context, roleSessionName: 'alice-report' })).json() as WorkbenchAssumeRole;
  t.equal(named.result!.assumedRoleArn, `arn:aws:sts::${ACCOUNT}:assumed-role/IdentityBearer/alice-report`);
});

t.test('refused by the trust policy: STS\'s status and exception, the same reason x-tti-lab-reason gives, and the fix', async (t) => {
  const context = await identityContext();
  const res = await post('/_lab/workbench/assume-role', { roleArn: NO_CONTEXT_ROLE, identityContext: context });
  t.equal(res.statusCode, 403);
  const answer = res.json() as WorkbenchAssumeRole;
  t.equal(answer.outcome, 'refused');
  t.equal(answer.error, 'AccessDenied');
  t.notOk(answer.result);
  const f = answer.failure!;
  t.equal(f.key, 'role.not_assumable');
  t.equal(f.exception, 'AccessDenied');
  t.equal(f.status, 403);
  t.equal(f.message, `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:SetContext on resource: ${NO_CONTEXT_ROLE}`);
  t.equal(f.reason, `the trust policy of ${NO_CONTEXT_ROLE}: no statement allows sts:SetContext to arn:aws:iam::${ACCOUNT}:root`);
  t.match(f.fix, /allows both sts:AssumeRole and sts:SetContext/);
  t.equal(answer.message, f.labReason);
  // The real SDK, signed as the same caller, gets the same refusal and the same lab reason.
  const sdkErr = await tip.sts
    .send(new AssumeRoleCommand({ RoleArn: NO_CONTEXT_ROLE, RoleSessionName: 'workbench', ProvidedContexts: [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: context }] }))
    .then(() => undefined, (e: unknown) => e);
  t.equal((sdkErr as Error).name, 'AccessDenied');
  t.equal(labReason(sdkErr), f.labReason, 'the same reason as STS\'s x-tti-lab-reason');

  const other = (await post('/_lab/workbench/assume-role', { roleArn: OTHER_ACCOUNT_ROLE, identityContext: context })).json() as WorkbenchAssumeRole;
  t.match(other.failure, { key: 'role.not_assumable', message: /perform: sts:AssumeRole on resource/ });
});

t.test('a context STS cannot read (garbage, or changed) is STS\'s 400 InvalidContextAssertion, with the reason and fix', async (t) => {
  const context = await identityContext();
  const changed = `${context.slice(0, -4)}${context.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
  for (const bad of ['garbage', changed]) {
    const res = await post('/_lab/workbench/assume-role', { roleArn: ROLE_ARN, identityContext: bad });
    t.equal(res.statusCode, 400, bad.slice(0, 20));
    const answer = res.json() as WorkbenchAssumeRole;
    t.match(answer, { outcome: 'refused', error: 'InvalidContextAssertion', failure: { key: 'context.assertion_invalid', exception: 'InvalidContextAssertion', message: 'The context assertion is invalid' } });
    t.match(answer.failure!.reason, /not an identity context sealed by this lab/);
    t.match(answer.failure!.fix, /awsAdditionalDetails\.identityContext/);
  }
});

t.test('bad input: clear 4xx errors naming the field, never a 500', async (t) => {
  const context = await identityContext();
  const cases: [unknown, number, string, RegExp][] = [
    [{ roleArn: ROLE_ARN }, 400, 'invalid_assume_role_request', /^identityContext: expected the identity context as a string/],
    [{ roleArn: ROLE_ARN, identityContext: '' }, 400, 'invalid_assume_role_request', /^identityContext:/],
    [{ roleArn: ROLE_ARN, identityContext: { not: 'a string' } }, 400, 'invalid_assume_role_request', /^identityContext:/],
    [{ identityContext: context }, 400, 'invalid_assume_role_request', /^roleArn: expected the ARN/],
    [{ roleArn: ROLE_ARN, identityContext: context, extra: 1 }, 400, 'invalid_assume_role_request', /^extra: unknown field/],
    [{ roleArn: ROLE_ARN, identityContext: context, roleSessionName: 7 }, 400, 'invalid_assume_role_request', /^roleSessionName:/],
    [{ roleArn: ROLE_ARN, identityContext: context, roleSessionName: 'has spaces' }, 400, 'invalid_assume_role_request', /ValidationError.*roleSessionName/],
    [{ roleArn: `arn:aws:iam::${ACCOUNT}:role/Nope`, identityContext: context }, 404, 'unknown_role', new RegExp(`is not one of the lab's roles \\(aws\\.roles\\): ${ROLE_ARN}`)],
    [{ roleArn: ROLE_ARN, identityContext: context, accessKeyId: 'AKIANOTKNOWN' }, 409, 'no_caller', /^accessKeyId: expected one of/],
    [['not', 'an', 'object'], 400, 'invalid_assume_role_request', /^expected a JSON object/],
  ];
  for (const [payload, status, error, message] of cases) {
    const res = await post('/_lab/workbench/assume-role', payload);
    t.equal(res.statusCode, status, JSON.stringify(payload).slice(0, 80));
    t.equal(res.json().error, error);
    t.match(res.json().message, message);
  }
  const notJson = await app.inject({ method: 'POST', url: '/_lab/workbench/assume-role', payload: '{"roleArn":', headers: { 'content-type': 'application/json' } });
  t.equal(notJson.statusCode, 400);
});

t.test('local-only and same-origin, like the rest of the workbench', async (t) => {
  const context = await identityContext();
  const far = await app.inject({ method: 'POST', url: '/_lab/workbench/assume-role', payload: { roleArn: ROLE_ARN, identityContext: context }, remoteAddress: '192.0.2.10' });
  t.equal(far.statusCode, 403);
  t.equal(far.json().error, 'local_only');
  const farRoles = await app.inject({ url: '/_lab/workbench/roles', remoteAddress: '192.0.2.10' });
  t.equal(farRoles.statusCode, 403);
  const cross = await post('/_lab/workbench/assume-role', { roleArn: ROLE_ARN, identityContext: context }, { origin: 'https://evil.example' });
  t.equal(cross.statusCode, 403);
  t.equal(cross.json().error, 'cross_origin');
});
