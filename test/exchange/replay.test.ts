import t from 'tap';
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTokenWithIAMCommand } from '@aws-sdk/client-sso-oidc';
import { fixedClock, startLab } from '../../server/index.js';
import { ReplayCache } from '../../server/identity-center/sso-oidc/tokens/replay-cache.js';
import { ALICE, BOB, CLIENT_ID, JWT_BEARER, clients, labReason, startTipLab, type TipLab } from './helpers/tip-lab.js';

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];

/**
 * Replay protection holds against a second spelling of one token: the cache is keyed on what was
 * signed (header.payload), and a segment must be canonical base64url, so neither a malleated ECDSA
 * signature nor changed unused bits make an accepted assertion new again.
 */
const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const okta = (algorithm: string) => ({ issuers: [{ name: 'okta', algorithm, clients: [{ client_id: CLIENT_ID, client_secret: 'tip-secret', redirect_uris: ['http://localhost:3000/callback'] }], users: [ALICE, BOB] }] });

/** The order of the P-256 group: (r, n − s) is a second valid ECDSA signature of the same input. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same segment with the last character's lowest (unused) bit set: the same bytes to a lenient decoder. */
const flipUnusedBit = (segment: string) => `${segment.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(segment.at(-1)!) ^ 1]}`;

async function refusal(tip: TipLab, assertion: string): Promise<{ name: string; reason: string }> {
  const err = await tip.exchange({ assertion }).then(
    () => undefined,
    (e: unknown) => e as { name: string },
  );
  if (!err) throw new Error('the exchange was accepted');
  return { name: err.name, reason: labReason(err) };
}

t.test('an ES256 assertion without jti is not accepted again with the signature (r, n − s)', async (t) => {
  const tip = await startTipLab({ clock, config: okta('ES256') });
  t.teardown(() => tip.lab.close());
  const token = await tip.mint({ claims: { jti: null } });
  const [h, p, s] = token.split('.') as [string, string, string];
  t.ok((await tip.exchange({ assertion: token })).accessToken, 'first exchange');
  const sig = Buffer.from(s, 'base64url');
  const sPrime = (P256_N - BigInt(`0x${sig.subarray(32).toString('hex')}`)).toString(16).padStart(64, '0');
  const malleated = `${h}.${p}.${Buffer.concat([sig.subarray(0, 32), Buffer.from(sPrime, 'hex')]).toString('base64url')}`;
  t.not(malleated, token, 'a different token string');
  const { name, reason } = await refusal(tip, malleated);
  t.equal(name, 'InvalidGrantException');
  t.match(reason, /^assertion-not-replayed: this assertion was already exchanged/, 'refused as a replay, not as a bad signature: the signature is valid');
});

t.test('a token whose last base64url character has unused bits set is refused as malformed, naming the segment', async (t) => {
  const tip = await startTipLab({ clock });
  t.teardown(() => tip.lab.close());
  const token = await tip.mint({ claims: { jti: null } });
  const [h, p, s] = token.split('.') as [string, string, string];
  t.ok((await tip.exchange({ assertion: token })).accessToken, 'first exchange');
  for (const x of [1, 2, 3]) {
    const last = ALPHABET[ALPHABET.indexOf(s.at(-1)!) ^ x];
    const { name, reason } = await refusal(tip, `${h}.${p}.${s.slice(0, -1)}${last}`);
    t.equal(name, 'InvalidGrantException', `unused bits ${x}`);
    t.match(reason, /^assertion-well-formed: the assertion is not a JWT: the signature is not canonical base64url/, `unused bits ${x}`);
  }
});

t.test('a header or payload spelled non-canonically is refused even when signed as sent', async (t: TapTest) => {
  const tip = await startTipLab({ clock });
  t.teardown(() => tip.lab.close());
  const signing = await tip.lab.services.keys.signingKey('okta', 'RS256');
  const now = Math.floor(clock.now() / 1000);
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  // Headers and payloads whose base64url leaves unused bits (length % 4 is 2 or 3).
  let header = enc({ alg: 'RS256', kid: signing.kid, typ: 'JWT' });
  let pad = '';
  while (header.length % 4 === 0) header = enc({ alg: 'RS256', kid: signing.kid, typ: 'JWT', x: (pad += 'x') });
  let payload = enc({ iss: tip.lab.issuer('okta').url, sub: ALICE.sub, email: ALICE.email, aud: CLIENT_ID, iat: now, exp: now + 300 });
  pad = '';
  while (payload.length % 4 === 0) payload = enc({ iss: tip.lab.issuer('okta').url, sub: ALICE.sub, email: ALICE.email, aud: CLIENT_ID, iat: now, exp: now + 300, x: (pad += 'x') });
  const sign = async (input: string) => `${input}.${Buffer.from(await crypto.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, signing.key as CryptoKey, new TextEncoder().encode(input))).toString('base64url')}`;
  for (const [segment, input] of [
    ['header', `${flipUnusedBit(header)}.${payload}`],
    ['payload', `${header}.${flipUnusedBit(payload)}`],
  ] as const) {
    const { reason } = await refusal(tip, await sign(input));
    t.match(reason, new RegExp(`^assertion-well-formed: the assertion is not a JWT: the ${segment} is not canonical base64url`), segment);
  }
  t.ok((await tip.exchange({ assertion: await sign(`${header}.${payload}`) })).accessToken, 'the canonical spelling of the same token passes');
});

