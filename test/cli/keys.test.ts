import t from 'tap';
import { fixedClock } from '../../shared/clock.js';
import { startLab } from '../../server/lab/start-lab.js';
import type { KeySummary } from '../../keys/key-store.js';
import { cli } from './helpers/cli-run.js';

const clock = fixedClock(Date.UTC(2026, 0, 1));
const lab = await startLab({ port: 0, inMemory: true, clock, config: { issuers: [{ name: 'okta', algorithm: 'ES256' }] } });
t.teardown(() => lab.close());
const keys = (...args: string[]) => cli('keys', '--endpoint', lab.url, '--issuer', 'okta', ...args);

async function keysJson(...args: string[]): Promise<KeySummary[]> {
  const { code, out, err } = await keys(...args, '--json');
  if (code !== 0) throw new Error(`keys failed (${code}): ${err}`);
  return (JSON.parse(out) as { keys: KeySummary[] }).keys;
}

const jwksKids = async () => ((await (await fetch(lab.issuer('okta').jwksUrl)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);

t.test('keys over the control API: list, rotate, retire', async (t) => {
  const listed = await keys('list');
  t.equal(listed.code, 0);
  const [first] = await lab.issuer('okta').keys();
  t.equal(listed.out, `active    ES256 ${first!.kid}  created 2026-01-01T00:00:00.000Z`);

  clock.advance(60_000);
  const rotated = await keysJson('rotate');
  t.same(rotated.map((k) => [k.status, k.alg, k.createdAt]), [['active', 'ES256', '2026-01-01T00:01:00.000Z'], ['published', 'ES256', '2026-01-01T00:00:00.000Z']]);
  t.equal(rotated[1]!.kid, first!.kid);
  t.same(await jwksKids(), [rotated[0]!.kid, first!.kid], 'the JWKS publishes both');

  const refused = await keys('retire', rotated[0]!.kid);
  t.equal(refused.code, 1);
  t.equal(refused.err, `tti-lab keys: the lab refused (409 key_active): key "${rotated[0]!.kid}" is issuer "okta"'s signer; rotate before retiring it`);

  const retired = await keysJson('retire', first!.kid);
  t.same(retired.map((k) => k.kid), [rotated[0]!.kid]);
  t.same(await jwksKids(), [rotated[0]!.kid]);

  const human = await keys('list');
  t.equal(human.out, `active    ES256 ${rotated[0]!.kid}  created 2026-01-01T00:01:00.000Z`);
});

t.test('keys: errors from the lab exit 1', async (t) => {
  const unknownKey = await keys('retire', 'nope');
  t.equal(unknownKey.code, 1);
  t.equal(unknownKey.err, 'tti-lab keys: the lab refused (404 unknown_key): issuer "okta" has no key "nope"');
  const unknownIssuer = await cli('keys', 'list', '--endpoint', lab.url, '--issuer', 'nope');
  t.equal(unknownIssuer.code, 1);
  t.equal(unknownIssuer.err, 'tti-lab keys: the lab refused (404 unknown_issuer): no issuer named "nope"; configured issuers: okta');
});
