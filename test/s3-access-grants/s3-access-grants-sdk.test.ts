import { Agent } from 'node:http';
import t from 'tap';
import {
  CreateAccessGrantCommand,
  CreateAccessGrantsInstanceCommand,
  CreateAccessGrantsLocationCommand,
  DeleteAccessGrantCommand,
  DeleteAccessGrantsLocationCommand,
  GetAccessGrantCommand,
  GetAccessGrantsLocationCommand,
  GetDataAccessCommand,
  ListAccessGrantsCommand,
  ListAccessGrantsLocationsCommand,
  ListCallerAccessGrantsCommand,
  S3ControlClient,
  type GetDataAccessCommandInput,
} from '@aws-sdk/client-s3-control';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { CreateGroupCommand, CreateGroupMembershipCommand } from '@aws-sdk/client-identitystore';
import { fixedClock, localhostSubdomainLookup } from '../../server/index.js';
import { ACCOUNT, CREDENTIALS, ROLE_ARN, TIP_TRUST_POLICY, labReason, onLabClock, startTipLab } from '../exchange/helpers/tip-lab.js';

/**
 * S3 Access Grants through the real @aws-sdk/client-s3-control, as AWS's workshop runs it
 * (aws-samples/s3-access-grants-workshop cdk/lambda/identity_bearer.py): CreateTokenWithIAM →
 * AssumeRole with the identity context → GetDataAccess with that session, against a lab reached as
 * `localhost` (the SDK sends S3 Control calls to `<account>.localhost`).
 */

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const LOCATION_ROLE = `arn:aws:iam::${ACCOUNT}:role/S3AGLocationRole`;
const UNTRUSTED_LOCATION_ROLE = `arn:aws:iam::${ACCOUNT}:role/NotForAccessGrants`;
const LOCATION_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'access-grants.s3.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:SetContext'] }],
};
const PROVIDER = 'arn:aws:iam::aws:contextProvider/IdentityCenter';

const tip = await startTipLab({
  clock,
  config: {
    aws: {
      roles: [
        { arn: ROLE_ARN, trust_policy: TIP_TRUST_POLICY },
        { arn: LOCATION_ROLE, trust_policy: LOCATION_TRUST },
        { arn: UNTRUSTED_LOCATION_ROLE, trust_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] } },
      ],
    },
  },
});
t.teardown(() => tip.lab.close());
const port = new URL(tip.lab.url).port;
// What systemd-resolved does for *.localhost; node's resolver on this machine does not.
const requestHandler = { httpAgent: new Agent({ lookup: localhostSubdomainLookup }) };
const s3control = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, endpoint: string | undefined = `http://localhost:${port}`) =>
  onLabClock(new S3ControlClient({ ...(endpoint ? { endpoint } : {}), region: 'us-east-1', credentials, maxAttempts: 1, requestHandler }), clock);
const admin = s3control(CREDENTIALS);

type Refusal = Error & { $metadata: { httpStatusCode: number } };
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as Refusal,
  );
const wire = (e: Refusal) => [e.name, e.$metadata.httpStatusCode, e.message];

// Before the account has an instance (asserted below: tap ends a file whose top level awaits after its first test).
const noInstance = await refusal(admin.send(new GetDataAccessCommand({ AccountId: ACCOUNT, Target: 's3://bucket/x', Permission: 'READ' })));

// The administrator's setup: instance with Identity Center, the default location, three grants.
const instance = await admin.send(new CreateAccessGrantsInstanceCommand({ AccountId: ACCOUNT, IdentityCenterArn: tip.instanceArn }));
const location = await admin.send(new CreateAccessGrantsLocationCommand({ AccountId: ACCOUNT, LocationScope: 's3://', IAMRoleArn: LOCATION_ROLE }));
const { GroupId: groupId } = await tip.identityStore.send(new CreateGroupCommand({ IdentityStoreId: tip.identityStoreId, DisplayName: 'analysts' }));
await tip.identityStore.send(new CreateGroupMembershipCommand({ IdentityStoreId: tip.identityStoreId, GroupId: groupId!, MemberId: { UserId: tip.users.alice } }));
const grant = (GranteeType: 'DIRECTORY_USER' | 'DIRECTORY_GROUP' | 'IAM', GranteeIdentifier: string, Permission: 'READ' | 'WRITE' | 'READWRITE', S3SubPrefix: string, AccessGrantsLocationId = 'default') =>
  admin.send(new CreateAccessGrantCommand({ AccountId: ACCOUNT, AccessGrantsLocationId, Grantee: { GranteeType, GranteeIdentifier }, Permission, AccessGrantsLocationConfiguration: { S3SubPrefix } }));
