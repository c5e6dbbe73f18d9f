import t from 'tap';
import {
  attributeValues, findUsersByAttribute, isSupportedUserAttributePath, userAttributeValues,
} from '../../server/identity-center/identity-store/find-users-by-attribute.js';
import type { IdentityStoreRecord, UserRecord } from '../../server/identity-center/state/model.js';

const user = (id: string, extra: Partial<UserRecord>): UserRecord => ({ UserId: id, IdentityStoreId: 'd-1234567890', UserName: id, ...extra });

const alice = user('alice', {
  UserName: 'Alice@Example.com',
  DisplayName: 'Alice Example',
  Name: { GivenName: 'Alice', FamilyName: 'Example' },
  Emails: [{ Value: 'alice@example.com', Type: 'work', Primary: true }],
  PhoneNumbers: [{ Value: '+1 555 0100', Type: 'mobile' }],
  Addresses: [{ Locality: 'Springfield', Country: 'US' }],
  ExternalIds: [
    { Issuer: 'https://idp.example.com', Id: '00u1alice' },
    { Issuer: 'SCIM', Id: 'scim-alice' },
  ],
});
const bob = user('bob', { UserName: 'bob', Emails: [{ Value: 'shared@example.com' }], ExternalIds: [{ Issuer: 'https://auth0.example.com/', Id: 'auth0|bob' }] });
const carol = user('carol', { UserName: 'carol', Emails: [{ Value: 'shared@example.com' }] });
const store: IdentityStoreRecord = { IdentityStoreId: 'd-1234567890', Users: { alice, bob, carol }, Groups: {}, Memberships: {} };

const names = (users: UserRecord[]) => users.map((u) => u.UserId);

t.test('the paths trusted token issuers map to', async (t) => {
  t.same(names(findUsersByAttribute(store, 'userName', 'Alice@Example.com')), ['alice']);
  t.same(names(findUsersByAttribute(store, 'emails.value', 'alice@example.com')), ['alice']);
  t.same(names(findUsersByAttribute(store, 'externalIds.id', '00u1alice')), ['alice']);
  t.same(names(findUsersByAttribute(store, 'displayName', 'Alice Example')), ['alice']);
  t.same(names(findUsersByAttribute(store, 'name.givenName', 'Alice')), ['alice']);
  t.same(names(findUsersByAttribute(store, 'name.familyName', 'Example')), ['alice']);
  t.same(names(findUsersByAttribute(store, 'phoneNumbers.value', '+1 555 0100')), ['alice']);
  t.same(names(findUsersByAttribute(store, 'addresses.locality', 'Springfield')), ['alice']);
  t.same(names(findUsersByAttribute(store, 'externalIds.issuer', 'SCIM')), ['alice']);
});

t.test('values match exactly by default; caseSensitive: false ignores case', async (t) => {
  t.same(findUsersByAttribute(store, 'userName', 'alice@example.com'), [], 'case-sensitive by default');
  t.same(names(findUsersByAttribute(store, 'userName', 'alice@example.com', { caseSensitive: false })), ['alice']);
  t.same(findUsersByAttribute(store, 'emails.value', 'alice@example.com '), [], 'no trimming');
});

t.test('attribute path names are case-insensitive (SCIM)', async (t) => {
  t.same(names(findUsersByAttribute(store, 'UserName', 'bob')), ['bob']);
  t.same(names(findUsersByAttribute(store, 'Emails.Value', 'alice@example.com')), ['alice']);
});

t.test('externalIds.<Issuer>: any issuer by default, or only that issuer', async (t) => {
  t.same(names(findUsersByAttribute(store, 'externalIds.SCIM', 'auth0|bob')), ['bob'], 'the sample configuration: sub → externalIds.SCIM, issuer the IdP');
  t.same(findUsersByAttribute(store, 'externalIds.SCIM', 'auth0|bob', { externalIdIssuer: 'exact' }), []);
  t.same(names(findUsersByAttribute(store, 'externalIds.SCIM', 'scim-alice', { externalIdIssuer: 'exact' })), ['alice']);
});

t.test('several users can share a non-unique attribute: the caller decides (the exchange wants exactly one)', async (t) => {
  t.same(names(findUsersByAttribute(store, 'emails.value', 'shared@example.com')), ['bob', 'carol']);
});

t.test('unknown paths match nobody and are reported as unsupported', async (t) => {
  for (const path of ['email', 'emails', 'name', 'name.nickname', 'emails.primary', 'a.b.c.d', 'externalIds', '']) {
    t.same(findUsersByAttribute(store, path, 'alice@example.com'), [], path);
    t.equal(isSupportedUserAttributePath(path), false, path);
  }
  for (const path of ['userName', 'emails.value', 'externalIds.id', 'externalIds.SCIM', 'name.givenName', 'title']) t.equal(isSupportedUserAttributePath(path), true, path);
  t.equal(userAttributeValues(alice, 'email'), undefined);
  t.same(attributeValues(alice, 'email'), [], 'attributeValues: [] for an unknown path');
  t.same(attributeValues(alice, 'externalIds.id'), ['00u1alice', 'scim-alice']);
});

t.test('pure: the store is not changed', async (t) => {
  const before = JSON.stringify(store);
  findUsersByAttribute(store, 'userName', 'bob', { caseSensitive: false });
  t.equal(JSON.stringify(store), before);
});
