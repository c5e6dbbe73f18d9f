import t from 'tap';

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];
import * as client from 'openid-client';
import { CreateTokenWithIAMCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Browser } from '../issuer/helpers/browser.js';
import { ALICE, CLIENT_ID, CREDENTIALS, JWT_BEARER, ROLE_ARN, startTipLab } from './helpers/tip-lab.js';

const REDIRECT_URI = 'http://localhost:3000/callback';
const tip = await startTipLab();
t.teardown(() => tip.lab.close());

/** A user signs in at the lab's issuer with a real relying party; the app gets an ID token. */
async function signInWithOpenIdClient(): Promise<string> {
  const config = await client.discovery(new URL(tip.lab.issuer('okta').url), CLIENT_ID, undefined, client.ClientSecretBasic('tip-secret'), { execute: [client.allowInsecureRequests] });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  // A nonce, as a real relying party sends: it makes every ID token unique. Without it two sign-ins of
  // the same user in the same second give byte-identical ID tokens, and the second exchange is
  // (rightly) refused as a replay.
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const callback = await new Browser().signIn(url, ALICE.sub, REDIRECT_URI);
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  return tokens.id_token!;
}

/** What a real TIP application does, with whatever SDK clients it is given. */
async function tipApplication(t: TapTest, oidc: SSOOIDCClient, sts: (c?: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) => STSClient) {
  const idToken = await signInWithOpenIdClient();
  const first = await oidc.send(new CreateTokenWithIAMCommand({ clientId: tip.applicationArn, grantType: JWT_BEARER, assertion: idToken }));
  t.ok(first.refreshToken, 'jwt-bearer: tokens for the signed-in user');
  const refreshed = await oidc.send(new CreateTokenWithIAMCommand({ clientId: tip.applicationArn, grantType: 'refresh_token', refreshToken: first.refreshToken }));
  t.ok(refreshed.awsAdditionalDetails?.identityContext, 'refresh: a new identity context');
  const { Credentials } = await sts().send(
    new AssumeRoleCommand({
      RoleArn: ROLE_ARN,
      RoleSessionName: 'tip-app',
      ProvidedContexts: [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: refreshed.awsAdditionalDetails!.identityContext }],
    }),
  );
  const who = await sts({ accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! }).send(new GetCallerIdentityCommand({}));
  t.equal(who.Arn, 'arn:aws:sts::000000000000:assumed-role/IdentityBearer/tip-app');
  t.equal(tip.lab.services.aws.credentials.lookup(Credentials!.AccessKeyId!)?.sessionContext?.['identitystore:UserId'], tip.users.alice, 'an identity-enhanced session for Alice');
}

t.test('sign in with openid-client, exchange, refresh, AssumeRole, GetCallerIdentity (endpoint override)', async (t) => {
  const common = { endpoint: tip.lab.url, region: 'us-east-1' };
  await tipApplication(t, new SSOOIDCClient({ ...common, credentials: CREDENTIALS }), (c) => new STSClient({ ...common, credentials: c ?? CREDENTIALS }));
});

t.test('the same with AWS_ENDPOINT_URL only', async (t) => {
  const saved = { ...process.env };
  process.env.AWS_ENDPOINT_URL = tip.lab.url;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = 'us-east-1';
  t.teardown(() => {
    process.env = saved;
  });
  await tipApplication(t, new SSOOIDCClient({}), (c) => new STSClient(c ? { credentials: c } : {}));
});
