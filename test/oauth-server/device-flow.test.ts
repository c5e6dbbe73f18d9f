import t from 'tap';
import { CreateTokenCommand, RegisterClientCommand, StartDeviceAuthorizationCommand, type RegisterClientCommandOutput } from '@aws-sdk/client-sso-oidc';
import { fixedClock } from '../../server/index.js';
import { DEVICE_CODE, createApplication, pageReason, startOAuthLab } from './helpers/oauth-lab.js';
import { decideDevice, denyFormOf, formFor, formsOf, open, submit } from './helpers/login-browser.js';
import { refused } from './helpers/refused.js';

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const lab = await startOAuthLab({ clock });
t.teardown(() => lab.lab.close());

const register = (input: Partial<ConstructorParameters<typeof RegisterClientCommand>[0]> = {}) =>
  lab.oidc.send(new RegisterClientCommand({ clientName: 'my-cli', clientType: 'public', scopes: ['sso:account:access'], grantTypes: [DEVICE_CODE, 'refresh_token'], ...input }));
const start = (client: RegisterClientCommandOutput, startUrl = lab.startUrl) =>
  lab.oidc.send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl }));
const poll = (client: RegisterClientCommandOutput, deviceCode: string | undefined) =>
  lab.oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_CODE, deviceCode }));

const PENDING = { name: 'AuthorizationPendingException', status: 400, step: 'device-code-approved' } as const;
const SLOW_DOWN = { name: 'SlowDownException', status: 400, step: 'device-code-approved' } as const;

t.test('RegisterClient, StartDeviceAuthorization, poll (pending, slow down), approve over HTTP, tokens', async (t) => {
  const client = await register();
  t.match(client.clientId, /^[A-Za-z0-9_-]+$/);
  t.match(client.clientSecret, /^[A-Za-z0-9_-]{80,}$/);
  t.equal(client.clientIdIssuedAt, clock.now() / 1000);
  t.equal(client.clientSecretExpiresAt, clock.now() / 1000 + 90 * 86400, '90 days');
  t.equal(client.authorizationEndpoint, undefined, 'a device-code client: no authorization endpoint (null on the wire)');
  t.equal(client.tokenEndpoint, undefined, 'nor a token endpoint');
  t.equal(Buffer.from(client.clientId!, 'base64url').subarray(16).toString(), 'us-east-1', 'clientId: 16 random bytes, then the region');

  const auth = await start(client);
  t.match(auth.userCode, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  t.equal(auth.verificationUri, `${lab.lab.url}/start/#/device`, 'the portal\'s device page, as the real one');
  t.equal(auth.verificationUriComplete, `${lab.lab.url}/start/#/device?user_code=${auth.userCode}`);
  t.equal(auth.expiresIn, 600);
  t.equal(auth.interval, 1);

  const pending = await refused(t, poll(client, auth.deviceCode), PENDING);
  t.match(pending, /is not approved yet/);
  const slow = await refused(t, poll(client, auth.deviceCode), SLOW_DOWN);
  t.match(slow, /sooner than the interval of 1 s; the interval is now 6 s/);
  clock.advance(5_000);
  await refused(t, poll(client, auth.deviceCode), SLOW_DOWN);
  clock.advance(11_000);
  await refused(t, poll(client, auth.deviceCode), PENDING);

  // The user opens the verification page and approves as Alice.
  const page = await open(auth.verificationUriComplete!);
  t.equal(page.status, 200);
  t.match(page.html, /Client <strong>my-cli<\/strong>/);
  t.match(page.html, new RegExp(`<code>${auth.userCode}</code>`), 'shows the code to compare with the device');
  t.same(formsOf(page.html).map((f) => f.button), ['Approve as Alice Example', 'Approve as Bob Example', 'Deny']);
  const done = await submit(page.url, formFor(page.html, lab.users.alice));
  t.equal(done.status, 200);
  t.match(done.html, /Device approved/);

  clock.advance(11_000);
  const tokens = await poll(client, auth.deviceCode);
  t.match(tokens.accessToken, /^aoa/);
  t.equal(tokens.tokenType, 'Bearer');
  t.equal(tokens.expiresIn, 3600);
  t.match(tokens.refreshToken, /^aor/, 'the client registered the refresh_token grant');
  t.notOk(tokens.idToken, 'CreateToken returns no idToken (the model says it is not supported)');
  const record = lab.lab.services.ssoOidc.tokens.credentials.find('access_token', tokens.accessToken!)!;
  t.same(record.client, { kind: 'public', id: client.clientId }, 'issued to the public client');
  t.same({ userId: record.userId, scopes: record.scopes, authTime: record.authTime }, { userId: lab.users.alice, scopes: ['sso:account:access'], authTime: Date.parse('2026-06-01T12:00:16Z') / 1000 });

  clock.advance(11_000);
  await refused(t, poll(client, auth.deviceCode), { name: 'InvalidGrantException', status: 400, step: 'device-code-approved' });

  const refreshed = await lab.oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'refresh_token', refreshToken: tokens.refreshToken }));
  t.not(refreshed.refreshToken, tokens.refreshToken, 'refresh tokens rotate');
  await refused(
    t,
    lab.oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'refresh_token', refreshToken: tokens.refreshToken })),
    { name: 'InvalidGrantException', status: 400, step: 'client-refresh-token-valid' },
  );
  t.same(
    lab.lab.exchanges({ limit: 1 })[0]!.trace.map((s) => `${s.step}:${s.verdict}`),
    ['public-client-authenticated:pass', 'public-grant-registered:pass', 'client-refresh-token-valid:fail', 'client-tokens-issued:skip'],
  );
});

