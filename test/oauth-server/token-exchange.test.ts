import t from 'tap';
import { decodeJwt } from 'jose';
import { CreateApplicationCommand, CreateApplicationAssignmentCommand, CreateInstanceCommand, DescribeInstanceCommand, PutApplicationAuthenticationMethodCommand, PutApplicationGrantCommand } from '@aws-sdk/client-sso-admin';
import { CreateUserCommand } from '@aws-sdk/client-identitystore';
import { fixedClock } from '../../server/index.js';
import { ACCOUNT } from '../exchange/helpers/tip-lab.js';
import {
  ACCESS_TOKEN_TYPE, AUTHORIZATION_CODE, REFRESH_TOKEN_TYPE, TOKEN_EXCHANGE, WEB_REDIRECT, authorizationUrl, createApplication, startOAuthLab,
} from './helpers/oauth-lab.js';
import { signInAs } from './helpers/login-browser.js';
import { refused } from './helpers/refused.js';

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const lab = await startOAuthLab({ clock });
t.teardown(() => lab.lab.close());
const webApp = await createApplication(lab, { name: 'web-app', redirectUris: [WEB_REDIRECT], refresh: true, assign: ['alice', 'bob'] });
const analytics = await createApplication(lab, { name: 'analytics', tokenExchange: true, refresh: true, scopes: ['redshift:connect'] });
const noRefresh = await createApplication(lab, { name: 'exchange-only', tokenExchange: true });

const INVALID_REQUEST = { name: 'InvalidRequestException', status: 400 } as const;

/** The user signs in to web-app (authorization code flow); web-app gets its tokens. */
async function webAppTokens(userId = lab.users.alice) {
  const { url, verifier } = authorizationUrl(lab.authorizeEndpoint, { client_id: webApp, redirect_uri: WEB_REDIRECT });
  const callback = await signInAs(url, userId);
  return lab.iam({ clientId: webApp, grantType: AUTHORIZATION_CODE, code: callback.searchParams.get('code')!, redirectUri: WEB_REDIRECT, codeVerifier: verifier });
}

const exchange = (input: { subjectToken?: string; subjectTokenType?: string; requestedTokenType?: string; scope?: string[]; clientId?: string }) =>
  lab.iam({ clientId: analytics, grantType: TOKEN_EXCHANGE, subjectTokenType: ACCESS_TOKEN_TYPE, ...input });

t.test('web-app\'s access token becomes analytics\' tokens for the same user', async (t) => {
  const a = await webAppTokens();
  clock.advance(120_000);
  const b = await exchange({ subjectToken: a.accessToken, requestedTokenType: ACCESS_TOKEN_TYPE });
  t.equal(b.issuedTokenType, ACCESS_TOKEN_TYPE, 'issuedTokenType follows requestedTokenType');
  t.notOk(b.refreshToken, 'an access token only');
  t.not(b.accessToken, a.accessToken);
  t.same(b.scope, ['redshift:connect', 'openid', 'aws', 'sts:identity_context'], 'the target application\'s scopes');
  const idA = decodeJwt(a.idToken!);
  const idB = decodeJwt(b.idToken!);
  t.equal(idB.sub, lab.users.alice, 'the same user');
  t.not(idB.aud, idA.aud, 'for the target application');
  t.equal(idB.auth_time, idA.auth_time, 'the original sign-in time');
  t.equal(idB.iat, idA.iat! + 120);
  t.ok(b.awsAdditionalDetails?.identityContext);
  const record = lab.lab.services.ssoOidc.tokens.credentials.find('access_token', b.accessToken!)!;
  t.same(record.client, { kind: 'application', id: analytics });

  const withRefresh = await exchange({ subjectToken: a.accessToken, requestedTokenType: REFRESH_TOKEN_TYPE, scope: ['redshift:connect'] });
  t.equal(withRefresh.issuedTokenType, REFRESH_TOKEN_TYPE);
  t.match(withRefresh.refreshToken, /^aor/);
  t.same(withRefresh.scope, ['redshift:connect'], 'the caller\'s requested scopes');
  const renewed = await lab.iam({ clientId: analytics, grantType: 'refresh_token', refreshToken: withRefresh.refreshToken });
  t.equal(decodeJwt(renewed.idToken!).sub, lab.users.alice, 'and analytics refreshes it like any other');

  const byDefault = await exchange({ subjectToken: a.accessToken });
  t.equal(byDefault.issuedTokenType, REFRESH_TOKEN_TYPE, 'no requestedTokenType: as the other grants (a refresh token with a refresh_token grant)');
  clock.advance(-120_000);
});

t.test('a jwt-bearer token keeps its act.sub (the trusted token issuer that vouched) through the exchange', async (t) => {
  const tip = await lab.exchange({ assertion: await lab.mint() });
  const b = await exchange({ subjectToken: tip.accessToken });
  t.same(decodeJwt(b.idToken!).act, { sub: lab.ttiArn });
});

