import t from 'tap';
import { RegisterClientCommand, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { fixedClock } from '../../server/index.js';
import { DEVICE_CODE, WEB_REDIRECT, authorizationUrl, createApplication, startOAuthLab } from './helpers/oauth-lab.js';
import { formFor, open, type PageResponse } from './helpers/login-browser.js';

/**
 * Login CSRF: the login page's form and the device approval form act for whichever user they name,
 * so a page on another site must not be able to post them. A browser says where a form comes from
 * (Origin, Sec-Fetch-Site, Referer); a post from another origin gets a refusal page and no code.
 * Clients that send none of these (curl, tests) are not browsers on another site, and pass.
 */
const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const lab = await startOAuthLab({ clock });
t.teardown(() => lab.lab.close());
const webApp = await createApplication(lab, { name: 'web-app', redirectUris: [WEB_REDIRECT] });
const own = new URL(lab.lab.url).origin;

async function post(url: URL, fields: Record<string, string>, headers: Record<string, string>): Promise<PageResponse> {
  const res = await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
  const location = res.headers.get('location');
  return { status: res.status, url, headers: res.headers, html: await res.text(), ...(location ? { location: new URL(location, url) } : {}) };
}

const CROSS_SITE: [string, Record<string, string>][] = [
  ['a foreign Origin', { origin: 'https://attacker.example' }],
  ['an opaque Origin (sandboxed frame, no-referrer page)', { origin: 'null' }],
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: same-site (another port of localhost)', { 'sec-fetch-site': 'same-site' }],
  ['a foreign Referer, no Origin', { referer: 'https://attacker.example/page' }],
  ['Origin of the same host on another port', { origin: 'http://127.0.0.1:1' }],
];

t.test('the authorize form posted from another site: refused, no code', async (t) => {
  const { url } = authorizationUrl(lab.authorizeEndpoint, { client_id: webApp, redirect_uri: WEB_REDIRECT, scope: 'openid' });
  const login = await open(url);
  const form = formFor(login.html, lab.users.alice);
  const target = new URL(form.action, login.url);
  for (const [what, headers] of CROSS_SITE) {
    const res = await post(target, form.fields, headers);
    t.equal(res.status, 403, what);
    t.equal(res.location, undefined, `${what}: no redirect, so no code`);
    t.match(res.headers.get('content-type'), /^text\/html/);
    t.match(decodeURIComponent(res.headers.get('x-tti-lab-reason') ?? ''), /^form-same-origin: the sign-in form was posted from /, what);
  }
  for (const [what, headers] of [
    ['the lab\'s own page (Origin)', { origin: own }],
    ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin', origin: own }],
    ['the lab\'s own Referer', { referer: login.url.href }],
    ['no browser headers (curl)', {}],
  ] as [string, Record<string, string>][]) {
    const res = await post(target, form.fields, headers);
    t.equal(res.status, 302, what);
    t.ok(res.location?.searchParams.get('code'), `${what}: a code`);
  }
});

t.test('the device approval form posted from another site: refused, the device stays unapproved', async (t) => {
  const client = await lab.oidc.send(new RegisterClientCommand({ clientName: 'cli', clientType: 'public', scopes: ['sso:account:access'], grantTypes: [DEVICE_CODE] }));
  const auth = await lab.oidc.send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: lab.startUrl }));
  const page = await open(auth.verificationUriComplete!);
  const form = formFor(page.html, lab.users.alice);
  const target = new URL(form.action, page.url);
  for (const [what, headers] of CROSS_SITE) {
    const res = await post(target, form.fields, headers);
    t.equal(res.status, 403, what);
    t.match(decodeURIComponent(res.headers.get('x-tti-lab-reason') ?? ''), /^form-same-origin: /, what);
  }
  const again = await open(auth.verificationUriComplete!);
  t.equal(again.status, 200, 'the code is still waiting for the user');
  const approved = await post(target, form.fields, { origin: own });
  t.equal(approved.status, 200, 'the lab\'s own page approves it');
});
