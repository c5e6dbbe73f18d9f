import t from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { CreateTrustedTokenIssuerCommand, PutApplicationGrantCommand } from '@aws-sdk/client-sso-admin';
import { fixedClock } from '../../server/index.js';
import { mergeProfile } from '../../server/identity-center/profile/behaviour-profile.js';
import { ALICE, CLIENT_ID, JWT_BEARER, labReason, startTipLab } from '../exchange/helpers/tip-lab.js';

/**
 * A trusted issuer that misbehaves while exchanges run: down, slow, hanging, or answering garbage
 * of every kind at discovery or at the JWKS. test/exchange/issuer-faults.test.ts drives the lab's
 * own issuer through its fault switches (status, invalid JSON, hang, dropped kid); this file uses
 * an issuer outside the lab, so it can answer anything: HTML, the wrong JSON shape, an issuer
 * mismatch, a JWKS URI nobody serves, 2 MB, a closed socket. Each gives a defined error, each
 * exchange costs at most one discovery and one JWKS request (counted, never timed), and the
 * exchange recovers when the issuer does.
 */
type Mode = string;
const modes: { discovery: Mode; jwks: Mode } = { discovery: 'ok', jwks: 'ok' };
const hits = { discovery: 0, jwks: 0 };
const { publicKey, privateKey } = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'outside-1', alg: 'RS256', use: 'sig' };

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const target = req.url === '/.well-known/openid-configuration' ? 'discovery' : req.url === '/jwks' ? 'jwks' : undefined;
  if (!target) return void res.writeHead(404).end();
  hits[target]++;
  const good = target === 'discovery' ? { issuer: issuerUrl, jwks_uri: `${issuerUrl}/jwks` } : { keys: [jwk] };
  const json = (v: unknown, status = 200) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
  const mode = modes[target];
  if (mode.startsWith('slow:')) return void setTimeout(() => json(good), Number(mode.slice(5)));
  switch (mode) {
    case 'ok':
      return json(good);
    case 'reset':
      return void req.socket.destroy();
    case 'hang':
      return;
    case 'status-503':
      return json({ error: 'unavailable' }, 503);
    case 'redirect':
      return void res.writeHead(302, { location: `${issuerUrl}/elsewhere` }).end();
    case 'html':
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
    case 'empty':
      return void res.writeHead(200, { 'content-type': 'application/json' }).end();
    case 'json-array':
      return json([good]);
    case 'json-null':
      return json(null);
    case 'huge':
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(`{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    case 'truncated':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write(JSON.stringify(good).slice(0, 20));
      return void setTimeout(() => req.socket.destroy(), 10);
    // discovery only
    case 'no-jwks-uri':
      return json({ issuer: issuerUrl });
    case 'jwks-uri-number':
      return json({ issuer: issuerUrl, jwks_uri: 42 });
    case 'jwks-uri-not-a-url':
      return json({ issuer: issuerUrl, jwks_uri: 'not a url' });
    case 'jwks-uri-ftp':
      return json({ issuer: issuerUrl, jwks_uri: 'ftp://127.0.0.1/jwks' });
    case 'jwks-uri-closed-port':
      return json({ issuer: issuerUrl, jwks_uri: `http://127.0.0.1:${closedPort}/jwks` });
    case 'issuer-mismatch':
      return json({ issuer: `${issuerUrl}/other`, jwks_uri: `${issuerUrl}/jwks` });
    // jwks only
    case 'keys-not-a-list':
      return json({ keys: 'RS256' });
    case 'keys-garbage':
      return json({ keys: [null, 1, 'x', { kty: 'RSA', kid: 'outside-1', n: '!!', e: 'AQAB' }] });
    case 'keys-empty':
      return json({ keys: [] });
    case 'keys-wrong-kid':
      return json({ keys: [{ ...jwk, kid: 'someone-else' }] });
    default:
      throw new Error(`unknown mode ${mode}`);
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const spare = createServer();
await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
const closedPort = (spare.address() as AddressInfo).port;
await new Promise<void>((resolve) => spare.close(() => resolve()));
t.teardown(() => {
  server.closeAllConnections();
  server.close();
});

const clock = fixedClock(Date.now());
const tip = await startTipLab({ clock });
t.teardown(() => tip.lab.close());
// A short fetch timeout, so "hang" costs little; refetch on unknown kid allowed at once.
tip.lab.services.ssoOidc.profile = mergeProfile({ settings: { fetch_timeout_ms: { value: 300 }, jwks_refetch_min_interval_seconds: { value: 0 } } }, 'test');
const { TrustedTokenIssuerArn } = await tip.ssoAdmin.send(
  new CreateTrustedTokenIssuerCommand({
    InstanceArn: tip.instanceArn,
    Name: 'outside',
    TrustedTokenIssuerType: 'OIDC_JWT',
    TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: issuerUrl, ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
  }),
);
await tip.ssoAdmin.send(
  new PutApplicationGrantCommand({
    ApplicationArn: tip.applicationArn,
    GrantType: JWT_BEARER,
    Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: tip.ttiArn, AuthorizedAudiences: [CLIENT_ID] }, { TrustedTokenIssuerArn, AuthorizedAudiences: [CLIENT_ID] }] } },
  }),
);