t.test('AuthorizationPending on the wire: the captured shape (reference §1)', async (t) => {
  const client = await register();
  const auth = await start(client);
  const res = await fetch(`${lab.lab.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_CODE, deviceCode: auth.deviceCode }),
  });
  t.equal(res.status, 400);
  t.equal(res.headers.get('x-amzn-errortype'), 'AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/');
  t.match(res.headers.get('x-amzn-requestid'), /^[0-9a-f-]{36}$/);
  t.match(res.headers.get('content-type'), /^application\/json/);
  t.same(await res.json(), { error: 'authorization_pending', error_description: 'Authorization is still pending' });
  clock.advance(1_000);
  const slow = await fetch(`${lab.lab.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_CODE, deviceCode: auth.deviceCode }),
  });
  t.equal(slow.headers.get('x-amzn-errortype')?.split(':')[0], 'AuthorizationPendingException', 'polling exactly at the interval is not too fast');
  t.same(await slow.json(), { error: 'authorization_pending', error_description: 'Authorization is still pending' });
});

t.test('the user types the code: case and dashes do not matter', async (t) => {
  const client = await register();
  const auth = await start(client);
  const entry = await open(`${lab.lab.url}/device`);
  t.equal(entry.status, 200);
  t.match(entry.html, /<label for="user_code">/);
  const typed = auth.userCode!.replace('-', '').toLowerCase();
  const page = await open(`${lab.lab.url}/device?user_code=${typed}`);
  t.equal(page.status, 200);
  t.match(page.html, new RegExp(auth.userCode!));
});

