import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { RegisterClientCommand, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { DEFAULT_PROFILE, mergeProfile } from '../../server/identity-center/profile/behaviour-profile.js';
import { AUTHORIZE_SIGN_IN_STEPS, GRANT_STEPS, PUBLIC_GRANT_STEPS } from '../../server/identity-center/sso-oidc/grants/grant-pipelines.js';
import { checkAuthorizeRedirectUri } from '../../server/identity-center/sso-oidc/steps/check-authorize-redirect-uri.js';
import { AUTHORIZATION_CODE, DEVICE_CODE, WEB_REDIRECT, authorizationUrl, createApplication, startOAuthLab } from './helpers/oauth-lab.js';
import { signInAs } from './helpers/login-browser.js';

const NEW_PREFIXES = ['authorize.', 'code.', 'exchange.', 'register.', 'public_client.', 'public_grant.', 'device.', 'verification.'];
const newKeys = Object.keys(DEFAULT_PROFILE.failures).filter((k) => NEW_PREFIXES.some((p) => k.startsWith(p)));

t.test('every failure of the OAuth server has a complete profile entry', async (t) => {
  t.ok(newKeys.length >= 50, `${newKeys.length} keys`);
  for (const key of newKeys) {
    const f = DEFAULT_PROFILE.failures[key]!;
    t.match(f, { exception: /^[A-Z][A-Za-z]+Exception$/, error: /^[a-z_]+$/, provenance: /^(captured|documented|observed|assumed)$/ }, key);
    t.ok(f.source.length > 20, `${key} says where it comes from`);
    t.ok([302, 400, 401].includes(f.status), `${key} status ${f.status}`);
  }
  t.ok(GRANT_STEPS.authorization_code && GRANT_STEPS['urn:ietf:params:oauth:grant-type:token-exchange'], 'both grants are emulated');
  t.same(Object.keys(PUBLIC_GRANT_STEPS).sort(), [AUTHORIZATION_CODE, 'refresh_token', DEVICE_CODE].sort());
});

t.test('every new failure key is raised by some step (no dead entries)', async (t) => {
  const { readdir, readFile } = await import('node:fs/promises');
  const dir = new URL('../../server/identity-center/sso-oidc/steps/', import.meta.url);
  const sources = await Promise.all((await readdir(dir)).map((f) => readFile(new URL(f, dir), 'utf8')));
  for (const key of newKeys) t.ok(sources.some((src) => src.includes(`'${key}'`)), `${key} is raised`);
});

t.test('pinned: the documented and observed answers', async (t) => {
  const f = DEFAULT_PROFILE.failures;
  t.same(
    [f['device.pending']!.exception, f['device.pending']!.status, f['device.pending']!.error, f['device.pending']!.error_description, f['device.pending']!.provenance],
    ['AuthorizationPendingException', 400, 'authorization_pending', 'Authorization is still pending', 'captured'],
    'the captured AuthorizationPending answer (reference §1)',
  );
  for (const key of ['public_client.unknown', 'public_client.secret_mismatch', 'public_client.secret_expired']) {
    t.same([f[key]!.exception, f[key]!.status, f[key]!.error, f[key]!.provenance], ['InvalidClientException', 401, 'invalid_client', 'documented'], key);
  }
  t.same([f['device.slow_down']!.exception, f['device.expired']!.exception], ['SlowDownException', 'ExpiredTokenException'], 'the model\'s exceptions for RFC 8628 §3.5');
  const s = DEFAULT_PROFILE.settings as unknown as Record<string, { value: unknown; provenance: string }>;
  t.same(
    ['authorization_code_ttl_seconds', 'device_code_ttl_seconds', 'device_poll_interval_seconds', 'client_secret_ttl_seconds'].map((k) => [s[k]!.value, s[k]!.provenance]),
    [[300, 'assumed'], [600, 'captured'], [1, 'captured'], [7776000, 'captured']],
    'the device flow\'s captured figures (aws-cli #5955)',
  );
  t.same(
    ['device_verification_path', 'register_client_endpoints_for_device_clients', 'register_client_endpoints_for_authorization_code_clients'].map((k) => [s[k]!.value, s[k]!.provenance]),
    [['/start/#/device', 'captured'], [false, 'captured'], [true, 'assumed']],
  );
});

t.test('authorize errors redirect (302) only from steps after the redirect URI is trusted', async (t) => {
  const trustedFrom = AUTHORIZE_SIGN_IN_STEPS.indexOf(checkAuthorizeRedirectUri);
  t.ok(trustedFrom > 0);
  const seen = new Set<string>();
  AUTHORIZE_SIGN_IN_STEPS.forEach((step, i) => {
    for (const [, key] of step.run.toString().matchAll(/'(authorize\.[\w.]+)'/g)) {
      seen.add(key!);
      t.equal(DEFAULT_PROFILE.failures[key!]!.status === 302, i > trustedFrom, `${key} (step ${step.name})`);
    }
  });
  t.same([...seen].sort(), newKeys.filter((k) => k.startsWith('authorize.')).sort(), 'every authorize key is raised by an authorize step');
});

t.test('a user profile changes the OAuth server: settings and wire answers', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tti-oauth-profile-'));
  const file = join(dir, 'profile.yaml');
  await writeFile(file, `name: relaxed
settings:
  authorization_code_require_pkce: { value: false }
  device_poll_interval_seconds: { value: 5 }
  device_verification_path: { value: /device }
  register_client_endpoints_for_device_clients: { value: true }
failures:
  device.pending:
    error_description: ""
    provenance: observed
    source: a harness run
`);
  t.throws(() => mergeProfile({ failures: { 'code.nope': { status: 400 } } }, 'p.yaml'), /failures\.code\.nope: unknown failure/);
  t.throws(() => mergeProfile({ settings: { device_verification_path: { value: '/verify' } } }, 'p.yaml'), /p\.yaml: settings\.device_verification_path\.value: expected one of the pages the lab serves: \/start\/#\/device or \/device/);
  const lab = await startOAuthLab({ behaviourProfile: file });
  t.teardown(() => lab.lab.close());
  const app = await createApplication(lab, { name: 'no-pkce', redirectUris: [WEB_REDIRECT] });
  const { url } = authorizationUrl(lab.authorizeEndpoint, { client_id: app, redirect_uri: WEB_REDIRECT, code_challenge: undefined, code_challenge_method: undefined });
  const callback = await signInAs(url, lab.users.alice);
  const res = await lab.iam({ clientId: app, grantType: AUTHORIZATION_CODE, code: callback.searchParams.get('code')!, redirectUri: WEB_REDIRECT });
  t.ok(res.accessToken, 'without PKCE when the profile does not require it');
  t.match(lab.lab.exchanges({ limit: 1 })[0]!.trace.find((s) => s.step === 'pkce-verified')?.reason, /had no code_challenge/);

  const client = await lab.oidc.send(new RegisterClientCommand({ clientName: 'c', clientType: 'public' }));
  const auth = await lab.oidc.send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: lab.startUrl }));
  t.equal(auth.interval, 5);
  t.equal(auth.verificationUri, `${lab.lab.url}/device`, 'the plain page, as the profile asks');
  t.equal(client.authorizationEndpoint, `${lab.lab.url}/authorize`, 'endpoints for a device-code client, as the profile asks');
  const pending = await fetch(`${lab.lab.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_CODE, deviceCode: auth.deviceCode }),
  });
  t.same(await pending.json(), { error: 'authorization_pending' }, 'the overridden description is left out');
});
