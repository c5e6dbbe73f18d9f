import t, { type Test } from 'tap';
import { once } from 'node:events';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startLab } from '../../server/lab/start-lab.js';
import type { RequestLogEntry } from '../../server/log/request-log.js';
import { Browser } from './helpers/browser.js';
import { ALICE, PORTAL_CLIENT, REDIRECT_URI, issuerConfig } from './helpers/lab-config.js';
import { verifyAgainstJwks } from './helpers/verify.js';

/**
 * The lab around the issuers: faults, the request log, bad input, and who may mint and reconfigure.
 * One lab serves every group (each group leaves it healthy); a test that must close a lab starts its own.
 */
const lab = await startLab({
  config: {
    request_log_size: 8,
    // ES256: quick to generate, and nothing here depends on the algorithm.
    issuers: [issuerConfig('okta', 'ES256'), issuerConfig('other', 'ES256'), { ...issuerConfig('broken', 'ES256'), faults: { jwks: { kind: 'status', status: 503 } } }],
  },
  inMemory: true,
});
t.teardown(() => lab.close());
const okta = lab.issuer('okta');

/** Every error the lab answers itself: JSON, exactly {error, message}. */
async function labError(t: Test, res: Response, status: number, error: string, label: string): Promise<string> {
  t.equal(res.status, status, `${label}: status`);
  t.match(res.headers.get('content-type'), /^application\/json/, `${label}: JSON`);
  const body = (await res.json()) as Record<string, unknown>;
  t.equal(body.error, error, `${label}: error`);
  t.same(Object.keys(body).sort(), ['error', 'message'], `${label}: {error, message}`);
  t.type(body.message, 'string');
  return body.message as string;
}

const json = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

