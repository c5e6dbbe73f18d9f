import t from 'tap';
import { CreateTokenCommand, RegisterClientCommand, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { fixedClock } from '../../server/index.js';
import { ACCESS_TOKEN_TYPE, AUTHORIZATION_CODE, DEVICE_CODE, LOOPBACK_REDIRECT, TOKEN_EXCHANGE, authorizationUrl, createApplication, startOAuthLab, pageReason } from './helpers/oauth-lab.js';
import { signInAs } from './helpers/login-browser.js';
import { refused } from './helpers/refused.js';

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const lab = await startOAuthLab({ clock });
t.teardown(() => lab.lab.close());

type RegisterInput = ConstructorParameters<typeof RegisterClientCommand>[0];
const register = (input: Partial<RegisterInput> = {}) => lab.oidc.send(new RegisterClientCommand({ clientName: 'aws-cli', clientType: 'public', ...input } as RegisterInput));

t.test('the AWS CLI\'s authorization code flow: register, authorize on a loopback port, CreateToken, refresh', async (t) => {
  const client = await register({ grantTypes: [AUTHORIZATION_CODE, 'refresh_token'], redirectUris: [LOOPBACK_REDIRECT], issuerUrl: lab.startUrl, scopes: ['sso:account:access'] });
  const redirect = 'http://127.0.0.1:61234/oauth/callback';
  // The AWS CLI sends the scopes as `scopes`.
  const { url, verifier, state } = authorizationUrl(client.authorizationEndpoint!, { client_id: client.clientId, redirect_uri: redirect, scopes: 'sso:account:access' });
  const callback = await signInAs(url, lab.users.bob);
  t.equal(callback.searchParams.get('state'), state);
  const code = callback.searchParams.get('code')!;
  const tokens = await lab.oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: AUTHORIZATION_CODE, code, redirectUri: redirect, codeVerifier: verifier }));
  t.match(tokens.accessToken, /^aoa/);
  t.match(tokens.refreshToken, /^aor/);
  t.notOk(tokens.idToken);
  t.equal(lab.lab.services.ssoOidc.tokens.credentials.find('access_token', tokens.accessToken!)?.userId, lab.users.bob, 'any user of the instance: a public client without an entitled application checks no assignment');
  const again = await refused(t, lab.oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: AUTHORIZATION_CODE, code, redirectUri: redirect, codeVerifier: verifier })), {
    name: 'InvalidGrantException',
    status: 400,
    step: 'code-valid',
  });
  t.match(again, /now revoked/);
  await refused(t, lab.oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'refresh_token', refreshToken: tokens.refreshToken })), {
    name: 'InvalidGrantException',
    status: 400,
    step: 'client-refresh-token-valid',
  });
});

t.test('CreateToken with an expired refresh token: InvalidGrantException, the captured text (aws-cli #8561)', async (t) => {
  const client = await register({ grantTypes: [AUTHORIZATION_CODE, 'refresh_token'], redirectUris: [LOOPBACK_REDIRECT], issuerUrl: lab.startUrl });
  const { url, verifier } = authorizationUrl(client.authorizationEndpoint!, { client_id: client.clientId, redirect_uri: LOOPBACK_REDIRECT });
  const callback = await signInAs(url, lab.users.bob);
  const tokens = await lab.oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: AUTHORIZATION_CODE, code: callback.searchParams.get('code')!, redirectUri: LOOPBACK_REDIRECT, codeVerifier: verifier }));
  clock.advance(86400 * 1000 + 1000);
  t.teardown(() => clock.advance(-(86400 * 1000 + 1000)));
  const call = lab.oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'refresh_token', refreshToken: tokens.refreshToken }));
  const err = await call.catch((e: unknown) => e);
  const why = await refused(t, Promise.reject(err), { name: 'InvalidGrantException', status: 400, step: 'client-refresh-token-valid' });
  t.match(why, /expired at/);
  t.match(err, { error: 'invalid_grant', error_description: 'Invalid refresh token provided' });
});

t.test('a public client\'s token is not an application\'s: token exchange refuses it', async (t) => {
  const client = await register({ grantTypes: [AUTHORIZATION_CODE], redirectUris: [LOOPBACK_REDIRECT], issuerUrl: lab.instanceArn.replace('arn:aws:sso:::instance/', 'https://identitycenter.amazonaws.com/') });
  const { url, verifier } = authorizationUrl(`${lab.lab.url}/authorize`, { client_id: client.clientId, redirect_uri: LOOPBACK_REDIRECT });
  const callback = await signInAs(url, lab.users.alice);
  const tokens = await lab.oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: AUTHORIZATION_CODE, code: callback.searchParams.get('code')!, redirectUri: LOOPBACK_REDIRECT, codeVerifier: verifier }));
  t.notOk(tokens.refreshToken, 'no refresh_token grant registered, no refresh token');
  const target = await createApplication(lab, { name: 'target', tokenExchange: true });
  const why = await refused(t, lab.iam({ clientId: target, grantType: TOKEN_EXCHANGE, subjectToken: tokens.accessToken, subjectTokenType: ACCESS_TOKEN_TYPE }), { name: 'InvalidRequestException', status: 400, step: 'subject-token-valid' });
  t.match(why, /issued by CreateToken to public client/);
});

