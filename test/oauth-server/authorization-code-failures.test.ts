import t from 'tap';
import { DeleteUserCommand, CreateUserCommand } from '@aws-sdk/client-identitystore';
import { fixedClock } from '../../server/index.js';
import { AUTHORIZATION_CODE, WEB_REDIRECT, authorizationUrl, createApplication, pageReason, startOAuthLab } from './helpers/oauth-lab.js';
import { formFor, open, signInAs, submit } from './helpers/login-browser.js';
import { refused, type TapTest } from './helpers/refused.js';

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const lab = await startOAuthLab({ clock });
t.teardown(() => lab.lab.close());
const webApp = await createApplication(lab, { name: 'web-app', redirectUris: [WEB_REDIRECT, 'https://app.example.com/cb'], refresh: true, scopes: ['reports:read'] });
const otherApp = await createApplication(lab, { name: 'other-app', redirectUris: [WEB_REDIRECT] });

const INVALID_GRANT = { name: 'InvalidGrantException', status: 400 } as const;
const INVALID_REQUEST = { name: 'InvalidRequestException', status: 400 } as const;

/** A code for Alice at web-app, redirected to WEB_REDIRECT. */
async function aliceCode(params: Record<string, string> = {}, userId = lab.users.alice) {
  const { url, verifier } = authorizationUrl(lab.authorizeEndpoint, { client_id: webApp, redirect_uri: WEB_REDIRECT, ...params });
  const callback = await signInAs(url, userId);
  return { code: callback.searchParams.get('code')!, verifier };
}

const redeem = (input: { code?: string; redirectUri?: string; codeVerifier?: string; clientId?: string; scope?: string[] }) =>
  lab.iam({ clientId: webApp, grantType: AUTHORIZATION_CODE, redirectUri: WEB_REDIRECT, ...input });

/** Expects the authorize endpoint to show an error page (no redirect): status, error code, step. */
async function errorPage(t: TapTest, params: Record<string, string | undefined>, expected: { status: number; error: string; step: string }, base = lab.authorizeEndpoint) {
  const { url } = authorizationUrl(base, params);
  const res = await open(url);
  t.equal(res.status, expected.status, 'status');
  t.notOk(res.location, 'not redirected: the redirect URI cannot be trusted');
  t.match(res.html, new RegExp(`<code>${expected.error}</code>`), `page says ${expected.error}`);
  const why = pageReason(res.headers);
  t.match(why, new RegExp(`^${expected.step}: `), `failed at ${expected.step}`);
  t.ok(res.headers.get('x-tti-lab-exchange'), 'logged');
  return why;
}

/** Expects the authorize endpoint to redirect the error to the client: error code, state kept, step. */
async function errorRedirect(t: TapTest, params: Record<string, string | undefined>, expected: { error: string; step: string }) {
  const { url, state } = authorizationUrl(lab.authorizeEndpoint, { client_id: webApp, redirect_uri: WEB_REDIRECT, ...params });
  const res = await open(url);
  t.equal(res.status, 302, 'redirected to the client');
  t.equal(`${res.location?.origin}${res.location?.pathname}`, WEB_REDIRECT);
  t.equal(res.location?.searchParams.get('error'), expected.error, 'error');
  t.equal(res.location?.searchParams.get('state'), params.state ?? state, 'state kept');
  t.notOk(res.location?.searchParams.has('code'));
  t.match(pageReason(res.headers), new RegExp(`^${expected.step}: `), `failed at ${expected.step}`);
}