const aliceGrant = await grant('DIRECTORY_USER', tip.users.alice, 'READ', 'data-bucket/alice/*');
const groupGrant = await grant('DIRECTORY_GROUP', groupId!, 'READWRITE', 'data-bucket/*');
const iamGrant = await grant('IAM', ROLE_ARN, 'READ', 'shared-bucket/*');

// The application: its role session calls CreateTokenWithIAM, then AssumeRole with the identity context.
async function aliceSession() {
  const tokens = await tip.exchange({ assertion: await tip.mint() });
  const out = await tip.sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'alice', ProvidedContexts: [{ ProviderArn: PROVIDER, ContextAssertion: tokens.awsAdditionalDetails!.identityContext! }] }));
  const c = out.Credentials!;
  return s3control({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
}
const alice = await aliceSession();
const plain = await (async () => {
  const c = (await tip.sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'no-context' }))).Credentials!;
  return s3control({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
})();
const dataAccess = (client: S3ControlClient, input: Partial<GetDataAccessCommandInput>) => client.send(new GetDataAccessCommand({ AccountId: ACCOUNT, Target: 's3://data-bucket/alice/report.csv', Permission: 'READ', ...input }));

t.test('before the account has an instance: AccessGrantsInstanceNotExistsError (404)', async (t) => {
  const e = noInstance;
  t.same(wire(e), ['AccessGrantsInstanceNotExistsError', 404, 'Access Grants Instance does not exist']);
  t.match(labReason(e), /^GetDataAccess: instance\.not_found: account 000000000000 has no S3 Access Grants instance/);
});

t.test('the control plane through the SDK: ids, ARNs, scopes, lists', async (t) => {
  t.same([instance.AccessGrantsInstanceId, instance.AccessGrantsInstanceArn, instance.IdentityCenterArn], ['default', `arn:aws:s3:us-east-1:${ACCOUNT}:access-grants/default`, tip.instanceArn]);
  t.match(instance.IdentityCenterApplicationArn, /^arn:aws:sso::000000000000:application\/ssoins-[0-9a-f]{16}\/apl-[A-Za-z0-9]{16}$/);
  t.same(instance.CreatedAt, new Date('2026-06-01T12:00:00Z'));
  t.same([location.AccessGrantsLocationId, location.LocationScope, location.IAMRoleArn], ['default', 's3://', LOCATION_ROLE]);
  t.same([aliceGrant.GrantScope, groupGrant.GrantScope, iamGrant.GrantScope], ['s3://data-bucket/alice/*', 's3://data-bucket/*', 's3://shared-bucket/*']);
  t.same(aliceGrant.Grantee, { GranteeType: 'DIRECTORY_USER', GranteeIdentifier: tip.users.alice });
  t.equal(aliceGrant.AccessGrantArn, `arn:aws:s3:us-east-1:${ACCOUNT}:access-grants/default/grant/${aliceGrant.AccessGrantId}`);
  const got = await admin.send(new GetAccessGrantCommand({ AccountId: ACCOUNT, AccessGrantId: aliceGrant.AccessGrantId! }));
  t.same([got.GrantScope, got.Permission, got.AccessGrantsLocationConfiguration], ['s3://data-bucket/alice/*', 'READ', { S3SubPrefix: 'data-bucket/alice/*' }]);
  const listed = await admin.send(new ListAccessGrantsCommand({ AccountId: ACCOUNT, GranteeType: 'DIRECTORY_USER', GranteeIdentifier: tip.users.alice }));
  t.same(listed.AccessGrantsList?.map((g) => g.AccessGrantId), [aliceGrant.AccessGrantId], 'the workshop\'s ListGrants filter');
  const page1 = await admin.send(new ListAccessGrantsCommand({ AccountId: ACCOUNT, MaxResults: 2 }));
  const page2 = await admin.send(new ListAccessGrantsCommand({ AccountId: ACCOUNT, MaxResults: 2, NextToken: page1.NextToken }));
  t.same([page1.AccessGrantsList?.length, page2.AccessGrantsList?.length, page2.NextToken], [2, 1, undefined]);
  const locations = await admin.send(new ListAccessGrantsLocationsCommand({ AccountId: ACCOUNT }));
  t.same(locations.AccessGrantsLocationsList?.map((l) => l.LocationScope), ['s3://']);
});

