import t from 'tap';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fixedClock } from '../../server/index.js';
import { ACCOUNT, ROLE_ARN, onLabClock } from '../exchange/helpers/tip-lab.js';
import { ACCESS_TOKEN_TYPE, AUTHORIZATION_CODE, TOKEN_EXCHANGE, WEB_REDIRECT, authorizationUrl, createApplication, startOAuthLab } from './helpers/oauth-lab.js';
import { signInAs } from './helpers/login-browser.js';

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const lab = await startOAuthLab({ clock });
t.teardown(() => lab.lab.close());

t.test('A signs Alice in, hands her access token to B, B assumes a role with her identity context', async (t) => {
  const appA = await createApplication(lab, { name: 'portal', redirectUris: [WEB_REDIRECT] });
  const appB = await createApplication(lab, { name: 'data-api', tokenExchange: true, scopes: ['s3:access_grants:read_write'] });

  // A: Alice signs in at Identity Center's authorize endpoint (no external IdP), A redeems the code.
  const { url, verifier, state } = authorizationUrl(lab.authorizeEndpoint, { client_id: appA, redirect_uri: WEB_REDIRECT });
  const callback = await signInAs(url, lab.users.alice);
  t.equal(callback.searchParams.get('state'), state);
  const a = await lab.iam({ clientId: appA, grantType: AUTHORIZATION_CODE, code: callback.searchParams.get('code')!, redirectUri: WEB_REDIRECT, codeVerifier: verifier });

  // B: gets A's access token (say, as a bearer token on an API call) and exchanges it for its own.
  const b = await lab.iam({ clientId: appB, grantType: TOKEN_EXCHANGE, subjectToken: a.accessToken, subjectTokenType: ACCESS_TOKEN_TYPE, requestedTokenType: ACCESS_TOKEN_TYPE });
  t.equal(b.issuedTokenType, ACCESS_TOKEN_TYPE);

  // B: an identity-enhanced session for Alice.
  const assumed = await lab.sts.send(
    new AssumeRoleCommand({
      RoleArn: ROLE_ARN,
      RoleSessionName: 'data-api',
      ProvidedContexts: [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: b.awsAdditionalDetails!.identityContext }],
    }),
  );
  const creds = assumed.Credentials!;
  const session = lab.lab.services.aws.credentials.lookup(creds.AccessKeyId!);
  t.equal(session?.sessionContext?.['identitystore:UserId'], lab.users.alice, 'the session carries Alice');
  const asAlice = onLabClock(new STSClient({ endpoint: lab.lab.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! } }), clock);
  const who = await asAlice.send(new GetCallerIdentityCommand({}));
  t.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/IdentityBearer/data-api`);

  const log = lab.lab.exchanges({ limit: 3 }).map((e) => `${e.operation} ${e.grantType ?? ''} ${e.outcome}`.replace(/\s+/g, ' '));
  t.same(log, ['Authorize success', `CreateTokenWithIAM ${AUTHORIZATION_CODE} success`, `CreateTokenWithIAM ${TOKEN_EXCHANGE} success`], 'every step in the exchange log');
});
