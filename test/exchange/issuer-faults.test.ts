import t from 'tap';
import { fixedClock } from '../../server/index.js';
import { mergeProfile } from '../../server/identity-center/profile/behaviour-profile.js';
import { labReason, startTipLab } from './helpers/tip-lab.js';

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const tip = await startTipLab({ clock });
t.teardown(() => tip.lab.close());
// A short fetch timeout, so the "never answers" fault costs little test time.
tip.lab.services.ssoOidc.profile = mergeProfile({ settings: { fetch_timeout_ms: { value: 300 }, jwks_refetch_min_interval_seconds: { value: 0 } } }, 'test');
const okta = tip.lab.issuer('okta');

const attempt = async () => tip.exchange({ assertion: await tip.mint() }).then(() => 'ok', (e: unknown) => `${(e as Error).name} ${labReason(e).split(':')[0]}`);

t.test('issuer faults give a defined error, never a hang, and the exchange recovers', async (t) => {
  tip.lab.services.ssoOidc.issuerKeys.clear();
  for (const fault of [
    { discovery: { kind: 'status', status: 500 } },
    { discovery: { kind: 'status', status: 404 } },
    { discovery: { kind: 'invalid_json' } },
    { discovery: { kind: 'hang' } },
  ] as const) {
    okta.resetFaults();
    okta.setFaults(fault);
    t.equal(await attempt(), 'InvalidGrantException issuer-keys-fetched', JSON.stringify(fault));
  }
  for (const fault of [{ jwks: { kind: 'status', status: 500 } }, { jwks: { kind: 'invalid_json' } }, { jwks: { kind: 'hang' } }] as const) {
    okta.resetFaults();
    okta.setFaults(fault);
    t.equal(await attempt(), 'InvalidGrantException issuer-keys-fetched', JSON.stringify(fault));
  }
  okta.resetFaults();
  t.equal(await attempt(), 'ok', 'recovers when the issuer is healthy again');
});

t.test('keys are cached, refetched on an unknown kid, and rotation is picked up', async (t) => {
  t.equal(await attempt(), 'ok');
  const before = tip.lab.requests({ issuer: 'okta' }).filter((r) => r.path.endsWith('/jwks')).length;
  t.equal(await attempt(), 'ok');
  t.equal(tip.lab.requests({ issuer: 'okta' }).filter((r) => r.path.endsWith('/jwks')).length, before, 'a second exchange uses the cache');
  await okta.rotateKey();
  t.equal(await attempt(), 'ok', 'a token signed by the new key: unknown kid → refetch → verified');
  t.equal(tip.lab.requests({ issuer: 'okta' }).filter((r) => r.path.endsWith('/jwks')).length, before + 1, 'exactly one refetch');
  clock.advance(3600 * 1000);
  t.equal(await attempt(), 'ok');
  t.equal(tip.lab.requests({ issuer: 'okta' }).filter((r) => r.path.endsWith('/jwks')).length, before + 2, 'refetched after the cache TTL');
});

t.test('a dropped kid fails the exchange at the key lookup', async (t) => {
  const [active] = await okta.keys();
  okta.setFaults({ dropped_kids: [active!.kid] });
  tip.lab.services.ssoOidc.issuerKeys.clear();
  t.equal(await attempt(), 'InvalidGrantException issuer-keys-fetched');
  okta.resetFaults();
});