t.test('authorize: refusals shown to the user (RFC 6749 §4.1.2.1: never redirected)', async (t) => {
  t.test('client_id missing', (t) => errorPage(t, { redirect_uri: WEB_REDIRECT }, { status: 400, error: 'invalid_request', step: 'authorize-client-known' }));
  t.test('unknown application', (t) =>
    errorPage(t, { client_id: webApp.replace(/apl-\w+$/, 'apl-0000000000000000'), redirect_uri: WEB_REDIRECT }, { status: 400, error: 'invalid_client', step: 'authorize-client-known' }));
  t.test('unknown public client', async (t) => {
    const why = await errorPage(t, { client_id: 'not-registered', redirect_uri: WEB_REDIRECT }, { status: 400, error: 'invalid_client', step: 'authorize-client-known' });
    t.match(why, /RegisterClient/);
  });
  t.test('unknown instance in the path', (t) =>
    errorPage(t, { client_id: webApp, redirect_uri: WEB_REDIRECT }, { status: 400, error: 'invalid_client', step: 'authorize-client-known' }, `${lab.lab.url}/identity-center/ssoins-0000000000000000/authorize`));
  t.test('a parameter given twice', async (t) => {
    const { url } = authorizationUrl(lab.authorizeEndpoint, { client_id: webApp, redirect_uri: WEB_REDIRECT });
    url.searchParams.append('redirect_uri', 'https://evil.example.com/cb');
    const res = await open(url);
    t.equal(res.status, 400);
    t.notOk(res.location);
    t.match(pageReason(res.headers), /^authorize-parameters-unique: redirect_uri is given more than once/);
  });
  t.test('application without an authorization_code grant', (t) =>
    errorPage(t, { client_id: lab.applicationArn, redirect_uri: WEB_REDIRECT }, { status: 400, error: 'unauthorized_client', step: 'authorize-grant-configured' }));
  t.test('redirect_uri missing', (t) => errorPage(t, { client_id: webApp }, { status: 400, error: 'invalid_request', step: 'authorize-redirect-uri-registered' }));
  t.test('redirect_uri not registered', async (t) => {
    await errorPage(t, { client_id: webApp, redirect_uri: 'https://evil.example.com/cb' }, { status: 400, error: 'invalid_redirect_uri', step: 'authorize-redirect-uri-registered' });
  });
  t.test('a near miss is named: trailing slash', async (t) => {
    const why = await errorPage(t, { client_id: webApp, redirect_uri: `${WEB_REDIRECT}/` }, { status: 400, error: 'invalid_redirect_uri', step: 'authorize-redirect-uri-registered' });
    t.match(why, /only by a trailing slash/);
  });
  t.test('a near miss is named: localhost for 127.0.0.1', async (t) => {
    const why = await errorPage(t, { client_id: webApp, redirect_uri: 'http://127.0.0.1:3000/callback' }, { status: 400, error: 'invalid_redirect_uri', step: 'authorize-redirect-uri-registered' });
    t.match(why, /localhost and 127\.0\.0\.1 are different/);
  });
  t.test('a port on a registered non-loopback URI is not ignored', (t) =>
    errorPage(t, { client_id: webApp, redirect_uri: 'https://app.example.com:8443/cb' }, { status: 400, error: 'invalid_redirect_uri', step: 'authorize-redirect-uri-registered' }));
});

t.test('authorize: refusals sent back to the client once its redirect URI is trusted', async (t) => {
  t.test('response_type token', (t) => errorRedirect(t, { response_type: 'token' }, { error: 'unsupported_response_type', step: 'authorize-response-type-code' }));
  t.test('no code_challenge', (t) => errorRedirect(t, { code_challenge: undefined, code_challenge_method: undefined }, { error: 'invalid_request', step: 'authorize-pkce-challenge' }));
  t.test('plain PKCE', (t) => errorRedirect(t, { code_challenge_method: 'plain' }, { error: 'invalid_request', step: 'authorize-pkce-challenge' }));
  t.test('challenge not S256-shaped', (t) => errorRedirect(t, { code_challenge: 'short' }, { error: 'invalid_request', step: 'authorize-pkce-challenge' }));
  t.test('a scope the application does not have', (t) => errorRedirect(t, { scope: 'openid redshift:connect' }, { error: 'invalid_scope', step: 'authorize-scopes-allowed' }));
  t.test('the login form names no user of the instance', async (t) => {
    const { url, state } = authorizationUrl(lab.authorizeEndpoint, { client_id: webApp, redirect_uri: WEB_REDIRECT });
    const login = await open(url);
    const back = await submit(login.url, formFor(login.html, lab.users.alice), { user_id: 'not-a-user' });
    t.equal(back.status, 302);
    t.equal(back.location?.searchParams.get('error'), 'access_denied');
    t.equal(back.location?.searchParams.get('state'), state);
    t.match(pageReason(back.headers), /^authorize-user-signed-in: "not-a-user" is not a user of identity store d-/);
  });
});