const now = () => Math.floor(clock.now() / 1000);
const token = (kid = 'outside-1') =>
  new SignJWT({ email: ALICE.email, jti: randomUUID() })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(issuerUrl)
    .setAudience(CLIENT_ID)
    .setSubject(ALICE.sub)
    .setIssuedAt(now())
    .setExpirationTime(now() + 600)
    .sign(privateKey);
/** One exchange: 'ok', or the exception and the failed step. */
const attempt = async (kid?: string) => tip.exchange({ assertion: await token(kid) }).then(() => 'ok', (e: unknown) => `${(e as Error).name} ${labReason(e).split(':')[0]}`);
const healthy = () => {
  modes.discovery = 'ok';
  modes.jwks = 'ok';
};
/** Runs `n` exchanges with the issuer in `mode`; returns their outcomes and how many requests the issuer got. */
async function during(target: 'discovery' | 'jwks', mode: Mode, n = 3) {
  tip.lab.services.ssoOidc.issuerKeys.clear();
  healthy();
  modes[target] = mode;
  const before = { ...hits };
  const outcomes = [];
  for (let i = 0; i < n; i++) outcomes.push(await attempt());
  return { outcomes, discovery: hits.discovery - before.discovery, jwks: hits.jwks - before.jwks };
}

t.test('the outside issuer works when healthy', async (t) => {
  t.equal(await attempt(), 'ok');
});

const DISCOVERY_FAULTS = ['reset', 'hang', 'status-503', 'redirect', 'html', 'empty', 'json-array', 'json-null', 'huge', 'truncated', 'no-jwks-uri', 'jwks-uri-number', 'jwks-uri-not-a-url', 'jwks-uri-ftp', 'jwks-uri-closed-port', 'issuer-mismatch', 'slow:1500'];
const JWKS_FAULTS = ['reset', 'hang', 'status-503', 'redirect', 'html', 'empty', 'json-array', 'json-null', 'huge', 'truncated', 'keys-not-a-list', 'slow:1500'];

t.test('discovery faults: a defined error each time, one discovery request per exchange at most', async (t) => {
  for (const mode of DISCOVERY_FAULTS) {
    const r = await during('discovery', mode);
    t.same(r.outcomes, Array(3).fill('InvalidGrantException issuer-keys-fetched'), `${mode}: refused at the key fetch`);
    t.ok(r.discovery <= 3, `${mode}: ${r.discovery} discovery requests for 3 exchanges (at most 3)`);
    t.ok(r.jwks <= (mode === 'issuer-mismatch' || mode.startsWith('jwks-uri') || mode === 'no-jwks-uri' ? 0 : 3), `${mode}: ${r.jwks} JWKS requests`);
  }
  healthy();
  t.equal(await attempt(), 'ok', 'recovers as soon as discovery answers again');
});

