import t from 'tap';
import { readFileSync } from 'node:fs';
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { CreateTokenWithIAMCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { decodeJwt } from 'jose';
import { fixedClock } from '../../server/index.js';
import { ACCOUNT, JWT_BEARER, ROLE_ARN, labReason, onLabClock, startTipLab } from './helpers/tip-lab.js';

/**
 * Identity-enhanced sessions through the real SDK, as an application does it: its own role session
 * calls CreateTokenWithIAM, then AssumeRole with the identity context, into a role whose trust
 * policy is pasted as AWS documents it (test/aws/fixtures/).
 */

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/webapp`;
const PROVIDER = 'arn:aws:iam::aws:contextProvider/IdentityCenter';
const fixture = (name: string) => readFileSync(new URL(`../aws/fixtures/${name}`, import.meta.url), 'utf8').replaceAll('111122223333', ACCOUNT);
const pinned = (instanceArn: string, userId: string) => JSON.parse(fixture('identity-bearer-pinned-trust-policy.json').replace('INSTANCE_ARN', instanceArn).replace('USER_ID', userId)) as unknown;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

const tip = await startTipLab({
  clock,
  config: {
    aws: {
      roles: [
        { arn: APP_ROLE, trust_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] } },
        { arn: ROLE_ARN, trust_policy: JSON.parse(fixture('identity-enhanced-trust-policy.json')) as unknown },
      ],
    },
  },
});
t.teardown(() => tip.lab.close());
// Roles pinned to this lab's instance and users, known once it runs.
tip.lab.services.config.aws.roles.push(
  { arn: role('PinnedAlice'), trust_policy: pinned(tip.instanceArn, tip.users.alice) },
  { arn: role('PinnedBob'), trust_policy: pinned(tip.instanceArn, tip.users.bob) },
  { arn: role('PinnedOtherInstance'), trust_policy: pinned('arn:aws:sso:::instance/ssoins-9999888877776666', tip.users.alice) },
);

// The application: a session of its own role, calling SSO OIDC and STS with it.
const appSession = (await tip.sts.send(new AssumeRoleCommand({ RoleArn: APP_ROLE, RoleSessionName: 'webapp-1' }))).Credentials!;
const appCredentials = { accessKeyId: appSession.AccessKeyId!, secretAccessKey: appSession.SecretAccessKey!, sessionToken: appSession.SessionToken! };
const common = { endpoint: tip.lab.url, region: 'us-east-1', credentials: appCredentials, maxAttempts: 1 };
const appSts = onLabClock(new STSClient(common), clock);
const appOidc = onLabClock(new SSOOIDCClient(common), clock);
const aliceTokens = async () => appOidc.send(new CreateTokenWithIAMCommand({ clientId: tip.applicationArn, grantType: JWT_BEARER, assertion: await tip.mint() }));

type Refusal = Error & { $metadata: { httpStatusCode: number } };
const assume = (input: AssumeRoleCommandInput, sts = appSts) => sts.send(new AssumeRoleCommand(input));
const refused = (input: AssumeRoleCommandInput, sts = appSts) =>
  assume(input, sts).then(
    () => {
      throw new Error(`AssumeRole ${input.RoleArn} was expected to be refused`);
    },
    (e: unknown) => e as Refusal,
  );
const withContext = (assertion: string) => [{ ProviderArn: PROVIDER, ContextAssertion: assertion }];

t.test('the documented trust policy (ForAllValues:ArnEquals and Null on sts:RequestContextProviders) works as pasted', async (t) => {
  const context = (await aliceTokens()).awsAdditionalDetails!.identityContext!;
  const out = await assume({ RoleArn: ROLE_ARN, RoleSessionName: 'alice', ProvidedContexts: withContext(context) });
  t.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/IdentityBearer/alice`);
  const session = tip.lab.services.aws.credentials.lookup(out.Credentials!.AccessKeyId!);
  const keys = { ...session?.sessionContext };
  delete keys['identitycenter:CredentialId'];
  t.same(keys, {
    'identitystore:UserId': tip.users.alice,
    'identitystore:IdentityStoreArn': `arn:aws:identitystore::${ACCOUNT}:identitystore/${tip.identityStoreId}`,
    'identitycenter:ApplicationArn': tip.applicationArn,
    'identitycenter:InstanceArn': tip.instanceArn,
    'lab:context_assertion': 'sts:identity_context',
  }, 'the session carries the documented Identity Center keys');
  t.match(session?.sessionContext?.['identitycenter:CredentialId'], /\S/);
  t.ok(await assume({ RoleArn: ROLE_ARN, RoleSessionName: 'plain' }), 'without a context the role is assumed as a plain role');
  // The policy names the application's role: the account's root is not it.
  const root = await refused({ RoleArn: ROLE_ARN, RoleSessionName: 'root', ProvidedContexts: withContext(context) }, tip.sts);
  t.same([root.name, root.$metadata.httpStatusCode, root.message], ['AccessDenied', 403, `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`]);
});