t.test('refusals', async (t) => {
  const a = await webAppTokens();
  t.test('subjectToken missing', async (t) => {
    await refused(t, exchange({}), { ...INVALID_REQUEST, step: 'subject-token-valid' });
  });
  t.test('subjectTokenType missing', async (t) => {
    await refused(t, exchange({ subjectToken: a.accessToken, subjectTokenType: undefined }), { ...INVALID_REQUEST, step: 'subject-token-valid' });
  });
  t.test('subjectTokenType id_token', async (t) => {
    const why = await refused(t, exchange({ subjectToken: a.idToken, subjectTokenType: 'urn:ietf:params:oauth:token-type:id_token' }), { ...INVALID_REQUEST, step: 'subject-token-valid' });
    t.match(why, /exchanges only urn:ietf:params:oauth:token-type:access_token/);
  });
  t.test('requestedTokenType id_token', async (t) => {
    await refused(t, exchange({ subjectToken: a.accessToken, requestedTokenType: 'urn:ietf:params:oauth:token-type:id_token' }), { ...INVALID_REQUEST, step: 'requested-token-type-supported' });
  });
  t.test('a refresh token requested by an application without a refresh_token grant', async (t) => {
    await refused(t, exchange({ clientId: noRefresh, subjectToken: a.accessToken, requestedTokenType: REFRESH_TOKEN_TYPE }), { name: 'UnauthorizedClientException', status: 400, step: 'requested-token-type-supported' });
    const ok = await exchange({ clientId: noRefresh, subjectToken: a.accessToken });
    t.equal(ok.issuedTokenType, ACCESS_TOKEN_TYPE, 'without requestedTokenType it gets an access token');
  });
  t.test('an unknown subject token', async (t) => {
    await refused(t, exchange({ subjectToken: 'aoa-not-a-token' }), { ...INVALID_REQUEST, step: 'subject-token-valid' });
  });
  t.test('an external IdP JWT as the subject token', async (t) => {
    const why = await refused(t, exchange({ subjectToken: await lab.mint() }), { ...INVALID_REQUEST, step: 'subject-token-valid' });
    t.match(why, /jwt-bearer grant/);
  });
  t.test('a refresh token as the subject token', async (t) => {
    const why = await refused(t, exchange({ subjectToken: a.refreshToken }), { ...INVALID_REQUEST, step: 'subject-token-valid' });
    t.match(why, /is a refresh token/);
  });
  t.test('the application\'s own token', async (t) => {
    const own = await exchange({ subjectToken: a.accessToken });
    const why = await refused(t, exchange({ subjectToken: own.accessToken }), { ...INVALID_REQUEST, step: 'subject-token-valid' });
    t.match(why, /issued to application "analytics" itself/);
  });
  t.test('an expired subject token', async (t) => {
    const fresh = await webAppTokens();
    clock.advance(3600_000);
    await refused(t, exchange({ subjectToken: fresh.accessToken }), { ...INVALID_REQUEST, step: 'subject-token-valid' });
    clock.advance(-3600_000);
  });
  t.test('a subject token of another instance', async (t) => {
    const { InstanceArn } = await lab.ssoAdmin.send(new CreateInstanceCommand({}));
    const { IdentityStoreId } = await lab.ssoAdmin.send(new DescribeInstanceCommand({ InstanceArn }));
    const { UserId } = await lab.identityStore.send(new CreateUserCommand({ IdentityStoreId, UserName: 'eve', DisplayName: 'Eve', Name: { GivenName: 'Eve', FamilyName: 'Other' } }));
    const { ApplicationArn } = await lab.ssoAdmin.send(new CreateApplicationCommand({ InstanceArn, ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom', Name: 'foreign' }));
    await lab.ssoAdmin.send(new PutApplicationGrantCommand({ ApplicationArn, GrantType: AUTHORIZATION_CODE, Grant: { AuthorizationCode: { RedirectUris: [WEB_REDIRECT] } } }));
    await lab.ssoAdmin.send(
      new PutApplicationAuthenticationMethodCommand({ ApplicationArn, AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sso-oauth:CreateTokenWithIAM', Resource: '*' }] } } } }),
    );
    await lab.ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalId: UserId, PrincipalType: 'USER' }));
    const { url, verifier } = authorizationUrl(`${lab.lab.url}/identity-center/${InstanceArn!.split('/').pop()}/authorize`, { client_id: ApplicationArn!, redirect_uri: WEB_REDIRECT });
    const callback = await signInAs(url, UserId!);
    const foreign = await lab.iam({ clientId: ApplicationArn!, grantType: AUTHORIZATION_CODE, code: callback.searchParams.get('code')!, redirectUri: WEB_REDIRECT, codeVerifier: verifier });
    const why = await refused(t, exchange({ subjectToken: foreign.accessToken }), { ...INVALID_REQUEST, step: 'subject-token-valid' });
    t.match(why, /issued by instance arn:aws:sso:::instance\/ssoins-/);
  });
  t.test('a user not assigned to the target application', async (t) => {
    const bobAtWebApp = await webAppTokens(lab.users.bob);
    await refused(t, exchange({ subjectToken: bobAtWebApp.accessToken }), { name: 'AccessDeniedException', status: 400, step: 'user-assigned' });
  });
  t.test('a scope the target application does not have', async (t) => {
    await refused(t, exchange({ subjectToken: a.accessToken, scope: ['reports:read'] }), { name: 'InvalidScopeException', status: 400, step: 'scopes-allowed' });
  });
  t.test('a target application without a TokenExchange grant', async (t) => {
    await refused(t, exchange({ clientId: webApp, subjectToken: a.accessToken }), { name: 'UnauthorizedClientException', status: 400, step: 'grant-type-configured' });
  });
});
