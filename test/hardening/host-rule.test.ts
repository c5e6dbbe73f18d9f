import t from 'tap';
import { startLab, type Lab } from '../../server/lab/start-lab.js';
import { hostAllowed, normaliseHostNames } from '../../server/security/allowed-hosts.js';
import { ConfigError } from '../../server/config/schema.js';
import { signRequest, identityStoreHeaders } from '../aws/helpers/sign-request.js';
import { cli } from '../cli/helpers/cli-run.js';

/**
 * DNS rebinding: a web page whose name the attacker points at 127.0.0.1 reaches the lab from the
 * victim's browser, with its own name in Host. Every route refuses a Host that is not a loopback
 * name or address (any port), unless the lab names it (`--allowed-hosts`, config `allowed_hosts`).
 * The AWS endpoint refuses in each protocol's shape; every other route in the lab's.
 */
const issuers = [{ name: 'okta', users: [{ sub: '00u1alice' }] }];

t.test('the rule: loopback names and addresses with any port; named hosts; IP addresses once remote', async (t) => {
  const loopback = { remote: false, names: [] };
  for (const h of ['127.0.0.1:4750', '127.9.9.9', 'localhost:1', 'LOCALHOST:4750', 'app.localhost:4750', '[::1]:4750', '[::1]']) t.ok(hostAllowed(h, loopback), h);
  for (const h of ['attacker.example:4750', 'attacker.example', '127.0.0.1.attacker.example', 'localhost.attacker.example:1', '0.0.0.0:4750', '192.168.1.5:4750', 'evil@127.0.0.1:4750', '', undefined, '[::1', 'attacker.example.:4750']) {
    t.notOk(hostAllowed(h, loopback), String(h));
  }
  const named = { remote: false, names: normaliseHostNames(['lab.test', 'Build-Box']) };
  t.ok(hostAllowed('lab.test:4750', named));
  t.ok(hostAllowed('LAB.TEST', named), 'names compare without case');
  t.ok(hostAllowed('build-box:80', named));
  t.notOk(hostAllowed('sub.lab.test:4750', named), 'a named host does not allow its subdomains');
  t.notOk(hostAllowed('192.168.1.5:4750', named), 'an address needs a remote bind (or to be named)');
  const remote = { remote: true, names: ['lab.test'] };
  for (const h of ['192.168.1.5:4750', '[fe80::1]:4750', '10.0.0.1', 'lab.test:4750', 'localhost:4750']) t.ok(hostAllowed(h, remote), `remote: ${h}`);
  t.notOk(hostAllowed('attacker.example:4750', remote), 'a name nobody allowed is refused on a remote bind too');
});

