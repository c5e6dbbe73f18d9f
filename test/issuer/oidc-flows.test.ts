import t from 'tap';
import { X509Certificate } from 'node:crypto';
import * as client from 'openid-client';
import { createRemoteJWKSet, customFetch, decodeJwt, jwtVerify } from 'jose';
import { startLab } from '../../server/lab/start-lab.js';
import { Browser } from './helpers/browser.js';
import { fetchTrusting } from './helpers/https-fetch.js';
import {
  ALICE, BOB, DEFAULT_AUDIENCE, PORTAL_CLIENT, POST_LOGOUT_URI, REDIRECT_URI, REPORTS_RESOURCE, SPA_CLIENT, WEB_CLIENT, issuerConfig,
} from './helpers/lab-config.js';

// oidc-provider warns (in-memory adapter) and notices (default policies, default pages) on the console.
const warnings = t.capture(console, 'warn');
const notices = t.capture(console, 'info');

const lab = await startLab({ config: { issuers: [issuerConfig('okta'), issuerConfig('other', 'ES256')] }, inMemory: true });
t.teardown(() => lab.close());
const okta = lab.issuer('okta');

const discover = (clientId: string, auth?: client.ClientAuth, issuer = okta) =>
  client.discovery(new URL(issuer.url), clientId, undefined, auth, { execute: [client.allowInsecureRequests] });

/** Has a default audience: its access tokens are JWTs for that audience. */
const web = await discover(WEB_CLIENT.client_id, client.ClientSecretBasic(WEB_CLIENT.client_secret));
/** Has none: its access tokens are opaque, for userinfo. */
const portal = await discover(PORTAL_CLIENT.client_id, client.ClientSecretBasic(PORTAL_CLIENT.client_secret));
const jwks = createRemoteJWKSet(new URL(okta.jwksUrl));

/** The whole authorization code + PKCE flow as a relying party runs it. */
async function signIn(config: client.Configuration, sub: string, extra: Record<string, string> = {}, browser = new Browser()) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email groups',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  const callback = await browser.signIn(url, sub, REDIRECT_URI);
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  return { tokens, browser };
}

t.test('discovery answers with the issuer URL and endpoints under it', async (t) => {
  const meta = web.serverMetadata();
  t.equal(meta.issuer, okta.url);
  t.equal(meta.jwks_uri, okta.jwksUrl);
  for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'introspection_endpoint', 'revocation_endpoint', 'end_session_endpoint'] as const) {
    t.ok(String(meta[endpoint]).startsWith(`${okta.url}/`), `${endpoint} is under the issuer`);
  }
  t.ok(meta.code_challenge_methods_supported?.includes('S256'));
  const listed = (await (await fetch(`${lab.url}/issuers`)).json()) as { issuers: { name: string; issuer: string; discovery: string; jwks_uri: string }[] };
  t.match(listed.issuers, [
    { name: 'okta', issuer: okta.url, discovery: okta.discoveryUrl, jwks_uri: okta.jwksUrl },
    { name: 'other', issuer: lab.issuer('other').url },
  ]);
});

t.test('authorization code + PKCE: an ID token for the client, verified against the JWKS, with the user\'s claims', async (t) => {
  const { tokens } = await signIn(web, ALICE.sub);
  t.ok(tokens.id_token && tokens.access_token && tokens.refresh_token, 'id, access and refresh tokens');
  const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer: okta.url, audience: WEB_CLIENT.client_id });
  t.equal(payload.aud, WEB_CLIENT.client_id, 'aud is the client id, a string');
  t.equal(payload.sub, ALICE.sub);
  t.equal(protectedHeader.alg, 'RS256');
  t.equal(payload.email, ALICE.email);
  t.equal(payload.name, ALICE.name);
  t.same(payload.groups, ALICE.groups);
  t.equal(payload.department, ALICE.department, 'custom claim');
  t.equal(payload.employee_id, ALICE.employee_id, 'custom claim');
  t.equal(tokens.claims()?.sub, ALICE.sub);
  // The client has a default audience: its access token is a JWT for it, as Okta's api://default.
  const at = await jwtVerify(tokens.access_token, jwks, { issuer: okta.url, audience: DEFAULT_AUDIENCE });
  t.equal(at.payload.sub, ALICE.sub);
  t.equal(at.payload.client_id, WEB_CLIENT.client_id);

  const refreshed = await client.refreshTokenGrant(web, tokens.refresh_token!);
  t.not(refreshed.access_token, tokens.access_token, 'refresh gives a new access token');
  const again = await jwtVerify(refreshed.id_token!, jwks, { issuer: okta.url, audience: WEB_CLIENT.client_id });
  t.equal(again.payload.sub, ALICE.sub, 'and a new ID token');
});

