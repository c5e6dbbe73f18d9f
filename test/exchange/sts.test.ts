import t from 'tap';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fixedClock, startLab } from '../../server/index.js';
import { ACCOUNT, CLIENT_ID, ROLE_ARN, labReason, startTipLab } from './helpers/tip-lab.js';
import { onLabClock } from './helpers/tip-lab.js';

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const WEB_ROLE = `arn:aws:iam::${ACCOUNT}:role/WebIdentityRole`;
const NO_CONTEXT_ROLE = `arn:aws:iam::${ACCOUNT}:role/NoSetContext`;
const tip = await startTipLab({
  clock,
  config: {
    aws: {
      roles: [
        { arn: ROLE_ARN, trust_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['sts:AssumeRole', 'sts:SetContext'] }] } },
        { arn: NO_CONTEXT_ROLE, trust_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] } },
      ],
    },
  },
});
t.teardown(() => tip.lab.close());

const CONTEXT_PROVIDER = 'arn:aws:iam::aws:contextProvider/IdentityCenter';

t.test('AssumeRole with the identity context gives an identity-enhanced session the lab accepts', async (t) => {
  const res = await tip.exchange({ assertion: await tip.mint() });
  const identityContext = res.awsAdditionalDetails!.identityContext!;
  const assumed = await tip.sts.send(
    new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'alice-session', ProvidedContexts: [{ ProviderArn: CONTEXT_PROVIDER, ContextAssertion: identityContext }] }),
  );
  const creds = assumed.Credentials!;
  t.match(creds.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  t.equal(creds.Expiration?.getTime(), clock.now() + 3600 * 1000);
  t.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/IdentityBearer/alice-session`);
  const session = tip.lab.services.aws.credentials.lookup(creds.AccessKeyId!);
  t.equal(session?.sessionContext?.['identitystore:UserId'], tip.users.alice, 'the session carries the user');
  const asAlice = onLabClock(new STSClient({ endpoint: tip.lab.url, region: 'us-east-1', credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! } }), clock);
  const who = await asAlice.send(new GetCallerIdentityCommand({}));
  t.equal(who.Arn, assumed.AssumedRoleUser?.Arn);
  t.equal(who.Account, ACCOUNT);
  t.match(who.UserId, /^AROA[A-Z2-7]{17}:alice-session$/);
  const noToken = onLabClock(new STSClient({ endpoint: tip.lab.url, region: 'us-east-1', credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey! } }), clock);
  const err = await noToken.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
  t.equal((err as Error).name, 'InvalidClientTokenId', 'temporary credentials need their session token');
  clock.advance(3601 * 1000);
  const late = await asAlice.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
  t.equal((late as Error).name, 'ExpiredToken', 'and expire');
  clock.advance(-3601 * 1000);
});

t.test('GetCallerIdentity for the default credentials', async (t) => {
  const who = await tip.sts.send(new GetCallerIdentityCommand({}));
  t.same({ Account: who.Account, Arn: who.Arn, UserId: who.UserId }, { Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, UserId: ACCOUNT });
});

t.test('AssumeRole refusals', async (t) => {
  const res = await tip.exchange({ assertion: await tip.mint() });
  const ctx = res.awsAdditionalDetails!.identityContext!;
  const fail = (input: ConstructorParameters<typeof AssumeRoleCommand>[0]) => tip.sts.send(new AssumeRoleCommand(input)).then(() => undefined, (e: unknown) => e as Error & { $metadata: { httpStatusCode: number } });
  const noSetContext = await fail({ RoleArn: NO_CONTEXT_ROLE, RoleSessionName: 's1', ProvidedContexts: [{ ProviderArn: CONTEXT_PROVIDER, ContextAssertion: ctx }] });
  t.equal(noSetContext?.name, 'AccessDenied', 'a trust policy without sts:SetContext refuses a context');
  t.equal(noSetContext?.$metadata.httpStatusCode, 403);
  t.equal(noSetContext?.message, `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:SetContext on resource: ${NO_CONTEXT_ROLE}`, 'the message names the refused action');
  t.match(labReason(noSetContext), /sts:SetContext/);
  t.notOk(await fail({ RoleArn: NO_CONTEXT_ROLE, RoleSessionName: 's1' }), 'the same role without a context is fine');
  t.equal((await fail({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Nope`, RoleSessionName: 's1' }))?.name, 'AccessDenied', 'an undeclared role');
  t.equal((await fail({ RoleArn: ROLE_ARN, RoleSessionName: 's1', ProvidedContexts: [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/Other', ContextAssertion: ctx }] }))?.name, 'InvalidContextAssertionException', 'another provider');
  t.equal((await fail({ RoleArn: ROLE_ARN, RoleSessionName: 's1', ProvidedContexts: [{ ProviderArn: CONTEXT_PROVIDER, ContextAssertion: `${ctx.slice(0, -4)}AAAA` }] }))?.name, 'InvalidContextAssertionException', 'a tampered context');
  t.equal((await fail({ RoleArn: ROLE_ARN, RoleSessionName: 's1', ProvidedContexts: [{ ProviderArn: CONTEXT_PROVIDER, ContextAssertion: res.idToken! }] }))?.name, 'InvalidContextAssertionException', 'the idToken is not the context');
  t.equal((await fail({ RoleArn: ROLE_ARN, RoleSessionName: 'x' }))?.name, 'ValidationError', 'session name too short');
  // STS's Coral wording, as real STS output quotes it (getmoto/moto#9218, goldstack/goldstack#425).
  const badParams = await fail({ RoleArn: ROLE_ARN, RoleSessionName: 's'.repeat(65), DurationSeconds: 600 });
  t.same(
    [badParams?.name, badParams?.$metadata.httpStatusCode, badParams?.message],
    [
      'ValidationError',
      400,
      `2 validation errors detected: Value '${'s'.repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64; ` +
        "Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ],
  );
  clock.advance(3601 * 1000);
  t.equal((await fail({ RoleArn: ROLE_ARN, RoleSessionName: 's1', ProvidedContexts: [{ ProviderArn: CONTEXT_PROVIDER, ContextAssertion: ctx }] }))?.name, 'InvalidContextAssertionException', 'an expired context (the model: "malformed, has expired, or does not match")');
  clock.advance(-3601 * 1000);
});

t.test('AssumeRoleWithWebIdentity checks aud against the IAM OIDC provider\'s client ids', async (t) => {
  const lab = await startLab({
    inMemory: true,
    clock,
    config: {
      issuers: [{ name: 'web', users: [{ sub: 'u1' }] }],
      aws: {
        oidc_providers: [],
        roles: [],
      },
    },
  });
  t.teardown(() => lab.close());
  // A second lab whose config names the first lab's issuer as an IAM OIDC provider.
  const host = lab.issuer('web').url.replace(/^https?:\/\//, '');
  const iam = await startLab({
    inMemory: true,
    clock,
    config: {
      aws: {
        oidc_providers: [{ url: lab.issuer('web').url, client_ids: ['sts-client'] }],
        roles: [
          {
            arn: WEB_ROLE,
            trust_policy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${host}:aud`]: 'sts-client' } } }],
            },
          },
        ],
      },
    },
  });
  t.teardown(() => iam.close());
  const sts = onLabClock(new STSClient({ endpoint: iam.url, region: 'us-east-1', credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } }), clock);
  const call = async (aud: unknown, extra: Record<string, unknown> = {}, DurationSeconds?: number) =>
    sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: WEB_ROLE, RoleSessionName: 'web', DurationSeconds, WebIdentityToken: (await lab.mint('web', { user: 'u1', claims: { aud }, ...extra })).token }));
  const ok = await call('sts-client');
  t.equal(ok.Credentials?.Expiration?.getTime(), clock.now() + 3600 * 1000, 'the default session lasts 3600 s, as in AssumeRole');
  t.equal(ok.Audience, 'sts-client');
  t.equal(ok.SubjectFromWebIdentityToken, 'u1');
  t.match(ok.Credentials?.AccessKeyId, /^ASIA/);
  const wrongAud = (await call(CLIENT_ID).catch((e: unknown) => e)) as Error;
  t.equal(wrongAud.name, 'InvalidIdentityTokenException', 'the SDK names the wire code InvalidIdentityToken so');
  t.equal(wrongAud.message, 'Incorrect token audience');
  const expired = (await call('sts-client', { exp: '-1h', iat: '-2h' }).catch((e: unknown) => e)) as Error;
  t.equal(expired.name, 'ExpiredTokenException');
  t.equal(expired.message, 'Token expired: current date/time 2026-06-01T12:00:00Z must be before the expiration date/time 2026-06-01T11:00:00Z');
  // nbf and iat as the exchange checks them (token-times-valid: the profile's clock_skew_seconds, 60).
  const early = (await call('sts-client', { nbf: '+10m' }).catch((e: unknown) => e)) as Error;
  t.same([early.name, early.message], ['InvalidIdentityTokenException', 'The ID Token provided is not yet valid']);
  t.match(labReason(early), /^AssumeRoleWithWebIdentity: web_identity\.not_yet_valid: the assertion is not valid before 2026-06-01T12:10:00\.000Z/);
  const issuedLater = (await call('sts-client', { iat: '+10m' }).catch((e: unknown) => e)) as Error;
  t.same([issuedLater.name, issuedLater.message], ['InvalidIdentityTokenException', 'The ID Token provided was issued in the future']);
  t.equal((await call('sts-client', { nbf: '+30s', iat: '+30s' })).Audience, 'sts-client', 'within the clock skew');
  const noExp = (await call('sts-client', { exp: null }).catch((e: unknown) => e)) as Error;
  t.equal(noExp.name, 'InvalidIdentityTokenException', 'a token without exp');
  const tooLong = (await call('sts-client', {}, 3601).catch((e: unknown) => e)) as Error;
  t.same([tooLong.name, tooLong.message], ['ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'], 'the same default MaxSessionDuration as AssumeRole');
  const badSig = (await call('sts-client', { variant: 'tampered' }).catch((e: unknown) => e)) as Error;
  t.equal(badSig.name, 'InvalidIdentityTokenException');
});
