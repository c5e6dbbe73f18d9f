import t from 'tap';
import { createRequire } from 'node:module';
import { startLab } from '../../server/lab/start-lab.js';
import { buildApp } from '../../server/app/build-app.js';
import { FAULT_KINDS } from '../../server/config/lab-config.js';

/**
 * The /_lab control routes and the workbench's JSON routes declare what they accept
 * (server/lab/check-request.ts): a malformed body or query is a 400 in the lab's error shape naming
 * every bad field, checked after localOnly (a remote client learns nothing from it), and without
 * loading fastify's schema compilers.
 */

const lab = await startLab({ inMemory: true, config: { issuers: [{ name: 'okta' }] } });
t.teardown(() => lab.close());
const app = await buildApp(lab.services);
t.teardown(() => app.close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, remoteAddress = '127.0.0.1') =>
  app.inject({ method, url, remoteAddress, headers: { host: 'localhost', ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });

t.test('control routes: every bad field named, in the lab error shape', async (t) => {
  const cases: [method: 'GET' | 'POST' | 'PUT', url: string, payload: unknown, error: string, message: string][] = [
    ['GET', '/_lab/requests?limit=-1', undefined, 'invalid_query', 'limit: expected a whole number ≥ 0'],
    ['GET', '/_lab/requests?since=abc&limit=1.5', undefined, 'invalid_query', 'since: expected a whole number ≥ 0; limit: expected a whole number ≥ 0'],
    ['GET', '/_lab/requests?isuer=okta', undefined, 'invalid_query', 'isuer: unknown field (did you mean "issuer"?); expected one of issuer, since, limit'],
    ['GET', '/_lab/requests?limit=1&limit=2', undefined, 'invalid_query', 'limit: expected a whole number ≥ 0'],
    ['GET', '/_lab/exchanges?outcome=maybe', undefined, 'invalid_query', 'outcome: expected one of success, failure, got the string "maybe"'],
    ['POST', '/_lab/issuers/okta/keys/retire', {}, 'invalid_request', 'kid: expected the key id to retire (see GET /_lab/issuers/<name>/keys)'],
    ['POST', '/_lab/issuers/okta/keys/retire', { kid: 7 }, 'invalid_request', 'kid: expected the key id to retire (see GET /_lab/issuers/<name>/keys), got number 7'],
    ['POST', '/_lab/issuers/okta/keys/retire', ['k1'], 'invalid_request', 'expected a JSON object {"kid": "<key id>"}, got a list'],
    ['PUT', '/_lab/issuers/okta/faults', { jwks: { kind: 'explode' }, typo: 1 }, 'invalid_faults', `jwks.kind: expected one of ${FAULT_KINDS.join(', ')}, got the string "explode"; typo: unknown field; expected one of discovery, jwks, dropped_kids`],
  ];
  for (const [method, url, payload, error, message] of cases) {
    const res = await call(method, url, payload);
    t.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(payload) ?? ''}`);
    t.same(res.json(), { error, message });
  }
  const ok = await call('GET', '/_lab/requests?issuer=okta&since=0&limit=5');
  t.equal(ok.statusCode, 200, 'a good query still answers');
  t.same(ok.json(), { requests: [] });
});

t.test('workbench JSON routes: the same shape, each with its own code', async (t) => {
  const cases: [method: 'GET' | 'POST', url: string, payload: unknown, error: string, message: string][] = [
    ['POST', '/_lab/workbench/exchange', {}, 'invalid_exchange_request', 'token: expected the JWT as a string; applicationArn: expected the application ARN (the clientId of CreateTokenWithIAM)'],
    ['POST', '/_lab/workbench/exchange', { token: 'x', applicationArn: 'a', scope: ['ok', ''] }, 'invalid_exchange_request', 'scope[1]: expected a scope string of at least 1 character, got an empty string'],
    ['POST', '/_lab/workbench/exchange', 'a token', 'invalid_exchange_request', 'expected a JSON object {"token": "<jwt>", "applicationArn": "<arn>"}, got the string "a token"'],
    ['POST', '/_lab/workbench/assume-role', { roleArn: 'arn', identityContext: '  ', roleSessionName: 7 }, 'invalid_assume_role_request', 'identityContext: expected the identity context as a string (awsAdditionalDetails.identityContext of a successful exchange, the idToken\'s sts:identity_context claim), got the string "  "; roleSessionName: expected a string of 2 to 64 characters [\\w+=,.@-], got number 7'],
    ['GET', '/_lab/workbench/roles?accessKeyId=a&accessKeyId=b', undefined, 'invalid_query', 'accessKeyId: expected an access key id, got a list'],
  ];
  for (const [method, url, payload, error, message] of cases) {
    const res = await call(method, url, payload);
    t.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(payload) ?? ''}`);
    t.same(res.json(), { error, message });
  }
});

t.test('a client the route does not answer is refused before its body is looked at', async (t) => {
  for (const [method, url, payload] of [['PUT', '/_lab/issuers/okta/faults', { typo: 1 }], ['POST', '/_lab/workbench/exchange', {}], ['GET', '/_lab/requests?limit=x', undefined]] as const) {
    const res = await call(method, url, payload, '192.0.2.7');
    t.equal(res.statusCode, 403, url);
    t.equal(res.json().error, 'local_only');
  }
});

t.test('fastify\'s schema compilers stay unloaded', async (t) => {
  const cache = createRequire(import.meta.url).cache;
  t.same(Object.keys(cache).filter((k) => /ajv-compiler|fast-json-stringify-compiler|[\\/]ajv[\\/]/.test(k)), []);
});
