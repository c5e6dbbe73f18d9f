import t from 'tap';
import { fixedClock } from '../../shared/clock.js';
import { DEFAULT_MAX_ENTRIES, MemoryAdapterStore } from '../../server/issuer/provider/memory-adapter.js';

const START = Date.UTC(2026, 0, 1);

t.test('upsert and find, per model, as copies', async (t) => {
  const store = new MemoryAdapterStore();
  const tokens = store.adapter('AccessToken');
  const codes = store.adapter('AuthorizationCode');
  await tokens.upsert('a1', { accountId: 'alice', grantId: 'g1' }, 60);
  t.same(await tokens.find('a1'), { accountId: 'alice', grantId: 'g1' });
  t.equal(await codes.find('a1'), undefined, 'ids are per model');
  t.equal(await tokens.find('nope'), undefined);

  const found = (await tokens.find('a1'))!;
  found.accountId = 'mallory';
  t.equal((await tokens.find('a1'))!.accountId, 'alice', 'a caller changing what it found changes nothing stored');

  await tokens.upsert('a1', { accountId: 'bob' }, 60);
  t.same(await tokens.find('a1'), { accountId: 'bob' }, 'upsert replaces');
  t.equal(store.size, 1);
});

t.test('expiresIn is honoured; no expiresIn never expires', async (t) => {
  const clock = fixedClock(START);
  const store = new MemoryAdapterStore({ clock });
  const a = store.adapter('AccessToken');
  await a.upsert('short', { accountId: 'alice' }, 30);
  await a.upsert('forever', { accountId: 'alice' });
  clock.advance(29_999);
  t.ok(await a.find('short'), 'alive just before');
  clock.advance(1);
  t.equal(await a.find('short'), undefined, 'gone at expiresIn');
  t.equal(store.size, 1, 'and removed');
  clock.advance(365 * 86_400_000);
  t.ok(await a.find('forever'));
});

t.test('consume stamps consumed, in epoch seconds', async (t) => {
  const clock = fixedClock(START + 1500);
  const store = new MemoryAdapterStore({ clock });
  const codes = store.adapter('AuthorizationCode');
  await codes.upsert('c1', { accountId: 'alice' }, 60);
  await codes.consume('c1');
  t.equal((await codes.find('c1'))!.consumed, START / 1000 + 1);
  await codes.consume('missing');
  t.pass('consuming a missing id is not an error');
});

t.test('destroy', async (t) => {
  const store = new MemoryAdapterStore();
  const a = store.adapter('AccessToken');
  await a.upsert('a1', { accountId: 'alice' }, 60);
  await a.destroy('a1');
  t.equal(await a.find('a1'), undefined);
  await a.destroy('a1');
  t.equal(store.size, 0);
});

t.test('findByUid finds sessions; the index follows updates, destroy and expiry', async (t) => {
  const clock = fixedClock(START);
  const store = new MemoryAdapterStore({ clock });
  const sessions = store.adapter('Session');
  await sessions.upsert('s1', { uid: 'u1', accountId: 'alice' }, 60);
  t.same(await sessions.findByUid('u1'), { uid: 'u1', accountId: 'alice' });
  t.equal(await store.adapter('Interaction').findByUid('u1'), undefined, 'only for the model that wrote it');

  await sessions.upsert('s1', { uid: 'u2', accountId: 'alice' }, 60);
  t.equal(await sessions.findByUid('u1'), undefined, 'a new uid replaces the old');
  t.equal((await sessions.findByUid('u2'))!.accountId, 'alice');

  await sessions.destroy('s1');
  t.equal(await sessions.findByUid('u2'), undefined);

  await sessions.upsert('s2', { uid: 'u3' }, 10);
  clock.advance(10_000);
  t.equal(await sessions.findByUid('u3'), undefined, 'expired');
});

t.test('findByUserCode finds device codes', async (t) => {
  const store = new MemoryAdapterStore();
  const device = store.adapter('DeviceCode');
  await device.upsert('d1', { userCode: 'ABCD-EFGH', grantId: 'g1' }, 600);
  t.equal((await device.findByUserCode('ABCD-EFGH'))!.grantId, 'g1');
  t.equal(await device.findByUserCode('WXYZ-0000'), undefined);
  await device.destroy('d1');
  t.equal(await device.findByUserCode('ABCD-EFGH'), undefined);
});

t.test('revokeByGrantId removes every token of the grant, whatever its model, and nothing else', async (t) => {
  const store = new MemoryAdapterStore();
  const at = store.adapter('AccessToken');
  const rt = store.adapter('RefreshToken');
  const code = store.adapter('AuthorizationCode');
  const grants = store.adapter('Grant');
  await grants.upsert('g1', { accountId: 'alice' }, 600);
  await at.upsert('a1', { grantId: 'g1' }, 60);
  await rt.upsert('r1', { grantId: 'g1' }, 600);
  await code.upsert('c1', { grantId: 'g1' }, 60);
  await at.upsert('a2', { grantId: 'g2' }, 60);
  await rt.revokeByGrantId('g1');
  t.equal(await at.find('a1'), undefined);
  t.equal(await rt.find('r1'), undefined);
  t.equal(await code.find('c1'), undefined);
  t.ok(await at.find('a2'), 'another grant\'s token stays');
  t.ok(await grants.find('g1'), 'the Grant itself is oidc-provider\'s to destroy');
  await at.revokeByGrantId('unknown');
  t.equal(store.size, 2);
});

t.test('bounded: past maxEntries the least recently written entry goes, with its indexes', async (t) => {
  t.equal(new MemoryAdapterStore().maxEntries, DEFAULT_MAX_ENTRIES);
  t.equal(DEFAULT_MAX_ENTRIES, 10_000);
  const store = new MemoryAdapterStore({ maxEntries: 3 });
  const sessions = store.adapter('Session');
  const at = store.adapter('AccessToken');
  await sessions.upsert('s1', { uid: 'u1' }, 60);
  await at.upsert('a1', { grantId: 'g1' }, 60);
  await at.upsert('a2', { grantId: 'g1' }, 60);
  await sessions.upsert('s1', { uid: 'u1', touched: true }, 60); // rewritten: now the newest
  await at.upsert('a3', {}, 60);
  t.equal(store.size, 3);
  t.equal(await at.find('a1'), undefined, 'the oldest went');
  t.ok(await sessions.findByUid('u1'), 'the rewritten session stayed');
  await at.upsert('a4', {}, 60);
  await at.upsert('a5', {}, 60);
  t.equal(await sessions.findByUid('u1'), undefined, 'evicted, and its uid index with it');
  t.equal(store.size, 3);
  for (let i = 0; i < 50; i++) await at.upsert(`x${i}`, { grantId: 'g9' }, 60);
  t.equal(store.size, 3, 'never more than maxEntries');
  await at.revokeByGrantId('g9');
  t.equal(store.size, 0, 'the grant index held only the live members');
  t.throws(() => new MemoryAdapterStore({ maxEntries: 0 }), RangeError);
});

t.test('two stores share nothing', async (t) => {
  const one = new MemoryAdapterStore();
  const two = new MemoryAdapterStore();
  await one.adapter('Session').upsert('s1', { uid: 'u1' }, 60);
  t.equal(await two.adapter('Session').find('s1'), undefined);
  t.equal(await two.adapter('Session').findByUid('u1'), undefined);
});