t.test('JWKS faults: a defined error each time, one JWKS request per exchange at most', async (t) => {
  for (const mode of JWKS_FAULTS) {
    const r = await during('jwks', mode);
    t.same(r.outcomes, Array(3).fill('InvalidGrantException issuer-keys-fetched'), `${mode}: refused at the key fetch`);
    t.ok(r.discovery <= 3 && r.jwks <= 3, `${mode}: ${r.discovery} discovery and ${r.jwks} JWKS requests for 3 exchanges`);
  }
  for (const mode of ['keys-garbage', 'keys-empty', 'keys-wrong-kid']) {
    const r = await during('jwks', mode);
    // keys-garbage publishes the kid with a broken modulus: found, but it cannot verify anything.
    const step = mode === 'keys-garbage' ? 'signature-valid' : 'issuer-keys-fetched';
    t.same(r.outcomes, Array(3).fill(`InvalidGrantException ${step}`), `${mode}: no usable key`);
    // A fetched JWKS without the kid is cached; an unknown kid may refetch once per exchange (interval 0 here).
    t.ok(r.jwks <= 6, `${mode}: ${r.jwks} JWKS requests for 3 exchanges (at most 2 each)`);
  }
  healthy();
  t.equal(await attempt(), 'ok', 'recovers as soon as the JWKS answers again');
});

t.test('slow but within the fetch timeout: the exchange succeeds', async (t) => {
  t.same((await during('discovery', 'slow:50', 1)).outcomes, ['ok']);
  t.same((await during('jwks', 'slow:50', 1)).outcomes, ['ok']);
});

t.test('concurrent exchanges during an outage share one fetch at a time and all get a defined error', async (t) => {
  tip.lab.services.ssoOidc.issuerKeys.clear();
  healthy();
  modes.discovery = 'hang';
  const before = hits.discovery;
  const outcomes = await Promise.all(Array.from({ length: 8 }, () => attempt()));
  t.same(outcomes, Array(8).fill('InvalidGrantException issuer-keys-fetched'));
  t.ok(hits.discovery - before <= 8, `${hits.discovery - before} discovery requests for 8 concurrent exchanges`);
  healthy();
  t.equal(await attempt(), 'ok', 'recovered');
});

t.test('with keys cached, an outage goes unnoticed until the cache expires; then a defined error; then recovery', async (t) => {
  tip.lab.services.ssoOidc.issuerKeys.clear();
  healthy();
  t.equal(await attempt(), 'ok', 'keys fetched and cached');
  modes.discovery = 'reset';
  modes.jwks = 'reset';
  const before = { ...hits };
  t.equal(await attempt(), 'ok', 'the cache answers while the issuer is down');
  t.same({ d: hits.discovery - before.discovery, j: hits.jwks - before.jwks }, { d: 0, j: 0 }, 'and the issuer was not asked');
  clock.advance((tip.lab.services.ssoOidc.profile.settings.jwks_cache_ttl_seconds.value + 1) * 1000);
  t.equal(await attempt(), 'InvalidGrantException issuer-keys-fetched', 'past the TTL the keys must be fetched again, and cannot be');
  healthy();
  t.equal(await attempt(), 'ok', 'recovers when the issuer is back');
});

t.test('an unknown kid while the issuer is down: one refetch attempt, a defined error', async (t) => {
  tip.lab.services.ssoOidc.issuerKeys.clear();
  healthy();
  t.equal(await attempt(), 'ok');
  modes.jwks = 'status-503';
  modes.discovery = 'status-503';
  const before = { ...hits };
  t.equal(await attempt('rotated-2'), 'InvalidGrantException issuer-keys-fetched');
  t.ok(hits.discovery - before.discovery <= 1, 'at most one discovery request');
  healthy();
  t.equal(await attempt(), 'ok', 'the known kid still works');
});