t.test('a loopback lab refuses a rebound Host on every route, each in its own shape', async (t) => {
  const lab = await startLab({ inMemory: true, config: { issuers } });
  t.teardown(() => lab.close());
  const rebound = `attacker.example:${new URL(lab.url).port}`;
  const instance = lab.services.identityCenter.defaultInstance();
  const before = JSON.stringify(lab.services.identityCenter.state.read);

  const signed = async (headers: Record<string, string>, body: string, service = 'identitystore', path = '/') =>
    lab.app.inject({ method: 'POST', url: path, headers: { host: rebound, ...(await signRequest({ baseUrl: `http://${rebound}`, headers, body, service, path: path.split('?')[0]! })) }, payload: body });

  const list = await signed(identityStoreHeaders('ListUsers'), JSON.stringify({ IdentityStoreId: instance.IdentityStoreId }));
  t.equal(list.statusCode, 403, 'ListUsers signed with test/test for the rebound Host');
  t.equal(list.headers['x-amzn-errortype'], 'AccessDeniedException');
  t.same(list.json(), { __type: 'AccessDeniedException', Message: `Host "attacker.example" is not allowed` });
  t.match(decodeURIComponent(String(list.headers['x-tti-lab-reason'])), /DNS rebinding.*--allowed-hosts attacker\.example/);

  const create = await signed(identityStoreHeaders('CreateUser'), JSON.stringify({ IdentityStoreId: instance.IdentityStoreId, UserName: 'rebound', DisplayName: 'R', Name: { GivenName: 'R', FamilyName: 'B' } }));
  t.equal(create.statusCode, 403, 'CreateUser');
  const tti = await signed(
    { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SWBExternalService.CreateTrustedTokenIssuer' },
    JSON.stringify({ InstanceArn: instance.InstanceArn, Name: 'rebound', TrustedTokenIssuerType: 'OIDC_JWT', TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: 'https://attacker.example', ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } } }),
    'sso',
  );
  t.equal(tti.statusCode, 403, 'CreateTrustedTokenIssuer');
  t.equal(JSON.stringify(lab.services.identityCenter.state.read), before, 'nothing was written');

  const sts = await lab.app.inject({ method: 'POST', url: '/', headers: { host: rebound, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'Action=GetCallerIdentity&Version=2011-06-15' });
  t.equal(sts.statusCode, 403);
  t.match(sts.body, /<Code>AccessDenied<\/Code>/, 'STS: the awsQuery shape');
  const register = await lab.app.inject({ method: 'POST', url: '/client/register', headers: { host: rebound, 'content-type': 'application/json' }, payload: '{"clientName":"x","clientType":"public"}' });
  t.equal(register.statusCode, 400, 'SSO OIDC: AccessDeniedException is a 400 in its model');
  t.equal(register.headers['x-amzn-errortype'], 'AccessDeniedException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/');
  t.same(register.json(), { error: 'access_denied', error_description: 'Access denied' }, 'the description real SSO OIDC errors carry, as the profile gives access_denied');

  for (const url of ['/', '/issuers', '/issuers/okta/.well-known/openid-configuration', '/issuers/okta/jwks', '/issuers/okta/auth', '/authorize', '/device', '/workbench/', '/_lab/health', `/identity-center/${instance.InstanceArn.split('/')[1]}/jwks`]) {
    const res = await lab.app.inject({ method: 'GET', url, headers: { host: rebound } });
    t.equal(res.statusCode, 403, url);
    t.same(res.json(), { error: 'host_not_allowed', message: 'Host "attacker.example" is not allowed: the lab answers requests for loopback names (localhost, 127.x.x.x, [::1]) only, so a web page cannot reach it by DNS rebinding (pointing its own name at this address). Reach the lab by one of those names, or name this host with --allowed-hosts attacker.example (config allowed_hosts)' }, `${url}: the lab shape`);
  }

  for (const host of ['127.0.0.1', 'localhost:4750', '[::1]:1234', 'LOCALHOST']) {
    const res = await lab.app.inject({ method: 'GET', url: '/issuers/okta/jwks', headers: { host } });
    t.equal(res.statusCode, 200, `Host ${host} is served`);
  }
});

t.test('hosts named with allowedHosts are served, mint and control routes included', async (t) => {
  const lab: Lab = await startLab({ inMemory: true, config: { issuers, allowed_hosts: ['lab.test'] }, allowedHosts: ['build-box'] });
  t.teardown(() => lab.close());
  for (const host of ['lab.test:4750', 'build-box', 'localhost']) {
    t.equal((await lab.app.inject({ method: 'GET', url: '/issuers/okta/jwks', headers: { host } })).statusCode, 200, `${host}: discovery`);
    t.equal((await lab.app.inject({ method: 'POST', url: '/issuers/okta/mint', headers: { host, 'content-type': 'application/json' }, payload: '{}' })).statusCode, 200, `${host}: mint from loopback`);
  }
  const other = await lab.app.inject({ method: 'GET', url: '/issuers/okta/jwks', headers: { host: 'other.test' } });
  t.equal(other.statusCode, 403);
  t.match(other.json().message, /--allowed-hosts lab\.test,build-box,other\.test/);
});

t.test('allowed_hosts is validated; serve takes --allowed-hosts', async (t) => {
  await t.rejects(startLab({ inMemory: true, config: { allowed_hosts: ['http://lab.test'] } }), ConfigError);
  const err = (await startLab({ inMemory: true, config: { allowed_hosts: ['lab.test:4750', 7] } }).catch((e: Error) => e)) as Error;
  t.match(err.message, /allowed_hosts\[0\]: expected a host name or IP address without scheme or port/);
  t.match(err.message, /allowed_hosts\[1\]: expected a host name or IP address without scheme or port .*, got number 7/);
  const bad = await cli('serve', '--port', '0', '--in-memory', '--allowed-hosts', 'lab.test,http://x');
  t.equal(bad.code, 2);
  t.match(bad.err, /--allowed-hosts: "http:\/\/x" is not a host name or IP address/);
});