t.test('a JWT access token (for a resource) is refused at userinfo, where real Okta would answer: documented in docs/aud.md and examples/lab.yaml', async (t) => {
  const { tokens } = await signIn(web, ALICE.sub);
  t.equal(decodeJwt(tokens.access_token).aud, DEFAULT_AUDIENCE, 'a JWT for the default audience');
  await t.rejects(client.fetchUserInfo(web, tokens.access_token, ALICE.sub), { code: 'OAUTH_WWW_AUTHENTICATE_CHALLENGE', status: 401 });
});

t.test('an opaque access token: userinfo, introspection, refresh, revocation', async (t) => {
  const { tokens } = await signIn(portal, ALICE.sub);
  const idToken = await jwtVerify(tokens.id_token!, jwks, { issuer: okta.url, audience: PORTAL_CLIENT.client_id });
  t.equal(idToken.payload.department, ALICE.department, 'custom claim in the ID token');
  t.equal(tokens.access_token.split('.').length, 1, 'opaque');

  const info = await client.fetchUserInfo(portal, tokens.access_token, ALICE.sub);
  t.equal(info.sub, ALICE.sub);
  t.equal(info.email, ALICE.email);
  t.equal(info.department, ALICE.department, 'custom claim in userinfo');

  const introspected = await client.tokenIntrospection(portal, tokens.access_token);
  t.equal(introspected.active, true);
  t.equal(introspected.sub, ALICE.sub);
  t.equal(introspected.client_id, PORTAL_CLIENT.client_id);
  t.equal(introspected.iss, okta.url);

  const refreshed = await client.refreshTokenGrant(portal, tokens.refresh_token!);
  t.equal((await client.fetchUserInfo(portal, refreshed.access_token, ALICE.sub)).sub, ALICE.sub, 'the refreshed token works');
  const refreshedId = await jwtVerify(refreshed.id_token!, jwks, { issuer: okta.url, audience: PORTAL_CLIENT.client_id });
  t.equal(refreshedId.payload.sub, ALICE.sub);

  await client.tokenRevocation(portal, refreshed.access_token);
  t.equal((await client.tokenIntrospection(portal, refreshed.access_token)).active, false, 'revoked access token is inactive');
  await t.rejects(client.fetchUserInfo(portal, refreshed.access_token, ALICE.sub), { code: 'OAUTH_WWW_AUTHENTICATE_CHALLENGE', status: 401 }, 'and refused at userinfo');
  const web2 = await signIn(web, BOB.sub);
  await t.rejects(client.tokenRevocation(portal, web2.tokens.refresh_token!), { code: 'OAUTH_RESPONSE_BODY_ERROR', error: 'invalid_request' }, 'another client\'s token is refused');
  t.ok((await client.refreshTokenGrant(web, web2.tokens.refresh_token!)).access_token, 'and stays valid');
  await client.tokenRevocation(portal, refreshed.refresh_token!);
  await t.rejects(client.refreshTokenGrant(portal, refreshed.refresh_token!), { code: 'OAUTH_RESPONSE_BODY_ERROR', error: 'invalid_grant' }, 'revoked refresh token is refused');
});