t.test('a public client signs in at the instance-scoped path without an issuerUrl', async (t) => {
  const client = await register({ grantTypes: [AUTHORIZATION_CODE], redirectUris: [LOOPBACK_REDIRECT] });
  const atRoot = await fetch(authorizationUrl(`${lab.lab.url}/authorize`, { client_id: client.clientId, redirect_uri: LOOPBACK_REDIRECT }).url, { redirect: 'manual' });
  t.equal(atRoot.status, 400, 'at /authorize the lab cannot tell whose users may sign in');
  t.match(pageReason(atRoot.headers), /^authorize-client-known: .*without an issuerUrl/);
  const callback = await signInAs(authorizationUrl(lab.authorizeEndpoint, { client_id: client.clientId, redirect_uri: LOOPBACK_REDIRECT }).url, lab.users.alice);
  t.ok(callback.searchParams.get('code'));
});

t.test('RegisterClient refusals', async (t) => {
  const metadata = { name: 'InvalidClientMetadataException', status: 400, step: 'client-metadata-valid' } as const;
  await refused(t, register({ clientName: undefined }), { name: 'InvalidRequestException', status: 400, step: 'client-metadata-valid' });
  await refused(t, register({ clientType: 'confidential' }), metadata);
  await refused(t, register({ grantTypes: ['password'] }), metadata);
  await refused(t, register({ grantTypes: ['urn:ietf:params:oauth:grant-type:jwt-bearer'] }), metadata);
  await refused(t, register({ grantTypes: [AUTHORIZATION_CODE] }), metadata);
  await refused(t, register({ grantTypes: [AUTHORIZATION_CODE], redirectUris: ['/relative'] }), { name: 'InvalidRedirectUriException', status: 400, step: 'client-metadata-valid' });
  await refused(t, register({ grantTypes: [AUTHORIZATION_CODE], redirectUris: ['http://127.0.0.1/cb#frag'] }), { name: 'InvalidRedirectUriException', status: 400, step: 'client-metadata-valid' });
  await refused(t, register({ scopes: ['not a scope'] }), { name: 'InvalidScopeException', status: 400, step: 'client-metadata-valid' });
  await refused(t, register({ issuerUrl: 'https://identitycenter.amazonaws.com/ssoins-0000000000000000' }), { name: 'InvalidRequestException', status: 400, step: 'client-metadata-valid' });
  await refused(t, register({ entitledApplicationArn: lab.applicationArn.replace(/apl-\w+$/, 'apl-0000000000000000') }), { name: 'InvalidRequestException', status: 400, step: 'client-metadata-valid' });
});

t.test('CreateToken refusals: client authentication and grant', async (t) => {
  const client = await register({ grantTypes: [DEVICE_CODE] });
  const token = (input: Partial<ConstructorParameters<typeof CreateTokenCommand>[0]>) =>
    lab.oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_CODE, deviceCode: 'x', ...input } as ConstructorParameters<typeof CreateTokenCommand>[0]));
  const invalidClient = { name: 'InvalidClientException', status: 401, step: 'public-client-authenticated' } as const;
  await refused(t, token({ clientSecret: undefined }), { name: 'InvalidRequestException', status: 400, step: 'public-client-authenticated' });
  await refused(t, token({ clientId: 'unknown-client' }), invalidClient);
  await refused(t, token({ clientSecret: 'wrong' }), invalidClient);
  const why = await refused(t, token({ clientId: lab.applicationArn }), invalidClient);
  t.match(why, /CreateTokenWithIAM's clientId/, 'an application ARN: the reason points at CreateTokenWithIAM');
  await refused(t, token({ grantType: undefined }), { name: 'InvalidRequestException', status: 400, step: 'public-grant-registered' });
  const jwt = await refused(t, token({ grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer' }), { name: 'UnsupportedGrantTypeException', status: 400, step: 'public-grant-registered' });
  t.match(jwt, /CreateTokenWithIAM/);
  await refused(t, token({ grantType: 'refresh_token', refreshToken: 'x' }), { name: 'UnauthorizedClientException', status: 400, step: 'public-grant-registered' });
  clock.advance(90 * 86400 * 1000);
  await refused(t, token({}), invalidClient);
  await refused(t, lab.oidc.send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: lab.startUrl })), invalidClient);
  clock.advance(-90 * 86400 * 1000);
});

t.test('a body that is not the modelled shape', async (t) => {
  const res = await fetch(`${lab.lab.url}/client/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"clientName": 7}' });
  t.equal(res.status, 400);
  t.equal(res.headers.get('x-amzn-errortype'), 'InvalidRequestException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/');
  t.equal(pageReason(res.headers), "request: the body is not RegisterClient's modelled shape: Unexpected value type for 'clientName': expected string, got number", 'the reason names the member and its modelled type');
  t.same(await res.json(), { error: 'invalid_request', error_description: 'Invalid request provided' });
});