t.test('faults', async (t) => {
  const faultsUrl = `${lab.url}/_lab/issuers/okta/faults`;

  const discover = () => client.discovery(new URL(okta.url), PORTAL_CLIENT.client_id, undefined, undefined, { execute: [client.allowInsecureRequests] });
  const putFaults = async (body: unknown) => {
    const res = await fetch(faultsUrl, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const resetFaults = async () => (await fetch(faultsUrl, { method: 'DELETE' })).json();

  t.beforeEach(async () => {
    okta.resetFaults();
  });
  t.teardown(() => okta.resetFaults());

  t.test('discovery answering 404 or 500: openid-client discovery fails, fetch sees the status', async (t) => {
    for (const status of [404, 500]) {
      const set = await putFaults({ discovery: { kind: 'status', status } });
      t.equal(set.status, 200);
      t.same(set.body, { faults: { discovery: { kind: 'status', status } } });
      await t.rejects(discover(), { code: 'OAUTH_RESPONSE_IS_NOT_CONFORM', cause: { status } }, `openid-client: ${status}`);
      const res = await fetch(okta.discoveryUrl);
      t.equal(res.status, status);
      t.same(await res.json(), { error: 'injected_fault', message: `tti-lab fault: this endpoint answers ${status}` });
    }
    t.same(await resetFaults(), { faults: {} }, 'DELETE resets');
    t.equal((await discover()).serverMetadata().issuer, okta.url, 'and discovery works again');
  });

  t.test('jwks answering 500: a verifier cannot get keys', async (t) => {
    const { token } = await okta.mint({});
    okta.setFaults({ jwks: { kind: 'status', status: 500 } });
    t.equal((await fetch(okta.jwksUrl)).status, 500);
    t.same(await verifyAgainstJwks(okta.jwksUrl, token), { ok: false, code: 'ERR_JOSE_GENERIC' });
    okta.resetFaults();
    t.ok((await verifyAgainstJwks(okta.jwksUrl, token)).ok);
  });

  t.test('invalid JSON: discovery and JWKS answer 200 with a body that does not parse', async (t) => {
    await putFaults({ discovery: { kind: 'invalid_json' }, jwks: { kind: 'invalid_json' } });
    await t.rejects(discover(), { code: 'OAUTH_PARSE_ERROR' }, 'openid-client');
    const res = await fetch(okta.jwksUrl);
    t.equal(res.status, 200);
    await t.rejects(res.json(), SyntaxError, 'fetch');
    const { token } = await okta.mint({});
    t.same(await verifyAgainstJwks(okta.jwksUrl, token), { ok: false, code: 'ERR_JOSE_GENERIC' }, 'jose');
  });

  t.test('slow: the answer comes, and never sooner than delay_ms', async (t) => {
    await putFaults({ discovery: { kind: 'slow', delay_ms: 150 } });
    let started = performance.now();
    const config = await discover();
    t.ok(performance.now() - started >= 150, 'discovery not faster than 150 ms');
    t.equal(config.serverMetadata().issuer, okta.url, 'and correct');

    okta.setFaults({ jwks: { kind: 'slow', delay_ms: 100 } });
    t.same(okta.setFaults({}), { discovery: { kind: 'slow', delay_ms: 150 }, jwks: { kind: 'slow', delay_ms: 100 } }, 'faults merge');
    started = performance.now();
    const res = await fetch(okta.jwksUrl);
    t.ok(performance.now() - started >= 100, 'jwks not faster than 100 ms');
    t.equal(res.status, 200);
  });

  t.test('hang: the client gives up; the issuer keeps serving others', async (t) => {
    await putFaults({ discovery: { kind: 'hang' }, jwks: { kind: 'hang' } });
    await t.rejects(fetch(okta.discoveryUrl, { signal: AbortSignal.timeout(100) }), { name: 'TimeoutError' }, 'discovery');
    await t.rejects(fetch(okta.jwksUrl, { signal: AbortSignal.timeout(100) }), { name: 'TimeoutError' }, 'jwks');
    await t.rejects(
      client.discovery(new URL(okta.url), PORTAL_CLIENT.client_id, undefined, undefined, { execute: [client.allowInsecureRequests], timeout: 0.1 }),
      { code: 'OAUTH_TIMEOUT', cause: { name: 'TimeoutError' } },
      'openid-client with its timeout',
    );
    t.equal((await fetch(lab.issuer('broken').discoveryUrl)).status, 200, 'another issuer answers');
    t.equal((await fetch(`${okta.url}/mint`, { method: 'POST' })).status, 200, 'another endpoint answers');
  });

  t.test('hang: a lab closes cleanly with a request still hanging', async (t) => {
    const other = await startLab({ config: { issuers: [{ ...issuerConfig('h', 'ES256'), faults: { discovery: { kind: 'hang' } } }] }, inMemory: true });
    const arrived = once(other.app.server, 'request');
    const pending = fetch(other.issuer('h').discoveryUrl).then(
      () => 'answered',
      () => 'connection closed',
    );
    await arrived;
    await other.close();
    t.equal(await pending, 'connection closed');
    t.match(other.requests(), [{ path: '/issuers/h/.well-known/openid-configuration', status: 0 }], 'logged as never answered');
  });

  t.test('dropped kid: the token whose kid is dropped no longer verifies', async (t) => {
    const before = await okta.mint({});
    await okta.rotateKey();
    const after = await okta.mint({});
    t.teardown(async () => {
      const keys = await okta.keys();
      for (const k of keys.slice(1)) await okta.retireKey(k.kid);
    });
    const set = await putFaults({ dropped_kids: [before.header.kid] });
    t.same(set.body.faults, { dropped_kids: [before.header.kid] });
    const jwks = (await (await fetch(okta.jwksUrl)).json()) as { keys: { kid: string }[] };
    t.same(jwks.keys.map((k) => k.kid), [after.header.kid], 'left out of the JWKS');
    t.same(await verifyAgainstJwks(okta.jwksUrl, before.token), { ok: false, code: 'ERR_JWKS_NO_MATCHING_KEY' });
    t.ok((await verifyAgainstJwks(okta.jwksUrl, after.token)).ok, 'a token of another key still verifies');
    t.same(await putFaults({ dropped_kids: [after.header.kid] }).then((r) => r.body.faults), { dropped_kids: [after.header.kid] }, 'replaced, not appended');
    t.same(await verifyAgainstJwks(okta.jwksUrl, after.token), { ok: false, code: 'ERR_JWKS_NO_MATCHING_KEY' }, 'the active key can be dropped too (it still signs)');
    await resetFaults();
    t.ok((await verifyAgainstJwks(okta.jwksUrl, before.token)).ok, 'reset brings it back');
  });

  t.test('faults from the config apply at start; reset goes to healthy, not back to the config', async (t) => {
    const broken = lab.issuer('broken');
    t.equal((await fetch(broken.jwksUrl)).status, 503);
    const got = await (await fetch(`${lab.url}/_lab/issuers/broken/faults`)).json();
    t.same(got, { faults: { jwks: { kind: 'status', status: 503 } } });
    broken.resetFaults();
    t.equal((await fetch(broken.jwksUrl)).status, 200);
  });

  t.test('a bad fault is refused with 400 and changes nothing', async (t) => {
    okta.setFaults({ jwks: { kind: 'slow', delay_ms: 1 } });
    for (const body of [{ discovery: { kind: 'explode' } }, { jwks: { kind: 'status', status: 99 } }, { dropped_kids: 'abc' }, { typo: {} }]) {
      const res = await putFaults(body);
      t.equal(res.status, 400, JSON.stringify(body));
      t.equal(res.body.error, 'invalid_faults');
      t.type(res.body.message, 'string');
    }
    t.same(await (await fetch(faultsUrl)).json(), { faults: { jwks: { kind: 'slow', delay_ms: 1 } } });
    const unknown = await fetch(`${lab.url}/_lab/issuers/nope/faults`, { method: 'DELETE' });
    t.equal(unknown.status, 404);
    t.equal(((await unknown.json()) as { error: string }).error, 'unknown_issuer');
  });
});

t.test('request log', async (t) => {
  const logOver = async (query = ''): Promise<{ status: number; body: { requests: RequestLogEntry[] } & Record<string, unknown> }> => {
    const res = await fetch(`${lab.url}/_lab/requests${query}`);
    return { status: res.status, body: (await res.json()) as never };
  };
  const clear = async () => {
    const res = await fetch(`${lab.url}/_lab/requests`, { method: 'DELETE' });
    if (res.status !== 204) throw new Error(`DELETE /_lab/requests answered ${res.status}`);
  };
  const brief = (e: RequestLogEntry) => ({ method: e.method, path: e.path, query: e.query, status: e.status });

  t.test('shows what a relying party fetched: method, path, query, status', async (t) => {
    await clear();
    const config = await client.discovery(new URL(okta.url), PORTAL_CLIENT.client_id, undefined, client.ClientSecretBasic(PORTAL_CLIENT.client_secret), {
      execute: [client.allowInsecureRequests],
    });
    const { token } = await okta.mint({});
    await jwtVerify(token, createRemoteJWKSet(new URL(okta.jwksUrl)));
    const authUrl = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
    await fetch(authUrl, { redirect: 'manual' });
    await fetch(`${lab.issuer('other').url}/jwks?probe=1`);

    const { status, body } = await logOver('?issuer=okta');
    t.equal(status, 200);
    t.same(body.requests.map(brief), [
      { method: 'GET', path: '/issuers/okta/.well-known/openid-configuration', query: {}, status: 200 },
      { method: 'GET', path: '/issuers/okta/jwks', query: {}, status: 200 },
      {
        method: 'GET',
        path: '/issuers/okta/auth',
        query: { client_id: PORTAL_CLIENT.client_id, redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', response_type: 'code' },
        status: 303,
      },
    ]);
    for (const e of body.requests) {
      t.equal(e.issuer, 'okta');
      t.type(e.seq, 'number');
      t.type(e.durationMs, 'number');
      t.ok(Number.isFinite(Date.parse(e.time)));
    }
    t.same(lab.requests({ issuer: 'okta' }), body.requests, 'lab.requests() says the same');
    t.same(lab.requests({ issuer: 'other' }).map(brief), [{ method: 'GET', path: '/issuers/other/jwks', query: { probe: '1' }, status: 200 }]);
    t.equal(lab.requests().length, 4, 'no filter: every issuer');
  });

  t.test('since and limit', async (t) => {
    await clear();
    for (let i = 0; i < 4; i++) await fetch(`${okta.jwksUrl}?n=${i}`);
    const all = lab.requests();
    const second = all[1]!.seq;
    t.same((await logOver(`?since=${second}`)).body.requests.map((e) => e.query.n), ['2', '3'], 'only after since');
    t.same((await logOver('?limit=2')).body.requests.map((e) => e.query.n), ['2', '3'], 'the last few');
    t.same(lab.requests({ since: all[0]!.seq, limit: 1 }).map((e) => e.query.n), ['3']);
    t.same((await logOver('?limit=0')).body.requests, [], 'limit=0: none');
    t.same((await logOver('?issuer=nobody')).body.requests, []);
    for (const bad of ['?limit=-1', '?since=abc', '?limit=1.5']) {
      const res = await logOver(bad);
      t.equal(res.status, 400, bad);
      t.equal(res.body.error, 'invalid_query', bad);
    }
  });

  t.test('bounded by request_log_size, keeping the newest', async (t) => {
    await clear();
    for (let i = 0; i < 12; i++) await fetch(`${okta.jwksUrl}?n=${i}`);
    const entries = lab.requests();
    t.equal(entries.length, 8);
    t.same(entries.map((e) => e.query.n), ['4', '5', '6', '7', '8', '9', '10', '11']);
    t.ok(entries.every((e, i) => i === 0 || e.seq === entries[i - 1]!.seq + 1), 'seq keeps counting');
  });

  t.test('failed requests are logged with their status', async (t) => {
    await clear();
    okta.setFaults({ discovery: { kind: 'status', status: 500 } });
    t.teardown(() => okta.resetFaults());
    await fetch(okta.discoveryUrl);
    await fetch(`${okta.url}/nope`);
    await fetch(`${okta.url}/mint`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    t.same(lab.requests().map((e) => [e.path, e.status]), [
      ['/issuers/okta/.well-known/openid-configuration', 500],
      ['/issuers/okta/nope', 404],
      ['/issuers/okta/mint', 400],
    ]);
  });
});

t.test('bad input', async (t) => {
  t.test('malformed JSON', async (t) => {
    await labError(t, await fetch(`${okta.url}/mint`, json('{"user":')), 400, 'invalid_request', 'mint');
    await labError(t, await fetch(`${lab.url}/_lab/issuers/okta/faults`, { ...json('{nope'), method: 'PUT' }), 400, 'invalid_request', 'faults');
    await labError(t, await fetch(`${lab.url}/_lab/issuers/okta/keys/retire`, json('[')), 400, 'invalid_request', 'retire');
  });

  t.test('unknown issuer: 404 unknown_issuer, naming the ones there are', async (t) => {
    for (const [method, path] of [
      ['GET', '/issuers/nope/.well-known/openid-configuration'],
      ['GET', '/issuers/nope/jwks'],
      ['GET', '/issuers/nope/auth'],
      ['POST', '/issuers/nope/token'],
      ['POST', '/issuers/nope/mint'],
      ['GET', '/_lab/issuers/nope/keys'],
      ['PUT', '/_lab/issuers/nope/faults'],
    ] as const) {
      const message = await labError(t, await fetch(`${lab.url}${path}`, { method }), 404, 'unknown_issuer', `${method} ${path}`);
      t.match(message, /configured issuers: okta/);
    }
    await t.rejects(async () => lab.issuer('nope'), /no issuer named "nope"/);
  });

  t.test('unknown routes: 404 JSON, in the lab and under an issuer', async (t) => {
    await labError(t, await fetch(`${lab.url}/nothing/here`), 404, 'not_found', 'lab');
    await labError(t, await fetch(`${okta.url}/nothing`), 404, 'not_found', 'issuer');
    await labError(t, await fetch(`${lab.url}/_lab/nothing`), 404, 'not_found', 'control');
  });

  t.test('oversize bodies: 413', async (t) => {
    const big = JSON.stringify({ claims: { blob: 'x'.repeat(1024 * 1024 + 1) } });
    await labError(t, await fetch(`${okta.url}/mint`, json(big)), 413, 'payload_too_large', 'mint');
    const form = `grant_type=client_credentials&pad=${'x'.repeat(60 * 1024)}`;
    const msg = await labError(
      t,
      await fetch(`${okta.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }),
      413,
      'payload_too_large',
      'token endpoint',
    );
    t.match(msg, /at most 57344/);
  });

  t.test('the login forms refuse what they cannot use', async (t) => {
    const browser = new Browser();
    await labError(t, await browser.request(`${okta.url}/interaction/made-up-uid`), 400, 'invalid_request', 'no interaction');
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    await labError(t, await browser.request(`${okta.url}/interaction/made-up-uid/login`, { ...form, body: `sub=${ALICE.sub}` }), 400, 'invalid_request', 'login, no interaction');

    // A real interaction: start an authorization request, land on the login page.
    const auth = new URL(`${okta.url}/auth`);
    auth.search = new URLSearchParams({
      client_id: PORTAL_CLIENT.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256',
    }).toString();
    const login = await browser.follow(auth, () => false);
    t.equal(login.res.status, 200);
    const uid = login.url.pathname.split('/').pop()!;
    await labError(t, await browser.request(`${okta.url}/interaction/${uid}/login`, { ...form, body: 'sub=mallory' }), 400, 'unknown_user', 'unknown sub');
    await labError(t, await browser.request(`${okta.url}/interaction/${uid}/login`, { ...form, body: '' }), 400, 'unknown_user', 'no sub');
    await labError(t, await browser.request(`${okta.url}/interaction/other-uid/login`, { ...form, body: `sub=${ALICE.sub}` }), 400, 'invalid_request', 'another interaction\'s form');

    // Cancel: back to the client with access_denied.
    const cancelled = await browser.follow(`${okta.url}/interaction/${uid}/abort`, (u) => u.href.startsWith(REDIRECT_URI), { ...form, body: '' });
    t.equal(cancelled.url.searchParams.get('error'), 'access_denied');
    t.equal(cancelled.url.searchParams.get('error_description'), 'the user cancelled the sign-in');
  });

  t.test('after all that, the lab still answers', async (t) => {
    t.equal((await fetch(okta.discoveryUrl)).status, 200);
    t.equal((await fetch(`${okta.url}/mint`, { method: 'POST' })).status, 200);
    t.equal((await fetch(`${lab.url}/_lab/health`)).status, 200);
  });
});

t.test('local only', async (t) => {
  t.test('mint and control refuse non-loopback clients unless the lab is opened', async (t) => {
    const remote = '10.0.0.9';
    const guarded = [
      { method: 'POST', url: '/issuers/okta/mint', payload: {} },
      { method: 'GET', url: '/_lab/requests' },
      { method: 'GET', url: '/_lab/health' },
      { method: 'GET', url: '/_lab/issuers/okta/keys' },
      { method: 'POST', url: '/_lab/issuers/okta/keys/rotate' },
      { method: 'PUT', url: '/_lab/issuers/okta/faults', payload: { jwks: { kind: 'status', status: 500 } } },
      { method: 'DELETE', url: '/_lab/issuers/okta/faults' },
    ] as const;
    const keysBefore = await okta.keys();
    for (const r of guarded) {
      const res = await lab.app.inject({ ...r, remoteAddress: remote });
      t.equal(res.statusCode, 403, `${r.method} ${r.url}`);
      t.same(res.json(), { error: 'local_only', message: 'this route mints or reconfigures and answers loopback clients only' });
    }
    t.same(await okta.keys(), keysBefore, 'nothing was rotated');
    t.same(lab.issuer('okta').setFaults({}), {}, 'no fault was set');

    for (const url of ['/issuers/okta/.well-known/openid-configuration', '/issuers/okta/jwks']) {
      t.equal((await lab.app.inject({ method: 'GET', url, remoteAddress: remote })).statusCode, 200, `${url} is for everyone`);
    }
    for (const loopback of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      t.equal((await lab.app.inject({ method: 'GET', url: '/_lab/health', remoteAddress: loopback })).statusCode, 200, loopback);
    }
    for (const notLoopback of ['::ffff:10.0.0.9', '192.168.1.2', 'fe80::1']) {
      t.equal((await lab.app.inject({ method: 'GET', url: '/_lab/health', remoteAddress: notLoopback })).statusCode, 403, notLoopback);
    }

    lab.services.openControl = true;
    t.teardown(() => {
      lab.services.openControl = false;
    });
    const minted = await lab.app.inject({ method: 'POST', url: '/issuers/okta/mint', payload: {}, remoteAddress: remote });
    t.equal(minted.statusCode, 200, 'opened: mint answers');
    t.equal(minted.json().signatureValid, true);
    t.equal((await lab.app.inject({ method: 'GET', url: '/_lab/requests', remoteAddress: remote })).statusCode, 200, 'opened: control answers');
  });

  t.test('a lab started with openControl serves remote clients', async (t) => {
    const open = await startLab({ config: { issuers: [issuerConfig('okta', 'ES256')] }, inMemory: true, openControl: true });
    t.teardown(() => open.close());
    const res = await open.app.inject({ method: 'POST', url: '/issuers/okta/mint', payload: {}, remoteAddress: '10.0.0.9' });
    t.equal(res.statusCode, 200);
  });
});
