import t from 'tap';
import { createHmac } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportSPKI, importJWK, type JWK } from 'jose';
import { fixedClock } from '../../shared/clock.js';
import { MintError } from '../../server/issuer/mint/mint-token.js';
import { startLab } from '../../server/lab/start-lab.js';
import { ALICE, issuerConfig } from './helpers/lab-config.js';
import { postJson, verifyAgainstJwks } from './helpers/verify.js';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const NOW_S = NOW / 1000;
const clock = fixedClock(NOW);
const lab = await startLab({ config: { issuers: [issuerConfig('okta')] }, inMemory: true, clock });
t.teardown(() => lab.close());
const okta = lab.issuer('okta');
const mintUrl = `${okta.url}/mint`;
const at = { currentDate: new Date(NOW) };
const verify = (token: string, opts = {}) => verifyAgainstJwks(okta.jwksUrl, token, { ...at, ...opts });
const activeKid = async () => (await okta.keys()).find((k) => k.status === 'active')!.kid;

t.test('valid, over HTTP: verifies, with exact times from the fixed clock', async (t) => {
  const { status, body } = await postJson(mintUrl, {});
  t.equal(status, 200);
  t.equal(body.variant, 'valid');
  t.equal(body.signatureValid, true);
  t.same(body.header, { typ: 'JWT', kid: await activeKid(), alg: 'RS256' });
  t.equal(body.payload.iss, okta.url);
  t.equal(body.payload.iat, NOW_S);
  t.equal(body.payload.exp, NOW_S + 3600, 'exp defaults to iat + id_token_ttl');
  t.notOk('nbf' in body.payload, 'no nbf by default');
  t.notOk('aud' in body.payload, 'no aud by default');
  t.match(body.payload.jti, /^[0-9a-f-]{36}$/);
  const v = await verify(body.token, { issuer: okta.url });
  t.ok(v.ok, 'verifies against the JWKS');
  t.same(decodeJwt(body.token), body.payload, 'the payload returned is the payload signed');
});

t.test('lab.mint and lab.issuer(x).mint mint the same way', async (t) => {
  const a = await lab.mint('okta', { user: ALICE.sub });
  const b = await okta.mint({ user: ALICE.sub });
  for (const m of [a, b]) {
    t.equal(m.payload.sub, ALICE.sub);
    t.equal(m.payload.iat, NOW_S);
    t.ok((await verify(m.token)).ok);
  }
  t.not(a.payload.jti, b.payload.jti, 'a fresh jti each time');
});

t.test('no body at all mints the default token', async (t) => {
  const res = await fetch(mintUrl, { method: 'POST' });
  t.equal(res.status, 200);
  t.ok((await verify(((await res.json()) as { token: string }).token)).ok);
});

t.test('every broken variant fails verification, each in its own way', async (t) => {
  // [code from a JWKS alone, code when the verifier also pins the issuer's algorithm]
  const expected = {
    alg_none: ['ERR_JOSE_NOT_SUPPORTED', 'ERR_JOSE_ALG_NOT_ALLOWED'],
    unknown_key: ['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_NO_MATCHING_KEY'],
    tampered: ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    hs256_public_key: ['ERR_JOSE_NOT_SUPPORTED', 'ERR_JOSE_ALG_NOT_ALLOWED'],
  } as const;
  for (const [variant, [code, pinnedCode]] of Object.entries(expected)) {
    const { status, body } = await postJson(mintUrl, { variant, user: ALICE.sub });
    t.equal(status, 200, variant);
    t.equal(body.variant, variant);
    t.equal(body.signatureValid, false, `${variant}: signatureValid false`);
    t.ok(body.note, `${variant}: says what it is`);
    t.same(await verify(body.token), { ok: false, code }, `${variant}: refused with ${code}`);
    t.same(await verify(body.token, { algorithms: ['RS256'] }), { ok: false, code: pinnedCode }, `${variant}, alg pinned: refused with ${pinnedCode}`);
  }
});

t.test('alg_none: unsigned, empty signature', async (t) => {
  const m = await okta.mint({ variant: 'alg_none', header: { kid: 'whatever' } });
  t.equal(m.header.alg, 'none');
  t.equal(m.header.kid, 'whatever', 'other header overrides still apply');
  t.ok(m.token.endsWith('.'));
  t.equal(decodeProtectedHeader(m.token).alg, 'none');
});

