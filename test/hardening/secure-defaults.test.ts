import t from 'tap';
import { inspect } from 'node:util';
import { startLab } from '../../server/lab/start-lab.js';
import { main } from '../../server/cli/main.js';
import { checkBindHost, isLoopbackHost, RemoteBindError } from '../../server/security/bind-host.js';
import { ControlToken, ControlTokenError, presentedControlToken } from '../../server/security/control-token.js';
import { ConfigError } from '../../server/config/schema.js';
import { FakeIo, cli } from '../cli/helpers/cli-run.js';

/**
 * Secure defaults: loopback bind unless remote access is asked for; mint and control routes for
 * loopback clients only, unless a control token is configured (then for any client that presents
 * it); a foreign Origin or a non-loopback Host (DNS rebinding) refused; the token never shown.
 */
const TOKEN = 'c0ntrol-t0ken-for-the-hardening-test';
const issuers = [{ name: 'okta', users: [{ sub: '00u1alice' }] }];

t.test('binding: loopback by default; another address only with allowRemote', async (t) => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'app.localhost']) t.ok(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', 'example.com', '::ffff:10.0.0.1']) t.notOk(isLoopbackHost(h), h);
  t.throws(() => checkBindHost('0.0.0.0', false), RemoteBindError);
  t.doesNotThrow(() => checkBindHost('0.0.0.0', true));
  await t.rejects(startLab({ host: '0.0.0.0', inMemory: true }), RemoteBindError, 'startLab refuses 0.0.0.0 without allowRemote (before listening)');
  await t.rejects(startLab({ config: { host: '::' }, inMemory: true }), RemoteBindError, 'a config host is checked too');
  const lab = await startLab({ inMemory: true });
  t.match(lab.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'the default bind is 127.0.0.1');
  await lab.close();
});

t.test('serve: --host 0.0.0.0 without --allow-remote starts nothing', async (t) => {
  const r = await cli('serve', '--host', '0.0.0.0', '--port', '0', '--in-memory');
  t.equal(r.code, 2);
  t.match(r.err, /binding to 0\.0\.0\.0 exposes the lab to the network.*--allow-remote.*nothing was started/s);
  const short = await cli('serve', '--port', '0', '--in-memory', '--control-token', 'short');
  t.equal(short.code, 2);
  t.match(short.err, /at least 16 characters/);
  t.notMatch(short.err, /short/, 'the refused token is not echoed');
});

t.test('config: allow_remote and control_token are validated; the token is not echoed', async (t) => {
  await t.rejects(startLab({ config: { control_token: 'too-short' }, inMemory: true }), ConfigError);
  const err = await startLab({ config: { control_token: 'too-short' }, inMemory: true }).catch((e: Error) => e);
  t.notMatch((err as Error).message, /too-short/);
  await t.rejects(startLab({ config: { allow_remote: 'yes' }, inMemory: true }), ConfigError);
  t.throws(() => new ControlToken('x'.repeat(15)), ControlTokenError);
});

t.test('the control token: hashed, compared in constant time, never shown', async (t) => {
  const ct = new ControlToken(TOKEN);
  t.ok(ct.matches(TOKEN));
  for (const wrong of ['', 'c', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), 'x'.repeat(10_000)]) t.notOk(ct.matches(wrong), `refuses ${wrong.slice(0, 20)}…`);
  t.notMatch(inspect(ct, { showHidden: true, depth: 5 }), TOKEN, 'inspect shows no secret');
  t.equal(JSON.stringify({ ct }), '{"ct":"[control token]"}');
  t.equal(presentedControlToken({ authorization: `Bearer ${TOKEN}` }), TOKEN);
  t.equal(presentedControlToken({ authorization: `bearer  ${TOKEN} ` }), TOKEN);
  t.equal(presentedControlToken({ 'x-tti-lab-control-token': TOKEN }), TOKEN);
  t.equal(presentedControlToken({ authorization: `Basic ${TOKEN}` }), undefined);
  t.equal(presentedControlToken({}), undefined);
});