t.test('control-plane refusals in S3 Control\'s error shape', async (t) => {
  t.same(wire(await refusal(admin.send(new CreateAccessGrantsInstanceCommand({ AccountId: ACCOUNT })))), ['AccessGrantsInstanceAlreadyExists', 409, 'Access Grants Instance already exists']);
  t.same(wire(await refusal(admin.send(new CreateAccessGrantsLocationCommand({ AccountId: ACCOUNT, LocationScope: 's3://', IAMRoleArn: LOCATION_ROLE })))), ['AccessGrantsLocationAlreadyExistsError', 409, 'The specified access grants location already exists']);
  t.same(wire(await refusal(grant('DIRECTORY_USER', tip.users.alice, 'READ', 'data-bucket/alice/*'))), ['AccessGrantAlreadyExists', 409, 'The specified access grant already exists']);
  t.same(wire(await refusal(grant('DIRECTORY_USER', 'no-such-user', 'READ', 'x/*'))), ['InvalidAccessGrant', 400, 'The specified Access Grant is invalid']);
  t.same(wire(await refusal(grant('IAM', ROLE_ARN, 'READ', 'x/*', 'nope'))), ['NoSuchAccessGrantsLocationError', 404, 'The specified access grants location does not exist']);
  t.same(wire(await refusal(admin.send(new GetAccessGrantCommand({ AccountId: ACCOUNT, AccessGrantId: 'a1b2c3d4-0000-0000-0000-000000000000' })))), ['NoSuchAccessGrantError', 404, 'The specified access grant does not exist']);
  t.same(wire(await refusal(admin.send(new DeleteAccessGrantsLocationCommand({ AccountId: ACCOUNT, AccessGrantsLocationId: 'default' })))), ['AccessGrantsLocationNotEmptyError', 400, 'Please clean up access grants before deleting access grants location']);
  const bad = await refusal(admin.send(new CreateAccessGrantsLocationCommand({ AccountId: ACCOUNT, LocationScope: 's3://b', IAMRoleArn: 'not-a-role' })));
  t.same(wire(bad), ['InvalidRequest', 400, "1 validation error detected: Value 'not-a-role' at 'iAMRoleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[^:]+:iam::\\d{12}:role/.*"]);
  const other = await refusal(admin.send(new GetAccessGrantsLocationCommand({ AccountId: '123456789012', AccessGrantsLocationId: 'default' })));
  t.same(wire(other), ['AccessDenied', 403, 'Access Denied'], 'another account\'s instance');
});

