import { Agent } from 'node:http';
import t from 'tap';
import { CreateAccessGrantCommand, CreateAccessGrantsInstanceCommand, CreateAccessGrantsLocationCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { localhostSubdomainLookup } from '../../server/index.js';
import type { WorkbenchAssumeRole } from '../../server/workbench/assume-role-step.js';
import type { WorkbenchGetDataAccess } from '../../server/workbench/get-data-access-step.js';
import type { WorkbenchExchange } from '../../server/workbench/workbench-api.js';
import { ACCOUNT, CREDENTIALS, ROLE_ARN, TIP_TRUST_POLICY, startTipLab } from '../exchange/helpers/tip-lab.js';

/** The workbench's "get data access" step (`POST /_lab/workbench/get-data-access`), after its AssumeRole step, through inject(). */
const LOCATION_ROLE = `arn:aws:iam::${ACCOUNT}:role/S3AGLocationRole`;
const tip = await startTipLab({
  config: {
    aws: {
      roles: [
        { arn: ROLE_ARN, trust_policy: TIP_TRUST_POLICY },
        { arn: LOCATION_ROLE, trust_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'access-grants.s3.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:SetContext'] }] } },
      ],
    },
  },
});
t.teardown(() => tip.lab.close());
const admin = new S3ControlClient({ endpoint: `http://localhost:${new URL(tip.lab.url).port}`, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, requestHandler: { httpAgent: new Agent({ lookup: localhostSubdomainLookup }) } });
await admin.send(new CreateAccessGrantsInstanceCommand({ AccountId: ACCOUNT, IdentityCenterArn: tip.instanceArn }));
await admin.send(new CreateAccessGrantsLocationCommand({ AccountId: ACCOUNT, LocationScope: 's3://', IAMRoleArn: LOCATION_ROLE }));
const grant = await admin.send(new CreateAccessGrantCommand({ AccountId: ACCOUNT, AccessGrantsLocationId: 'default', Permission: 'READ', Grantee: { GranteeType: 'DIRECTORY_USER', GranteeIdentifier: tip.users.alice }, AccessGrantsLocationConfiguration: { S3SubPrefix: 'data-bucket/alice/*' } }));

const app = tip.lab.app;
const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
const ex = (await post('/_lab/workbench/exchange', { token: await tip.mint(), applicationArn: tip.applicationArn })).json() as WorkbenchExchange;
const assumed = (await post('/_lab/workbench/assume-role', { roleArn: ROLE_ARN, identityContext: ex.result!.awsAdditionalDetails.identityContext })).json() as WorkbenchAssumeRole;
const accessKeyId = assumed.result!.accessKeyId;

t.test('the matched grant and the vended key (never the secret), with the grants weighed', async (t) => {
  const res = await post('/_lab/workbench/get-data-access', { accessKeyId, target: 's3://data-bucket/alice/a.csv', permission: 'READ', privilege: 'Minimal' });
  t.equal(res.statusCode, 200);
  const answer = res.json() as WorkbenchGetDataAccess;
  t.match(answer, { outcome: 'success', caller: `arn:aws:sts::${ACCOUNT}:assumed-role/IdentityBearer/workbench`, result: { matchedGrantTarget: 's3://data-bucket/alice/*', scope: 's3://data-bucket/alice/a.csv', accessKeyId: /^ASIA/ } });
  t.same(answer.result!.grantee, { GranteeType: 'DIRECTORY_USER', GranteeIdentifier: tip.users.alice });
  t.notMatch(res.body, /SecretAccessKey|SessionToken/i);
  t.same(answer.trace.map((e) => e.step), ['instance-exists', 'caller-resolved', `grant ${grant.AccessGrantId}`, 'grant-matched', 'location-role-assumable', 'duration-allowed', 'credentials-vended']);
});

t.test('a refusal answers with the service\'s status, code, message and reason', async (t) => {
  const res = await post('/_lab/workbench/get-data-access', { accessKeyId, target: 's3://data-bucket/bob/a.csv', permission: 'READ' });
  t.equal(res.statusCode, 403);
  const answer = res.json() as WorkbenchGetDataAccess;
  t.match(answer, { outcome: 'refused', failure: { key: 'data_access.denied', exception: 'AccessDenied', status: 403, message: 'You do not have READ permissions to the requested S3 Prefix: s3://data-bucket/bob/a.csv', labReason: /^GetDataAccess: data_access\.denied: no grant/ } });
  t.match(answer.trace.at(-1), { step: 'grant-matched', verdict: 'fail' });
});

t.test('bad requests: the field and what it expects', async (t) => {
  const bad = async (payload: unknown, status: number, message: RegExp) => {
    const res = await post('/_lab/workbench/get-data-access', payload);
    t.equal(res.statusCode, status);
    t.match(res.json(), { message });
  };
  await bad({ accessKeyId, target: 'data-bucket/x', permission: 'READ' }, 400, /^target: expected an S3 path/);
  await bad({ accessKeyId, target: 's3://b/x', permission: 'ALL' }, 400, /^permission: expected one of READ, WRITE, READWRITE/);
  await bad({ accessKeyId: 'test', target: 's3://b/x', permission: 'READ' }, 404, /is not a session this lab's STS issued/);
  await bad({ accessKeyId, target: 's3://b/x', permission: 'READ', extra: 1 }, 400, /^extra: unknown field/);
});