t.test('RegisterClient on the wire: a device-code client\'s endpoints are null (aws-cli #5955)', async (t) => {
  for (const grantTypes of [undefined, [DEVICE_CODE], [DEVICE_CODE, 'refresh_token']]) {
    const res = await fetch(`${lab.lab.url}/client/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientName: 'wire-cli', clientType: 'public', ...(grantTypes ? { grantTypes } : {}) }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    t.equal(res.status, 200);
    t.same([body.authorizationEndpoint, body.tokenEndpoint], [null, null], `grantTypes ${JSON.stringify(grantTypes)}: both members present, null`);
    t.equal(Number(body.clientSecretExpiresAt) - Number(body.clientIdIssuedAt), 7_776_000, 'the secret lives 7 776 000 s');
  }
});

t.test('the access portal page, /start/: its #/device route opens the code\'s page; without a code, the form', async (t) => {
  const client = await register();
  const auth = await start(client);
  const portal = await fetch(`${lab.lab.url}/start/`);
  t.equal(portal.status, 200);
  const html = await portal.text();
  t.same(formsOf(html).map((f) => [f.method, f.action]), [['get', '/device']], 'without script, the form still leads to /device');
  t.match(html, /<script>/, 'the fragment route is followed by the page\'s own script');
  const routed = await open(auth.verificationUriComplete!);
  t.equal(routed.url.pathname, '/device');
  t.equal(routed.url.searchParams.get('user_code'), auth.userCode);
  t.match(routed.html, new RegExp(`<code>${auth.userCode}</code>`));
  const bare = await open(auth.verificationUri!);
  t.equal(bare.url.href, `${lab.lab.url}/device`, 'the verificationUri alone: the code entry page');
  t.match(bare.html, /<label for="user_code">/);
});

t.test('device flow refusals', async (t) => {
  const client = await register();

  t.test('the user denies', async (t) => {
    const auth = await start(client);
    const denied = await decideDevice(auth.verificationUriComplete!, 'deny');
    t.match(denied.html, /Request denied/);
    clock.advance(1_000);
    await refused(t, poll(client, auth.deviceCode), { name: 'AccessDeniedException', status: 400, step: 'device-code-approved' });
  });
  t.test('the device code expires before approval', async (t) => {
    const auth = await start(client);
    clock.advance(600_000);
    await refused(t, poll(client, auth.deviceCode), { name: 'ExpiredTokenException', status: 400, step: 'device-code-approved' });
    const late = await open(auth.verificationUriComplete!);
    t.equal(late.status, 400);
    t.match(pageReason(late.headers), /^user-code-pending: user code .* expired/);
  });
  t.test('deviceCode missing, unknown, another client\'s', async (t) => {
    await refused(t, poll(client, undefined), { name: 'InvalidRequestException', status: 400, step: 'device-code-approved' });
    await refused(t, poll(client, 'not-a-device-code'), { name: 'InvalidGrantException', status: 400, step: 'device-code-approved' });
    const other = await register({ clientName: 'other' });
    const auth = await start(other);
    await refused(t, poll(client, auth.deviceCode), { name: 'InvalidGrantException', status: 400, step: 'device-code-approved' });
  });
  t.test('a startUrl that names no instance', async (t) => {
    await refused(t, start(client, 'https://d-0000000000.awsapps.com/start'), { name: 'InvalidRequestException', status: 400, step: 'start-url-resolved' });
    await refused(t, start(client, 'not a url'), { name: 'InvalidRequestException', status: 400, step: 'start-url-resolved' });
    const byInstance = await start(client, `https://${lab.instanceArn.split('/').pop()}.portal.us-east-1.app.aws`);
    t.ok(byInstance.deviceCode, 'a portal URL with the instance id is recognised');
  });
  t.test('a client registered only for the authorization code flow', async (t) => {
    const pkceOnly = await register({ grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1/oauth/callback'] });
    await refused(t, start(pkceOnly), { name: 'UnauthorizedClientException', status: 400, step: 'public-grant-registered' });
  });
  t.test('a client registered without grantTypes (as the AWS CLI\'s device flow does) gets no refresh token', async (t) => {
    const legacy = await register({ grantTypes: undefined });
    const auth = await start(legacy);
    await decideDevice(auth.verificationUriComplete!, { approveAs: lab.users.bob });
    const tokens = await poll(legacy, auth.deviceCode);
    t.ok(tokens.accessToken);
    t.notOk(tokens.refreshToken);
  });
  t.test('an entitled application lets in only its assigned users', async (t) => {
    const webApp = await createApplication(lab, { name: 'entitled', redirectUris: ['http://127.0.0.1/oauth/callback'] });
    const entitled = await register({ entitledApplicationArn: webApp });
    const auth = await start(entitled);
    await decideDevice(auth.verificationUriComplete!, { approveAs: lab.users.bob });
    await refused(t, poll(entitled, auth.deviceCode), { name: 'AccessDeniedException', status: 400, step: 'entitled-user-assigned' });
  });
});

t.test('verification page refusals', async (t) => {
  const client = await register();
  t.test('an unknown code', async (t) => {
    const res = await open(`${lab.lab.url}/device?user_code=BCDF-GHJK`);
    t.equal(res.status, 400);
    t.match(res.html, /<code>invalid_grant<\/code>/);
    t.match(pageReason(res.headers), /^user-code-pending: no device authorization has user code "BCDF-GHJK"/);
    t.match(res.html, /\/_lab\/exchanges\//, 'the page links the exchange log entry that says why');
  });
  t.test('a code already approved', async (t) => {
    const auth = await start(client);
    await decideDevice(auth.verificationUriComplete!, { approveAs: lab.users.alice });
    const again = await open(auth.verificationUriComplete!);
    t.equal(again.status, 400);
    t.match(pageReason(again.headers), /^user-code-pending: user code .* was already approved/);
  });
  t.test('an approval naming no user of the instance', async (t) => {
    const auth = await start(client);
    const page = await open(auth.verificationUriComplete!);
    const res = await submit(page.url, formFor(page.html, lab.users.alice), { user_id: 'nobody' });
    t.equal(res.status, 400);
    t.match(pageReason(res.headers), /^verifying-user-known: "nobody" is not a user of identity store/);
    const still = await submit(page.url, denyFormOf(page.html));
    t.equal(still.status, 200, 'the code is still pending: the user can decide again');
  });
});