t.test('the workshop flow: GetDataAccess with the identity-enhanced session matches the most specific grant', async (t) => {
  const out = await dataAccess(alice, {});
  t.equal(out.MatchedGrantTarget, 's3://data-bucket/alice/*', 'the user grant on alice/* beats the group grant on data-bucket/*');
  t.same(out.Grantee, { GranteeType: 'DIRECTORY_USER', GranteeIdentifier: tip.users.alice });
  t.match(out.Credentials, { AccessKeyId: /^ASIA[A-Z2-7]{16}$/, SecretAccessKey: /^.{40}$/, SessionToken: /\S/ });
  t.same(out.Credentials!.Expiration, new Date('2026-06-01T13:00:00Z'), 'an hour by default, on the lab clock');
  const vended = tip.lab.services.aws.credentials.lookup(out.Credentials!.AccessKeyId!)!;
  t.match(vended, { accountId: ACCOUNT, arn: /^arn:aws:sts::000000000000:assumed-role\/S3AGLocationRole\/access-grants-/, expiresAt: Date.parse('2026-06-01T13:00:00Z') });
  t.match(vended.sessionContext, { 'identitystore:UserId': tip.users.alice, 'lab:access_grants': { scope: 's3://data-bucket/alice/*', permission: 'READ', privilege: 'Default', grantId: aliceGrant.AccessGrantId } });

  t.same(
    tip.lab.exchanges().at(-1)?.trace.map((e) => [e.step, e.verdict]),
    [['instance-exists', 'pass'], ['caller-resolved', 'pass'], [`grant ${aliceGrant.AccessGrantId}`, 'pass'], [`grant ${groupGrant.AccessGrantId}`, 'pass'], [`grant ${iamGrant.AccessGrantId}`, 'skip'], ['grant-matched', 'pass'], ['location-role-assumable', 'pass'], ['duration-allowed', 'pass'], ['credentials-vended', 'pass']],
    'both of her grants apply; the user grant is the more specific',
  );
  const write = await dataAccess(alice, { Target: 's3://data-bucket/reports/q1.csv', Permission: 'WRITE', DurationSeconds: 900 });
  t.same([write.MatchedGrantTarget, write.Grantee?.GranteeType], ['s3://data-bucket/*', 'DIRECTORY_GROUP'], 'READWRITE of her group covers WRITE');
  t.same(write.Credentials!.Expiration, new Date('2026-06-01T12:15:00Z'));

  const minimal = await dataAccess(alice, { Target: 's3://data-bucket/alice/2026/*', Privilege: 'Minimal' });
  t.equal(minimal.MatchedGrantTarget, 's3://data-bucket/alice/*');
  t.match(tip.lab.services.aws.credentials.lookup(minimal.Credentials!.AccessKeyId!)?.sessionContext, { 'lab:access_grants': { scope: 's3://data-bucket/alice/2026/*', privilege: 'Minimal' } }, 'Minimal: scoped to the target');

  const iam = await dataAccess(alice, { Target: 's3://shared-bucket/readme.txt' });
  t.same([iam.MatchedGrantTarget, iam.Grantee?.GranteeType], ['s3://shared-bucket/*', 'IAM'], 'the grants of the session\'s role apply too');

  const callers = await alice.send(new ListCallerAccessGrantsCommand({ AccountId: ACCOUNT }));
  t.same(callers.CallerAccessGrantsList?.map((g) => `${g.Permission} ${g.GrantScope}`).sort(), ['READ s3://data-bucket/alice/*', 'READ s3://shared-bucket/*', 'READWRITE s3://data-bucket/*']);
});