t.test('a trust policy pinned to an instance and a user: the right user passes, the wrong ones do not', async (t) => {
  const context = (await aliceTokens()).awsAdditionalDetails!.identityContext!;
  t.ok(await assume({ RoleArn: role('PinnedAlice'), RoleSessionName: 'alice', ProvidedContexts: withContext(context) }));
  const wrongUser = await refused({ RoleArn: role('PinnedBob'), RoleSessionName: 'alice', ProvidedContexts: withContext(context) });
  t.same([wrongUser.name, wrongUser.message], ['AccessDenied', `User: arn:aws:sts::${ACCOUNT}:assumed-role/webapp/webapp-1 is not authorized to perform: sts:AssumeRole on resource: ${role('PinnedBob')}`]);
  t.match(labReason(wrongUser), new RegExp(`condition StringEquals sts:RequestContext/identitystore:UserId is "${tip.users.alice}", expected "${tip.users.bob}"`));
  const wrongInstance = await refused({ RoleArn: role('PinnedOtherInstance'), RoleSessionName: 'alice', ProvidedContexts: withContext(context) });
  t.equal(wrongInstance.name, 'AccessDenied');
  t.match(labReason(wrongInstance), /identitycenter:InstanceArn is "arn:aws:sso:::instance\/ssoins-[^"]+", expected "arn:aws:sso:::instance\/ssoins-9999888877776666"/);
  const noContext = await refused({ RoleArn: role('PinnedAlice'), RoleSessionName: 'alice' });
  t.equal(noContext.name, 'AccessDenied');
  t.match(labReason(noContext), /sts:RequestContext\/identitycenter:InstanceArn: the key is absent from this request/);
});

t.test('sts:audit_context is accepted as the context assertion; one assertion per call', async (t) => {
  const res = await aliceTokens();
  const audit = decodeJwt(res.idToken!)['sts:audit_context'] as string;
  const out = await assume({ RoleArn: ROLE_ARN, RoleSessionName: 'alice-audit', ProvidedContexts: withContext(audit) });
  const session = tip.lab.services.aws.credentials.lookup(out.Credentials!.AccessKeyId!);
  t.equal(session?.sessionContext?.['identitystore:UserId'], tip.users.alice);
  t.equal(session?.sessionContext?.['lab:context_assertion'], 'sts:audit_context');
  // An audit context made up by the caller is not one Identity Center issued.
  const forged = Buffer.from(JSON.stringify({ user: tip.users.bob, app: tip.applicationArn, at: 1 })).toString('base64url');
  const bad = await refused({ RoleArn: ROLE_ARN, RoleSessionName: 'forged', ProvidedContexts: withContext(forged) });
  t.same([bad.name, bad.$metadata.httpStatusCode], ['InvalidContextAssertionException', 400]);
  const both = await refused({ RoleArn: ROLE_ARN, RoleSessionName: 'both', ProvidedContexts: [...withContext(res.awsAdditionalDetails!.identityContext!), ...withContext(audit)] });
  t.same([both.name, both.message], ['InvalidContextAssertionException', 'Only one context assertion can be provided']);
  t.match(labReason(both), /^AssumeRole: context\.more_than_one: 2 context assertions/);
});

t.test('a role without max_session_duration: 3600 s by default, longer is refused as AWS words it', async (t) => {
  const out = await assume({ RoleArn: APP_ROLE, RoleSessionName: 'default-duration' }, tip.sts);
  t.equal(out.Credentials?.Expiration?.getTime(), clock.now() + 3600 * 1000);
  const tooLong = await refused({ RoleArn: APP_ROLE, RoleSessionName: 'long', DurationSeconds: 3601 }, tip.sts);
  t.same([tooLong.name, tooLong.$metadata.httpStatusCode, tooLong.message], ['ValidationError', 400, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.']);
});