t.test('mint and control routes with a control token configured', async (t) => {
  const lab = await startLab({ inMemory: true, config: { issuers }, controlToken: TOKEN });
  t.teardown(() => lab.close());
  t.notMatch(inspect(lab.services, { depth: 3 }), TOKEN, 'the services never show the token');
  const remote = '203.0.113.7';
  const call = (headers: Record<string, string>, remoteAddress = remote, url = '/issuers/okta/mint') =>
    lab.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: '{}', remoteAddress });

  const none = await call({});
  t.equal(none.statusCode, 401, 'a remote client without the token');
  t.equal(none.json().error, 'control_token_required');
  const wrong = await call({ authorization: 'Bearer wrong-token-wrong-token' });
  t.equal(wrong.statusCode, 401);
  t.same(wrong.json(), { error: 'invalid_control_token', message: 'the control token does not match' });
  t.notMatch(wrong.body, TOKEN);
  const bearer = await call({ authorization: `Bearer ${TOKEN}` });
  t.equal(bearer.statusCode, 200, 'Authorization: Bearer opens mint to a remote client');
  t.equal(bearer.json().signatureValid, true);
  t.equal((await call({ 'x-tti-lab-control-token': TOKEN })).statusCode, 200, 'x-tti-lab-control-token too');
  const health = await lab.app.inject({ method: 'GET', url: '/_lab/health', headers: { authorization: `Bearer ${TOKEN}` }, remoteAddress: remote });
  t.equal(health.statusCode, 200, 'and the control API');
  const faults = await lab.app.inject({ method: 'PUT', url: '/_lab/issuers/okta/faults', headers: { 'x-tti-lab-control-token': 'nope-nope-nope-nope' }, payload: { jwks: { kind: 'hang' } }, remoteAddress: remote });
  t.equal(faults.statusCode, 401);
  t.same(lab.issuer('okta').setFaults({}), {}, 'no fault was set by the refused request');

  t.equal((await call({}, '127.0.0.1')).statusCode, 200, 'loopback needs no token');
  t.equal((await call({ authorization: 'Bearer wrong-token-wrong-token' }, '127.0.0.1')).statusCode, 401, 'but a wrong token fails even from loopback');
  for (const url of ['/issuers/okta/.well-known/openid-configuration', '/issuers/okta/jwks']) {
    t.equal((await lab.app.inject({ method: 'GET', url, remoteAddress: remote })).statusCode, 200, `${url} is public`);
  }
});

t.test('without a control token: loopback only, as before; a presented token is refused', async (t) => {
  const lab = await startLab({ inMemory: true, config: { issuers } });
  t.teardown(() => lab.close());
  const res = await lab.app.inject({ method: 'GET', url: '/_lab/health', remoteAddress: '10.9.8.7' });
  t.equal(res.statusCode, 403);
  t.same(res.json(), { error: 'local_only', message: 'this route mints or reconfigures and answers loopback clients only' });
  const withToken = await lab.app.inject({ method: 'GET', url: '/_lab/health', headers: { authorization: `Bearer ${TOKEN}` }, remoteAddress: '10.9.8.7' });
  t.equal(withToken.statusCode, 401);
  t.equal(withToken.json().error, 'invalid_control_token');
});

t.test('DNS rebinding and cross-origin requests are refused, even from loopback', async (t) => {
  const lab = await startLab({ inMemory: true, config: { issuers } });
  t.teardown(() => lab.close());
  const mint = (headers: Record<string, string>) => lab.app.inject({ method: 'POST', url: '/issuers/okta/mint', headers: { 'content-type': 'application/json', ...headers }, payload: '{}', remoteAddress: '127.0.0.1' });
  const rebound = await mint({ host: 'attacker.example:4750' });
  t.equal(rebound.statusCode, 403, 'a page that rebinds its name to 127.0.0.1 sends its own Host');
  t.equal(rebound.json().error, 'host_not_allowed', 'refused on every route (allowed-hosts.ts), mint included');
  const rotate = await lab.app.inject({ method: 'POST', url: '/_lab/issuers/okta/keys/rotate', headers: { host: '127.0.0.1:4750', origin: 'https://attacker.example' }, remoteAddress: '127.0.0.1' });
  t.equal(rotate.statusCode, 403, 'a cross-site form post cannot rotate keys');
  t.equal(rotate.json().error, 'cross_origin');
  t.equal((await mint({ host: '127.0.0.1:4750', origin: 'null' })).statusCode, 403, 'an opaque origin (sandboxed frame, file:) neither');
  for (const host of ['127.0.0.1:4750', 'localhost:4750', '[::1]:4750', 'localhost']) {
    t.equal((await mint({ host })).statusCode, 200, `Host ${host}`);
  }
  t.equal((await mint({ host: '127.0.0.1:4750', origin: 'http://127.0.0.1:4750' })).statusCode, 200, 'the lab\'s own pages (same origin) pass');
});

t.test('serve prints who may use the control routes, never the token', async (t) => {
  const io = new FakeIo();
  process.env.TTI_LAB_CONTROL_TOKEN = TOKEN;
  t.teardown(() => {
    delete process.env.TTI_LAB_CONTROL_TOKEN;
  });
  const running = main(['serve', '--port', '0', '--in-memory'], io);
  await io.waitFor(/_lab \(.*\)/);
  io.stop('SIGTERM');
  t.equal(await running, 0);
  const out = io.stdout.join('\n');
  t.match(out, /control: +http:\/\/127\.0\.0\.1:\d+\/_lab \(loopback, or any client with the control token\)/);
  t.notMatch(out + io.stderr.join('\n'), TOKEN);
});
