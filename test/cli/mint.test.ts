import t from 'tap';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { fixedClock } from '../../shared/clock.js';
import { startLab } from '../../server/lab/start-lab.js';
import type { MintResult } from '../../server/issuer/mint/mint-token.js';
import { cli, freePort } from './helpers/cli-run.js';

const NOW = Date.UTC(2026, 0, 1); // 1767225600
const clock = fixedClock(NOW);
const lab = await startLab({
  port: 0,
  inMemory: true,
  clock,
  config: {
    issuers: [
      {
        name: 'okta',
        id_token_ttl: 600,
        users: [{ sub: '00u1alice', email: 'alice@example.com', groups: ['engineering'] }],
      },
    ],
  },
});
t.teardown(() => lab.close());
const okta = lab.issuer('okta');
const jwks = createRemoteJWKSet(new URL(okta.jwksUrl));
const mint = (...args: string[]) => cli('mint', '--endpoint', lab.url, '--issuer', 'okta', ...args);

async function mintJson(...args: string[]): Promise<MintResult> {
  const { code, out, err } = await mint('--json', ...args);
  if (code !== 0) throw new Error(`mint failed (${code}): ${err}`);
  return JSON.parse(out) as MintResult;
}

t.test('the default: decoded header and payload beside the token, which verifies', async (t) => {
  const { code, out, err } = await mint();
  t.equal(code, 0);
  t.equal(err, '');
  const token = out.split('\n').at(-1)!;
  t.match(out, /^variant: valid — Signed by the issuer's active key; verifies against its JWKS\.\n\nheader:\n\{/);
  t.match(out, /\npayload:\n\{/);
  t.match(out, /\ntoken:\n/);
  const { payload } = await jwtVerify(token, jwks, { issuer: okta.url, currentDate: new Date(NOW) });
  t.same(Object.keys(payload).sort(), ['exp', 'iat', 'iss', 'jti']);
  t.equal(payload.iat, NOW / 1000);
  t.equal(payload.exp, NOW / 1000 + 600, 'exp defaults to the issuer\'s id_token_ttl');
  t.notOk('aud' in payload, 'no --aud, no aud');
});

t.test('--token-only prints the token alone', async (t) => {
  const { code, out } = await mint('--token-only', '--sub', 'alice');
  t.equal(code, 0);
  t.match(out, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const { payload } = await jwtVerify(out, jwks, { currentDate: new Date(NOW) });
  t.equal(payload.sub, 'alice');
});

t.test('--aud: a string once, an array when repeated or with --aud-array', async (t) => {
  t.equal((await mintJson('--aud', '0oa1b2c3')).payload.aud, '0oa1b2c3');
  t.same((await mintJson('--aud', 'a', '--aud', 'b')).payload.aud, ['a', 'b']);
  t.same((await mintJson('--aud', 'only', '--aud-array')).payload.aud, ['only']);
});

t.test('--claim NAME=VALUE reads VALUE as JSON when it parses, else as a string', async (t) => {
  const { payload } = await mintJson(
    '--claim', 'n=42',
    '--claim', 'ok=true',
    '--claim', 'groups=["a","b"]',
    '--claim', 'obj={"k":{"deep":1}}',
    '--claim', 'text=hello world',
    '--claim', 'quoted="42"',
    '--claim', 'eq=a=b',
    '--claim', 'gone=null',
  );
  t.equal(payload.n, 42);
  t.equal(payload.ok, true);
  t.same(payload.groups, ['a', 'b']);
  t.same(payload.obj, { k: { deep: 1 } });
  t.equal(payload.text, 'hello world');
  t.equal(payload.quoted, '42');
  t.equal(payload.eq, 'a=b', 'only the first = splits');
  t.notOk('gone' in payload, 'null leaves the claim out');
  const iss = await mintJson('--claim', 'iss=https://other.example.com');
  t.equal(iss.payload.iss, 'https://other.example.com', 'a claim overrides a default');
});

t.test('--user starts from a configured user; --sub and --claim win over it', async (t) => {
  const { payload } = await mintJson('--user', '00u1alice', '--claim', 'email=eve@example.com');
  t.equal(payload.sub, '00u1alice');
  t.equal(payload.email, 'eve@example.com');
  t.same(payload.groups, ['engineering']);
  t.equal((await mintJson('--user', '00u1alice', '--sub', 'other')).payload.sub, 'other');
  const unknown = await mint('--user', 'nobody');
  t.equal(unknown.code, 1, 'the lab refused: not a usage error');
  t.equal(unknown.err, 'tti-lab mint: the lab refused (400 invalid_mint_request): issuer "okta" has no user with sub "nobody"; known: 00u1alice');
});

t.test('times: epoch seconds, ISO dates, relative, and "none"', async (t) => {
  const s = NOW / 1000;
  const { payload } = await mintJson('--iat', '1767225000', '--nbf', '2026-01-01T00:05:00Z', '--exp', '+10m');
  t.equal(payload.iat, 1767225000);
  t.equal(payload.nbf, s + 300);
  t.equal(payload.exp, s + 600);
  const past = await mintJson('--iat', '-2h', '--exp', '-1h', '--nbf=-3h');
  t.equal(past.payload.iat, s - 7200);
  t.equal(past.payload.exp, s - 3600);
  t.equal(past.payload.nbf, s - 10800);
  const none = await mintJson('--exp', 'none', '--iat', 'none');
  t.notOk('exp' in none.payload);
  t.notOk('iat' in none.payload);
  const bad = await mint('--exp', 'tomorrow');
  t.equal(bad.code, 1);
  t.match(bad.err, 'exp: expected epoch seconds, an ISO-8601 date, or a relative time such as "+1h", "-5m", "+30s", got "tomorrow"');
});

t.test('--header overrides header members', async (t) => {
  const r = await mintJson('--header', 'typ=at+jwt', '--header', 'x5t=abc');
  t.equal(r.header.typ, 'at+jwt');
  t.equal(r.header.x5t, 'abc');
  t.same(decodeProtectedHeader(r.token), r.header);
  const wrongKid = await mintJson('--header', 'kid=not-a-key');
  t.equal(wrongKid.signatureValid, false, 'a kid the JWKS does not have: verifiers cannot find the key');
});

t.test('--variant: each broken token is refused by a verifier', async (t) => {
  const valid = await mintJson('--variant', 'valid');
  t.equal(valid.signatureValid, true);
  await t.resolves(jwtVerify(valid.token, jwks, { currentDate: new Date(NOW) }));

  const none = await mintJson('--variant', 'alg_none');
  t.equal(none.header.alg, 'none');
  t.match(none.token, /\.$/, 'empty signature');
  await t.rejects(jwtVerify(none.token, jwks, { currentDate: new Date(NOW) }));

  const unknown = await mintJson('--variant', 'unknown_key');
  t.not(unknown.header.kid, valid.header.kid);
  await t.rejects(jwtVerify(unknown.token, jwks, { currentDate: new Date(NOW) }), { code: 'ERR_JWKS_NO_MATCHING_KEY' });

  const tampered = await mintJson('--variant', 'tampered');
  t.equal(tampered.payload.tampered, true);
  await t.rejects(jwtVerify(tampered.token, jwks, { currentDate: new Date(NOW) }), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });

  const confused = await mintJson('--variant', 'hs256_public_key');
  t.equal(confused.header.alg, 'HS256');
  await t.rejects(jwtVerify(confused.token, jwks, { currentDate: new Date(NOW) }));

  for (const r of [none, unknown, tampered, confused]) t.equal(r.signatureValid, false, r.variant);
});

t.test('errors from the lab: exit 1 with the lab\'s message', async (t) => {
  const unknown = await cli('mint', '--endpoint', lab.url, '--issuer', 'nope');
  t.equal(unknown.code, 1);
  t.equal(unknown.err, 'tti-lab mint: the lab refused (404 unknown_issuer): no issuer named "nope"; configured issuers: okta');
  const port = await freePort();
  const down = await cli('mint', '--endpoint', `http://127.0.0.1:${port}`, '--issuer', 'okta');
  t.equal(down.code, 1);
  t.equal(
    down.err,
    `tti-lab mint: cannot reach a lab at http://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}); start one with \`tti-lab serve\`, pass --endpoint, or use --offline --config FILE`,
  );
});