t.test('unknown_key: a real signature by a key the JWKS does not publish', async (t) => {
  const m = await okta.mint({ variant: 'unknown_key' });
  const jwks = (await (await fetch(okta.jwksUrl)).json()) as { keys: JWK[] };
  t.equal(m.header.alg, 'RS256');
  t.notOk(jwks.keys.some((k) => k.kid === m.header.kid), 'its kid is not published');
});

t.test('tampered: payload changed after signing; the signature no longer matches', async (t) => {
  const m = await okta.mint({ variant: 'tampered', user: ALICE.sub, tamper: { sub: 'admin' } });
  t.equal(decodeJwt(m.token).sub, 'admin');
  t.equal(m.payload.sub, 'admin');
  t.same(await verify(m.token), { ok: false, code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  const byDefault = await okta.mint({ variant: 'tampered' });
  t.equal(decodeJwt(byDefault.token).tampered, true, 'default tamper');
  await t.rejects(okta.mint({ variant: 'tampered', user: ALICE.sub, tamper: { sub: ALICE.sub } }), MintError, 'a tamper that changes nothing is refused');
});

t.test('hs256_public_key: the HMAC secret really is the published key as SPKI PEM (the key-confusion attack)', async (t) => {
  const m = await okta.mint({ variant: 'hs256_public_key' });
  t.equal(m.header.alg, 'HS256');
  t.equal(m.header.kid, await activeKid());
  const jwks = (await (await fetch(okta.jwksUrl)).json()) as { keys: JWK[] };
  const jwk = jwks.keys.find((k) => k.kid === m.header.kid)!;
  const pem = await exportSPKI((await importJWK(jwk, 'RS256', { extractable: true })) as CryptoKey);
  const [h, p, s] = m.token.split('.');
  t.equal(createHmac('sha256', pem).update(`${h}.${p}`).digest('base64url'), s, 'a naive verifier would accept it');
});

t.test('aud: a string, an array, or absent', async (t) => {
  const one = await okta.mint({ claims: { aud: '0oa-web-app' } });
  t.equal(one.payload.aud, '0oa-web-app');
  t.ok((await verify(one.token, { audience: '0oa-web-app' })).ok);
  t.same(await verify(one.token, { audience: 'someone-else' }), { ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });

  const many = await okta.mint({ claims: { aud: ['api://default', '0oa-web-app'] } });
  t.same(many.payload.aud, ['api://default', '0oa-web-app']);
  t.ok((await verify(many.token, { audience: '0oa-web-app' })).ok);
  t.ok((await verify(many.token, { audience: 'api://default' })).ok);

  const none = await okta.mint({});
  t.notOk('aud' in none.payload);
  t.ok((await verify(none.token)).ok, 'verifies when no audience is required');
  t.same(await verify(none.token, { audience: '0oa-web-app' }), { ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' }, 'and fails when one is');
});

t.test('iat, nbf, exp: absolute, ISO, relative, null', async (t) => {
  const abs = await okta.mint({ iat: 1_900_000_000, nbf: 1_900_000_001.9, exp: 1_900_003_600 });
  t.same([abs.payload.iat, abs.payload.nbf, abs.payload.exp], [1_900_000_000, 1_900_000_001, 1_900_003_600], 'epoch seconds, floored');

  const iso = await okta.mint({ iat: '2030-01-01T11:00:00Z', nbf: '2030-01-01T13:00:00+02:00', exp: '2030-01-02' });
  t.same([iso.payload.iat, iso.payload.nbf, iso.payload.exp], [NOW_S - 3600, NOW_S - 3600, Date.UTC(2030, 0, 2) / 1000], 'ISO dates');

  const rel = await okta.mint({ iat: '-5m', nbf: '+30s', exp: '+1h' });
  t.same([rel.payload.iat, rel.payload.nbf, rel.payload.exp], [NOW_S - 300, NOW_S + 30, NOW_S + 3600], 'relative to the clock');
  const days = await okta.mint({ exp: '+2d', iat: '0' });
  t.same([days.payload.iat, days.payload.exp], [NOW_S, NOW_S + 2 * 86400]);

  const absent = await okta.mint({ iat: null, exp: null, nbf: null });
  t.notOk('iat' in absent.payload || 'exp' in absent.payload || 'nbf' in absent.payload, 'null leaves each out');

  t.same(await verify((await okta.mint({ exp: '-5m' })).token), { ok: false, code: 'ERR_JWT_EXPIRED' }, 'an expired token fails');
  t.same(await verify((await okta.mint({ nbf: '+5m' })).token), { ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' }, 'a not-yet-valid token fails');
  t.ok((await verify((await okta.mint({ nbf: '-1s', exp: '+1s' })).token)).ok, 'a token valid now passes');
});

t.test('the fixed clock moves only when told to', async (t) => {
  clock.advance(90_000);
  t.teardown(() => clock.set(NOW));
  const m = await okta.mint({});
  t.equal(m.payload.iat, NOW_S + 90);
  t.equal(m.payload.exp, NOW_S + 90 + 3600);
});

t.test('header overrides', async (t) => {
  const typed = await okta.mint({ header: { typ: 'at+jwt', 'x-lab': 1 } });
  t.same(decodeProtectedHeader(typed.token), { typ: 'at+jwt', kid: await activeKid(), 'x-lab': 1, alg: 'RS256' });
  t.ok((await verify(typed.token, { typ: 'at+jwt' })).ok);

  const wrongKid = await okta.mint({ header: { kid: 'not-published' } });
  t.equal(wrongKid.signatureValid, false);
  t.same(await verify(wrongKid.token), { ok: false, code: 'ERR_JWKS_NO_MATCHING_KEY' });

  const noKid = await okta.mint({ header: { kid: null, typ: null } });
  t.same(decodeProtectedHeader(noKid.token), { alg: 'RS256' }, 'null removes a header member');
  t.equal(noKid.signatureValid, true);
  t.ok((await verify(noKid.token)).ok, 'a token without kid verifies (the verifier tries the keys)');

  const sameAlg = await okta.mint({ header: { alg: 'RS256' } });
  t.ok((await verify(sameAlg.token)).ok, 'the alg the key makes is accepted');
});

t.test('claims: merged over the user\'s and the defaults; null removes a default', async (t) => {
  const m = await okta.mint({ user: ALICE.sub, claims: { email: 'other@example.com', jti: null, iss: null, scope: 'read' } });
  t.equal(m.payload.sub, ALICE.sub);
  t.equal(m.payload.department, ALICE.department, 'the user\'s custom claim');
  t.equal(m.payload.email, 'other@example.com', 'claims win over the user\'s');
  t.equal(m.payload.scope, 'read');
  t.notOk('jti' in m.payload || 'iss' in m.payload, 'removed');
  t.same(decodeJwt(m.token), m.payload);
});

t.test('bad mint input: 400 with {error, message}, and lab.mint throws MintError', async (t) => {
  const cases: [string, unknown, RegExp][] = [
    ['bad time string', { exp: 'tomorrow' }, /^exp: expected epoch seconds/],
    ['ISO date-time without a zone', { iat: '2030-01-01T10:00:00' }, /^iat: .* has no time zone/],
    ['time of the wrong type', { nbf: true }, /^nbf: expected/],
    ['unknown user', { user: 'nobody' }, /has no user with sub "nobody"/],
    ['alg the key cannot make', { header: { alg: 'ES256' } }, /^header\.alg: "ES256" cannot be made with the issuer's RS256 key/],
    ['alg removed', { header: { alg: null } }, /^header\.alg: /],
    ['unknown variant', { variant: 'forged' }, /^variant: expected one of valid, alg_none/],
    ['unknown field (a typo)', { claim: { aud: 'x' } }, /^claim: unknown field/],
    ['claims not an object', { claims: 'aud=x' }, /^claims: expected a JSON object, got a string/],
    ['header an array', { header: ['alg'] }, /^header: expected a JSON object, got an array/],
    ['an array body', [1, 2], /^expected a JSON object, got an array/],
    ['a string body', '"token please"', /^expected a JSON object, got a string/],
    ['a null body', 'null', /^expected a JSON object, got null/],
  ];
  for (const [label, body, message] of cases) {
    const res = await postJson(mintUrl, body);
    t.equal(res.status, 400, label);
    t.equal(res.body.error, 'invalid_mint_request', label);
    t.match(res.body.message, message, label);
    t.same(Object.keys(res.body).sort(), ['error', 'message'], `${label}: nothing more`);
    if (typeof body === 'object') await t.rejects(okta.mint(body as never), MintError, `${label}: lab.mint`);
  }

  const malformed = await fetch(mintUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"claims": {' });
  t.equal(malformed.status, 400);
  const err = (await malformed.json()) as { error: string; message: string };
  t.equal(err.error, 'invalid_request');
  t.match(err.message, /JSON/);

  const { status } = await postJson(mintUrl, {});
  t.equal(status, 200, 'the lab keeps answering');
});