t.test('with a data dir, accepted assertions are still refused after a restart; expired ones are forgotten', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tti-replay-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const first = await startTipLab({ clock, inMemory: false, dataDir: dir });
  const withJti = await first.mint({ claims: { jti: 'restart-1' } });
  const withoutJti = await first.mint({ claims: { jti: null } });
  const shortLived = await first.mint({ claims: { jti: 'short-lived' }, exp: '+2m' });
  for (const assertion of [withJti, withoutJti, shortLived]) t.ok((await first.exchange({ assertion })).accessToken, 'first exchange');
  const port = Number(new URL(first.lab.url).port);
  await first.lab.close();
  t.equal((await readFile(join(dir, 'replay-cache.log'), 'utf8')).trim().split('\n').length, 3, 'three lines in the replay file');

  // The same data dir and port (the issuer URL is part of the trusted token issuer's config).
  const again = await startLab({ clock, dataDir: dir, port, config: { ...okta('RS256'), aws: { roles: [] } } });
  t.teardown(() => again.close());
  const { oidc } = clients(again.url, clock);
  const exchange = (assertion: string) => oidc.send(new CreateTokenWithIAMCommand({ clientId: first.applicationArn, grantType: JWT_BEARER, assertion }));
  for (const [what, assertion] of [['iss + jti', withJti], ['no jti', withoutJti]] as const) {
    const err = await exchange(assertion).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.match(labReason(err), /^assertion-not-replayed: this assertion was already exchanged/, `${what}: refused as a replay after the restart`);
  }
  t.ok((await exchange((await again.mint('okta', { user: ALICE.sub, claims: { aud: CLIENT_ID, jti: 'after-restart' } })).token)).accessToken, 'a new assertion passes');
  await again.close();

  // Past its exp (+ skew), an entry is dropped when the file is read, and the file is compacted.
  clock.advance(5 * 60 * 1000);
  const third = await startLab({ clock, dataDir: dir, port, config: { ...okta('RS256'), aws: { roles: [] } } });
  t.teardown(() => third.close());
  t.equal(third.services.ssoOidc.tokens.replay.size, 3, 'the two long-lived assertions and the one after the restart; the short-lived one is gone');
  t.equal((await readFile(join(dir, 'replay-cache.log'), 'utf8')).trim().split('\n').length, 3, 'the file holds the live entries only');
  await third.close();
  clock.advance(-5 * 60 * 1000);
});

t.test('the replay file stays bounded, skips torn lines, and keeps the newest entries', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tti-replay-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'replay-cache.log');
  const now = 1_000_000;
  const digest = (i: number) => createHash('sha256').update(String(i)).digest('base64url').slice(0, 22);
  const cache = new ReplayCache(100);
  await cache.persistTo(file, now);
  const line = `${digest(0)} ${now + 60_000}\n`;
  let longest = 0;
  let accepted = 0;
  for (let i = 0; i < 5000; i++) {
    if (cache.remember(digest(i), now + 60_000, now)) accepted += 1;
    await cache.idle();
    longest = Math.max(longest, (await stat(file)).size / line.length);
  }
  t.equal(accepted, 5000, 'each new digest is accepted once');
  t.equal(cache.remember(digest(4999), now + 60_000, now), false, 'a second time: already there');
  await cache.close();
  t.ok(longest < 1024, `between acceptances the file never held more than ${longest} lines (compacted when it reaches 1024)`);
  await appendFile(file, `${digest(9999).slice(0, 10)}`);
  const reread = new ReplayCache(100);
  await reread.persistTo(file, now);
  t.equal(reread.size, 100, 'bounded like the map');
  t.ok(reread.seen(digest(4999), now) && reread.seen(digest(4900), now), 'the newest are kept');
  t.notOk(reread.seen(digest(0), now), 'the oldest are forgotten');
  t.notOk(reread.seen(digest(9999), now), 'a torn last line is skipped');
  await reread.close();
});
