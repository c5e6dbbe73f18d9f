import t from 'tap';
import { CredentialStore } from '../../server/identity-center/sso-oidc/tokens/credential-store.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const app = { kind: 'application', id: 'arn:aws:sso::000000000000:application/ssoins-1111111111111111/apl-1111111111111111' } as const;
const user = { identityStoreId: 'd-1111111111', userId: 'u-1', scopes: ['openid'], authTime: NOW / 1000 };
const token = (store: CredentialStore, kind: 'access_token' | 'refresh_token', grantId?: number) =>
  store.issueToken(kind, { client: app, instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111', issuedAt: NOW, expiresAt: NOW + 60_000, ...user, ...(grantId ? { grantId } : {}) });

t.test('one record shape for every kind: kind, value, client, grant, times', async (t) => {
  const store = new CredentialStore(10);
  const access = token(store, 'access_token');
  t.match(access, { kind: 'access_token', value: /^aoa/, client: app, grantId: 1, issuedAt: NOW, expiresAt: NOW + 60_000 });
  t.equal(store.find('access_token', access.value), access);
  t.equal(token(store, 'refresh_token').client, access.client, 'one ClientRef per client, shared');
  t.not(token(store, 'refresh_token').grantId, access.grantId, 'a new grant unless one is given');
  t.notOk(store.find('refresh_token', access.value), 'found only as its own kind');
  t.equal(store.kindOf(access.value), 'access_token');
  const device = store.issueDeviceCode({ client: { kind: 'public', id: 'c-1' }, instanceArn: 'i', issuedAt: NOW, expiresAt: NOW + 1000, startUrl: 's', interval: 1, status: 'pending' });
  t.match(device.userCode, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  t.equal(store.byUserCode(device.userCode.toLowerCase().replace('-', ' ')), device, 'a user code however it is typed');
});

t.test('consume, expiry and revoke-by-grant are decided in one place', async (t) => {
  const store = new CredentialStore(10);
  const [GRANT_A, GRANT_B] = [store.newGrant(), store.newGrant()];
  const refresh = token(store, 'refresh_token');
  t.notOk(CredentialStore.spent(refresh));
  CredentialStore.consume(refresh, NOW + 1);
  CredentialStore.consume(refresh, NOW + 2);
  t.equal(refresh.consumedAt, NOW + 1, 'consumed once: the first use is kept');
  t.ok(CredentialStore.spent(refresh));
  t.notOk(CredentialStore.expired(refresh, NOW + 59_999));
  t.ok(CredentialStore.expired(refresh, NOW + 60_000), 'expired at expiresAt');

  const inGrant = token(store, 'access_token', GRANT_A);
  const refreshInGrant = token(store, 'refresh_token', GRANT_A);
  const other = token(store, 'access_token', GRANT_B);
  store.revokeGrant(GRANT_A, NOW + 5);
  t.notOk(store.find('access_token', inGrant.value), 'the grant\'s access token is forgotten');
  t.equal(refreshInGrant.revokedAt, NOW + 5, 'its refresh token is marked revoked, so a use is told why');
  t.ok(CredentialStore.spent(refreshInGrant));
  t.equal(store.find('access_token', other.value), other, 'another grant is untouched');
});

t.test('each table is bounded', async (t) => {
  const store = new CredentialStore(3);
  const first = token(store, 'access_token');
  for (let i = 0; i < 3; i++) token(store, 'access_token');
  t.notOk(store.find('access_token', first.value), 'the oldest is forgotten past the capacity');
  t.equal(store.capacity('access_token'), 3);
  t.equal(store.capacity('authorization_code'), 10_000);
});