t.test('a second sign-in in the same browser reuses the session', async (t) => {
  const first = await signIn(web, ALICE.sub);
  const again = await signIn(web, 'not used: no login page', {}, first.browser);
  t.equal(again.tokens.claims()?.sub, ALICE.sub);
});

t.test('RP-initiated logout answers and ends the session', async (t) => {
  const { tokens, browser } = await signIn(web, ALICE.sub);
  const state = client.randomState();
  const url = client.buildEndSessionUrl(web, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: POST_LOGOUT_URI, state });
  // The end-session endpoint shows a confirmation form; submitting it logs out and redirects back.
  const page = await browser.request(url);
  t.equal(page.status, 200);
  const html = await page.text();
  t.notMatch(html, /googleapis|<script/, 'an offline page: no external assets, no scripts');
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  const action = /action="([^"]+)"/.exec(html)?.[1];
  t.ok(xsrf && action, 'a logout confirmation form');
  const done = await browser.follow(new URL(action!, url), (u) => u.href.startsWith(POST_LOGOUT_URI), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }).toString(),
  });
  t.ok(done.url.href.startsWith(POST_LOGOUT_URI), 'back at the post-logout redirect URI');
  t.equal(done.url.searchParams.get('state'), state);
  // The session is gone: the next authorization request shows the login page again.
  const verifier = client.randomPKCECodeVerifier();
  const auth = client.buildAuthorizationUrl(web, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const login = await browser.follow(auth, (u) => u.href.startsWith(REDIRECT_URI));
  t.equal(login.res.status, 200, 'the login page, not a redirect with a code');
  t.match(await login.res.text(), /Sign in as/);
});

t.test('client credentials: a JWT access token for the client\'s default audience', async (t) => {
  const tokens = await client.clientCredentialsGrant(web, { scope: 'read' });
  const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: okta.url });
  t.equal(payload.aud, DEFAULT_AUDIENCE);
  t.equal(payload.client_id, WEB_CLIENT.client_id);
  t.equal(payload.scope, 'read');
});

t.test('a requested resource (RFC 8707) decides the access token audience', async (t) => {
  const cc = await client.clientCredentialsGrant(web, { resource: REPORTS_RESOURCE.indicator, scope: 'read:reports' });
  const { payload } = await jwtVerify(cc.access_token, jwks, { issuer: okta.url });
  t.equal(payload.aud, REPORTS_RESOURCE.audience, 'client credentials');

  const { tokens } = await signIn(web, ALICE.sub, { resource: REPORTS_RESOURCE.indicator, scope: 'openid read:reports' });
  const at = await jwtVerify(tokens.access_token, jwks, { issuer: okta.url });
  t.equal(at.payload.aud, REPORTS_RESOURCE.audience, 'authorization code');
  t.equal(at.payload.sub, ALICE.sub);
  t.equal(decodeJwt(tokens.id_token!).aud, WEB_CLIENT.client_id, 'the ID token still names the client');
});

t.test('a public client signs in with PKCE, and cannot without it', async (t) => {
  const spa = await discover(SPA_CLIENT.client_id, client.None());
  const { tokens } = await signIn(spa, ALICE.sub);
  const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: okta.url, audience: SPA_CLIENT.client_id });
  t.equal(payload.sub, ALICE.sub);

  const url = client.buildAuthorizationUrl(spa, { redirect_uri: REDIRECT_URI, scope: 'openid' });
  const res = await new Browser().follow(url, (u) => u.href.startsWith(REDIRECT_URI));
  t.ok(res.url.href.startsWith(REDIRECT_URI), 'the error goes back to the client');
  t.equal(res.url.searchParams.get('error'), 'invalid_request');
  t.match(res.url.searchParams.get('error_description'), /PKCE/);
});

