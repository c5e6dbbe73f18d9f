import t from 'tap';
import { decodeJwt } from 'jose';
import { fixedClock } from '../../server/index.js';
import { labReason } from '../exchange/helpers/tip-lab.js';
import { AUTHORIZATION_CODE, LOOPBACK_REDIRECT, WEB_REDIRECT, authorizationUrl, createApplication, startOAuthLab, pageReason } from './helpers/oauth-lab.js';
import { formsOf, open, signInAs, submit } from './helpers/login-browser.js';

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const lab = await startOAuthLab({ clock });
t.teardown(() => lab.lab.close());
const webApp = await createApplication(lab, { name: 'web-app', redirectUris: [WEB_REDIRECT, LOOPBACK_REDIRECT], refresh: true, scopes: ['reports:read'] });

t.test('browser-less round trip: login page, pick a user, redirect with code and state, CreateTokenWithIAM', async (t) => {
  const { url, verifier, state } = authorizationUrl(lab.authorizeEndpoint, { client_id: webApp, redirect_uri: WEB_REDIRECT, scope: 'openid reports:read' });
  const login = await open(url);
  t.equal(login.status, 200);
  t.match(login.headers.get('content-type'), /^text\/html/);
  t.equal(login.headers.get('cache-control'), 'no-store');
  t.match(login.html, /<html lang="en">/);
  t.match(login.html, /Application <strong>web-app<\/strong>/);
  t.notMatch(login.html, /<script|<link|https?:\/\/(?!localhost|127\.0\.0\.1)/, 'no scripts, no external assets');
  const forms = formsOf(login.html);
  t.same(forms.map((f) => f.button), ['Sign in as Alice Example', 'Sign in as Bob Example', 'Cancel'], 'every user of the identity store, then Cancel');
  t.match(login.html, /not assigned to this application/, 'Bob is marked as not assigned');

  clock.advance(5_000);
  const back = await submit(login.url, forms[0]!);
  t.equal(back.status, 302);
  const callback = back.location!;
  t.equal(`${callback.origin}${callback.pathname}`, WEB_REDIRECT);
  t.equal(callback.searchParams.get('state'), state);
  const code = callback.searchParams.get('code')!;
  t.match(code, /^[A-Za-z0-9_-]{43}$/);

  clock.advance(60_000);
  const res = await lab.iam({ clientId: webApp, grantType: AUTHORIZATION_CODE, code, redirectUri: WEB_REDIRECT, codeVerifier: verifier });
  t.equal(res.tokenType, 'Bearer');
  t.equal(res.expiresIn, 3600);
  t.match(res.accessToken, /^aoa/);
  t.match(res.refreshToken, /^aor/);
  t.equal(res.issuedTokenType, 'urn:ietf:params:oauth:token-type:refresh_token');
  t.same(res.scope, ['openid', 'reports:read'], 'the scopes the user authorized');
  const claims = decodeJwt(res.idToken!);
  t.equal(claims.sub, lab.users.alice);
  t.notOk('act' in claims, 'no act: no trusted token issuer vouched, the user signed in to Identity Center');
  t.equal(claims.auth_time, '2026-06-01T12:00:05Z', 'auth_time is when the user signed in on the login page');
  t.equal(claims.iat, Date.parse('2026-06-01T12:01:05Z') / 1000);
  t.ok(res.awsAdditionalDetails?.identityContext);

  const entry = lab.lab.exchanges({ limit: 1 })[0]!;
  t.same(
    entry.trace.map((s) => `${s.step}:${s.verdict}`),
    ['client-is-application', 'caller-allowed-by-actor-policy', 'grant-type-configured', 'code-valid', 'redirect-uri-matches', 'pkce-verified', 'user-assigned', 'scopes-allowed', 'tokens-issued'].map((s) => `${s}:pass`),
  );
  const signIn = lab.lab.exchanges({ limit: 3 }).find((e) => e.operation === 'Authorize' && e.trace.some((s) => s.step === 'authorization-code-issued'));
  t.ok(signIn, 'the sign-in is in the exchange log too');

  const refreshed = await lab.iam({ clientId: webApp, grantType: 'refresh_token', refreshToken: res.refreshToken });
  t.equal(decodeJwt(refreshed.idToken!).auth_time, '2026-06-01T12:00:05Z', 'auth_time survives a refresh');
});

t.test('the real endpoint path /authorize, a loopback redirect on any port, scopes omitted', async (t) => {
  const redirect = 'http://127.0.0.1:53682/oauth/callback';
  const { url, verifier } = authorizationUrl(`${lab.lab.url}/authorize`, { client_id: webApp, redirect_uri: redirect });
  const callback = await signInAs(url, lab.users.alice);
  t.equal(`${callback.origin}${callback.pathname}`, redirect);
  const res = await lab.iam({ clientId: webApp, grantType: AUTHORIZATION_CODE, code: callback.searchParams.get('code')!, redirectUri: redirect, codeVerifier: verifier });
  t.same(res.scope, ['reports:read', 'openid', 'aws', 'sts:identity_context'], 'no scope asked: all of the application\'s and the defaults');
});

t.test('the instance discovery names the authorize endpoint', async (t) => {
  const discovery = (await (await fetch(`${lab.lab.url}/identity-center/${lab.instanceArn.split('/').pop()}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  t.equal(discovery.authorization_endpoint, lab.authorizeEndpoint);
  t.same(discovery.code_challenge_methods_supported, ['S256']);
});

t.test('cancel on the login page sends access_denied back to the client', async (t) => {
  const { url, state } = authorizationUrl(lab.authorizeEndpoint, { client_id: webApp, redirect_uri: WEB_REDIRECT });
  const login = await open(url);
  const cancel = formsOf(login.html).find((f) => f.button === 'Cancel')!;
  const back = await submit(login.url, cancel);
  t.equal(back.status, 302);
  t.equal(back.location?.searchParams.get('error'), 'access_denied');
  t.equal(back.location?.searchParams.get('state'), state);
  t.notOk(back.location?.searchParams.has('code'));
  t.match(pageReason(back.headers), /^authorize-user-signed-in: the user cancelled/);
});

t.test('an unassigned user signs in, and the token request says why it is refused', async (t) => {
  const { url, verifier } = authorizationUrl(lab.authorizeEndpoint, { client_id: webApp, redirect_uri: WEB_REDIRECT });
  const callback = await signInAs(url, lab.users.bob);
  const err = await lab.iam({ clientId: webApp, grantType: AUTHORIZATION_CODE, code: callback.searchParams.get('code')!, redirectUri: WEB_REDIRECT, codeVerifier: verifier }).catch((e: unknown) => e);
  t.equal((err as Error).name, 'AccessDeniedException');
  t.match(labReason(err), /^user-assigned: /);
});