t.test('GetDataAccess refusals', async (t) => {
  const write = await refusal(dataAccess(alice, { Target: 's3://other-bucket/alice/x', Permission: 'WRITE' }));
  t.same(wire(write), ['AccessDenied', 403, 'You do not have WRITE permissions to the requested S3 Prefix: s3://other-bucket/alice/x']);
  t.match(labReason(write), new RegExp(`data_access\\.denied: no grant .*Grants considered: ${aliceGrant.AccessGrantId} \\(DIRECTORY_USER ${tip.users.alice}, READ, s3://data-bucket/alice/\\*\\): READ does not cover WRITE`));

  const explained = tip.lab.exchanges().filter((e) => e.operation === 'GetDataAccess').at(-1)!;
  t.match(explained, { outcome: 'failure', failure: { key: 'data_access.denied', exception: 'AccessDenied', status: 403, step: 'grant-matched' } }, 'the exchange log explains GetDataAccess');
  t.same(
    explained.trace.map((e) => [e.step, e.verdict]),
    [['instance-exists', 'pass'], ['caller-resolved', 'pass'], [`grant ${aliceGrant.AccessGrantId}`, 'skip'], [`grant ${groupGrant.AccessGrantId}`, 'skip'], [`grant ${iamGrant.AccessGrantId}`, 'skip'], ['grant-matched', 'fail']],
  );
  t.match(explained.trace[3], { reason: 'scope s3://data-bucket/* does not cover s3://other-bucket/alice/x' });
  t.match(explained.trace[4], { reason: 'READ does not cover WRITE' });

  const noContext = await refusal(dataAccess(plain, {}));
  t.same(wire(noContext), ['AccessDenied', 403, 'You do not have READ permissions to the requested S3 Prefix: s3://data-bucket/alice/report.csv'], 'a session without identity context is not Alice');
  t.match(labReason(noContext), /not an identity-enhanced session/);
  t.equal((await dataAccess(plain, { Target: 's3://shared-bucket/a' })).MatchedGrantTarget, 's3://shared-bucket/*', 'its IAM grant still applies');

  const broader = await dataAccess(alice, { Target: 's3://data-bucket/al*', Privilege: 'Minimal' });
  t.equal(broader.MatchedGrantTarget, 's3://data-bucket/*', 'alice/* does not cover the broader al*; her group\'s grant does');

  for (const DurationSeconds of [899, 43201]) {
    const e = await refusal(dataAccess(alice, { DurationSeconds }));
    t.same(wire(e), ['InvalidRequest', 400, `1 validation error detected: Value '${DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${DurationSeconds < 900 ? 'greater than or equal to 900' : 'less than or equal to 43200'}`]);
  }
  const tooLong = await refusal(dataAccess(alice, { DurationSeconds: 7200 }));
  t.same(wire(tooLong), ['StsValidationError', 400, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'], 'the location role keeps IAM\'s one hour');
  const badPermission = await refusal(dataAccess(alice, { Permission: 'FULL' as 'READ' }));
  t.equal(badPermission.name, 'InvalidRequest');
});

t.test('a location whose role does not trust access-grants.s3.amazonaws.com: StsNotAuthorizedError', async (t) => {
  const loc = await admin.send(new CreateAccessGrantsLocationCommand({ AccountId: ACCOUNT, LocationScope: 's3://locked-bucket', IAMRoleArn: UNTRUSTED_LOCATION_ROLE }));
  const g = await grant('DIRECTORY_USER', tip.users.alice, 'READ', 'inbox/*', loc.AccessGrantsLocationId);
  t.equal(g.GrantScope, 's3://locked-bucket/inbox/*');
  const e = await refusal(dataAccess(alice, { Target: 's3://locked-bucket/inbox/a' }));
  t.same(wire(e), ['StsNotAuthorizedError', 403, `User: access-grants.s3.amazonaws.com is not authorized to perform: sts:AssumeRole on resource: ${UNTRUSTED_LOCATION_ROLE}`]);
  await admin.send(new DeleteAccessGrantCommand({ AccountId: ACCOUNT, AccessGrantId: g.AccessGrantId! }));
  await admin.send(new DeleteAccessGrantsLocationCommand({ AccountId: ACCOUNT, AccessGrantsLocationId: loc.AccessGrantsLocationId! }));
});

t.test('AWS_ENDPOINT_URL alone: the SDK calls <account>.localhost, which the lab answers', async (t) => {
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = `http://localhost:${port}`;
  t.teardown(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved;
  });
  const fromEnv = s3control(CREDENTIALS, undefined);
  const hosts: string[] = [];
  fromEnv.middlewareStack.add(
    (next) => async (args) => {
      hosts.push(`${(args.request as { hostname: string }).hostname}`);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'seeHost' },
  );
  const out = await fromEnv.send(new ListAccessGrantsCommand({ AccountId: ACCOUNT }));
  t.equal(out.AccessGrantsList?.length, 3);
  t.same(hosts, [`${ACCOUNT}.localhost`], 'the account id is prepended to the endpoint host; the lab answers that loopback name');
});

t.test('the vended credentials are lab credentials of the location role session, and expire on the lab clock', async (t) => {
  const out = await dataAccess(alice, { DurationSeconds: 900 });
  const c = out.Credentials!;
  const vended = s3control({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
  // The key signs (it is a lab credential), but its session policy allows the grant's S3 object actions only.
  const refused = await refusal(vended.send(new GetDataAccessCommand({ AccountId: ACCOUNT, Target: 's3://data-bucket/alice/x', Permission: 'READ' })));
  t.same(wire(refused), ['AccessDenied', 403, 'Access Denied']);
  t.match(labReason(refused), /request\.vended_credentials: ASIA\w+ was vended by GetDataAccess: its session policy allows s3:GetObject, .* on s3:\/\/data-bucket\/alice\/\* only/);
  clock.advance(901_000);
  const expired = await refusal(vended.send(new ListCallerAccessGrantsCommand({ AccountId: ACCOUNT })));
  t.same([expired.name, expired.$metadata.httpStatusCode, expired.message], ['ExpiredToken', 400, 'The provided token has expired.']);
});