t.test('each issuer keeps its own state', async (t) => {
  const { tokens } = await signIn(portal, ALICE.sub);
  const other = await discover(PORTAL_CLIENT.client_id, client.ClientSecretBasic(PORTAL_CLIENT.client_secret), lab.issuer('other'));
  t.equal((await client.tokenIntrospection(other, tokens.access_token)).active, false, 'okta\'s token is unknown to the other issuer');
  await t.rejects(client.refreshTokenGrant(other, tokens.refresh_token!), { code: 'OAUTH_RESPONSE_BODY_ERROR', error: 'invalid_grant' });
  t.equal((await client.tokenIntrospection(portal, tokens.access_token)).active, true, 'and known to okta');
});

t.test('sessions and tokens survive a key rotation (the provider is rebuilt, the store is kept)', async (t) => {
  const { tokens, browser } = await signIn(portal, BOB.sub);
  await okta.rotateKey();
  t.equal((await client.tokenIntrospection(portal, tokens.access_token)).active, true);
  const refreshed = await client.refreshTokenGrant(portal, tokens.refresh_token!);
  const { protectedHeader } = await jwtVerify(refreshed.id_token!, createRemoteJWKSet(new URL(okta.jwksUrl)));
  t.equal(protectedHeader.kid, (await okta.keys())[0]!.kid, 'signed by the new key');
  const again = await signIn(portal, 'not used: no login page', {}, browser);
  t.equal(again.tokens.claims()?.sub, BOB.sub, 'the browser session is still there');
});

t.test('over https (tls.self_signed)', async (t) => {
  const tlsLab = await startLab({ config: { tls: { self_signed: true }, issuers: [issuerConfig('okta', 'ES256')] }, inMemory: true });
  t.teardown(() => tlsLab.close());
  const okta = tlsLab.issuer('okta');

  t.test('serves https with a self-signed certificate for 127.0.0.1', async (t) => {
    t.match(tlsLab.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    t.match(okta.url, /^https:\/\//);
    t.match(tlsLab.tls?.cert, /^-----BEGIN CERTIFICATE-----/);
    t.equal(tlsLab.tls?.certFile, null, 'in memory: no file');
    const cert = new X509Certificate(tlsLab.tls!.cert);
    t.match(cert.subjectAltName, /IP Address:127\.0\.0\.1/);
    await t.rejects(fetch(okta.discoveryUrl), TypeError, 'a client that does not trust the certificate is refused');
  });

  t.test('discovery, JWKS and a token over https', async (t) => {
    const trusting = fetchTrusting(tlsLab.tls!.cert);
    const config = await client.discovery(new URL(okta.url), PORTAL_CLIENT.client_id, undefined, client.ClientSecretBasic(PORTAL_CLIENT.client_secret), {
      [client.customFetch]: trusting,
    });
    const meta = config.serverMetadata();
    t.equal(meta.issuer, okta.url);
    t.equal(meta.jwks_uri, okta.jwksUrl);
    t.match(meta.token_endpoint, /^https:\/\//);
    const cc = await client.clientCredentialsGrant(config);
    t.equal(cc.token_type.toLowerCase(), 'bearer', 'a token from the token endpoint over https');

    const { token } = await okta.mint({ claims: { aud: 'x' } });
    const jwks = createRemoteJWKSet(new URL(okta.jwksUrl), { [customFetch]: trusting });
    const { payload } = await jwtVerify(token, jwks, { issuer: okta.url, audience: 'x' });
    t.equal(payload.iss, okta.url);
  });
});

t.test('oidc-provider had nothing to warn about: no in-memory adapter, no default policy or page', async (t) => {
  const said = [...warnings(), ...notices()].map((c) => String(c.args[0]));
  // Its Node-version notice (Node 20) is printed when the module loads, now with the first provider
  // (issuer-runtime.ts), so inside this capture: it is about the runtime, not the configuration.
  t.same(said.filter((line) => line.includes('oidc-provider') && !line.includes('Unsupported runtime')), []);
});