t.test('token endpoint: every refusal of the authorization_code grant', async (t) => {
  t.test('code missing', async (t) => {
    await refused(t, redeem({ codeVerifier: 'x' }), { ...INVALID_REQUEST, step: 'code-valid' });
  });
  t.test('unknown code', async (t) => {
    await refused(t, redeem({ code: 'not-a-code', codeVerifier: 'x' }), { ...INVALID_GRANT, step: 'code-valid' });
  });
  t.test('a code issued to another application', async (t) => {
    const { code, verifier } = await aliceCode();
    const why = await refused(t, redeem({ clientId: otherApp, code, codeVerifier: verifier }), { ...INVALID_GRANT, step: 'code-valid' });
    t.match(why, /issued to arn:aws:sso::000000000000:application\/.*, not to/);
    t.ok(await redeem({ code, codeVerifier: verifier }), 'and the right application can still redeem it');
  });
  t.test('a code used twice: refused, and the tokens issued from it revoked (RFC 6749 §4.1.2)', async (t) => {
    const { code, verifier } = await aliceCode();
    const first = await redeem({ code, codeVerifier: verifier });
    const why = await refused(t, redeem({ code, codeVerifier: verifier }), { ...INVALID_GRANT, step: 'code-valid' });
    t.match(why, /already presented at 2026-06-01T12:00:00\.000Z.*now revoked/);
    await refused(t, lab.iam({ clientId: webApp, grantType: 'refresh_token', refreshToken: first.refreshToken }), { ...INVALID_GRANT, step: 'refresh-token-valid' });
    t.notOk(lab.lab.services.ssoOidc.tokens.credentials.find('access_token', first.accessToken!), 'the access token is forgotten');
  });
  t.test('a code used twice after its refresh token was rotated: the tokens refreshed from it are revoked too (one grant)', async (t) => {
    const { code, verifier } = await aliceCode();
    const first = await redeem({ code, codeVerifier: verifier });
    const refreshed = await lab.iam({ clientId: webApp, grantType: 'refresh_token', refreshToken: first.refreshToken });
    t.ok(refreshed.refreshToken, 'the refresh rotates');
    await refused(t, redeem({ code, codeVerifier: verifier }), { ...INVALID_GRANT, step: 'code-valid' });
    await refused(t, lab.iam({ clientId: webApp, grantType: 'refresh_token', refreshToken: refreshed.refreshToken }), { ...INVALID_GRANT, step: 'refresh-token-valid' });
    t.notOk(lab.lab.services.ssoOidc.tokens.credentials.find('access_token', refreshed.accessToken!), 'the refreshed access token is forgotten');
  });
  t.test('an expired code', async (t) => {
    const { code, verifier } = await aliceCode();
    clock.advance(300_000);
    const why = await refused(t, redeem({ code, codeVerifier: verifier }), { ...INVALID_GRANT, step: 'code-valid' });
    t.match(why, /expired at 2026-06-01T12:05:00\.000Z/);
    clock.advance(-300_000);
  });
  t.test('redirectUri missing', async (t) => {
    const { code, verifier } = await aliceCode();
    await refused(t, redeem({ code, codeVerifier: verifier, redirectUri: undefined }), { ...INVALID_REQUEST, step: 'redirect-uri-matches' });
  });
  t.test('redirectUri another registered one than the code was sent to', async (t) => {
    const { code, verifier } = await aliceCode();
    const why = await refused(t, redeem({ code, codeVerifier: verifier, redirectUri: 'https://app.example.com/cb' }), { ...INVALID_GRANT, step: 'redirect-uri-matches' });
    t.match(why, /must be identical/);
  });
  t.test('the code is spent by a failed redemption: one try for an intercepted code', async (t) => {
    const { code, verifier } = await aliceCode();
    await refused(t, redeem({ code, codeVerifier: verifier, redirectUri: 'https://app.example.com/cb' }), { ...INVALID_GRANT, step: 'redirect-uri-matches' });
    await refused(t, redeem({ code, codeVerifier: verifier }), { ...INVALID_GRANT, step: 'code-valid' });
  });
  t.test('codeVerifier missing', async (t) => {
    const { code } = await aliceCode();
    await refused(t, redeem({ code }), { ...INVALID_REQUEST, step: 'pkce-verified' });
  });
  t.test('a wrong codeVerifier', async (t) => {
    const { code } = await aliceCode();
    const why = await refused(t, redeem({ code, codeVerifier: 'a'.repeat(64) }), { ...INVALID_GRANT, step: 'pkce-verified' });
    t.match(why, /is not the code_challenge/);
  });
  t.test('the challenge passed as the verifier', async (t) => {
    const { url } = authorizationUrl(lab.authorizeEndpoint, { client_id: webApp, redirect_uri: WEB_REDIRECT });
    const challenge = url.searchParams.get('code_challenge')!;
    const code = (await signInAs(url, lab.users.alice)).searchParams.get('code')!;
    const why = await refused(t, redeem({ code, codeVerifier: challenge }), { ...INVALID_GRANT, step: 'pkce-verified' });
    t.match(why, /43–128 characters.*it has 43|is not the code_challenge/);
  });
  t.test('a scope beyond what the user authorized', async (t) => {
    const { code, verifier } = await aliceCode({ scope: 'openid' });
    await refused(t, redeem({ code, codeVerifier: verifier, scope: ['openid', 'reports:read'] }), { name: 'InvalidScopeException', status: 400, step: 'scopes-allowed' });
  });
  t.test('the user was deleted between sign-in and redemption', async (t) => {
    const { UserId } = await lab.identityStore.send(new CreateUserCommand({ IdentityStoreId: lab.identityStoreId, UserName: 'dora', DisplayName: 'Dora', Name: { GivenName: 'Dora', FamilyName: 'Example' } }));
    const { code, verifier } = await aliceCode({}, UserId!);
    await lab.identityStore.send(new DeleteUserCommand({ IdentityStoreId: lab.identityStoreId, UserId }));
    await refused(t, redeem({ code, codeVerifier: verifier }), { ...INVALID_GRANT, step: 'code-valid' });
  });
  t.test('an application without the grant', async (t) => {
    const { code, verifier } = await aliceCode();
    await refused(t, redeem({ clientId: lab.applicationArn, code, codeVerifier: verifier }), { name: 'UnauthorizedClientException', status: 400, step: 'grant-type-configured' });
  });
});
