import type { GroupRecord, IdentityStoreRecord, UserRecord } from '../state/model.js';
import { identityStoreErrors } from './identity-store-errors.js';
import { readOnlyView } from '../../state/change-tracker.js';

/**
 * The uniqueness claims of an identity store. A change that would break one fails with
 * ConflictException, Reason UNIQUENESS_CONSTRAINT_VIOLATION (model). What is unique:
 * - UserName, per store, ignoring case (the model calls it "a unique string used to identify the user");
 * - a group's DisplayName, per store, ignoring case (GetGroupId takes it as a unique attribute);
 * - an external id (Issuer + Id), per store among users, and among groups (assumed);
 * - a (group, user) membership (CreateGroupMembership).
 * Emails are not unique (assumed); GetUserId by an email several users share is refused.
 * Messages are assumed.
 */

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const externalIdClash = (a: { Issuer: string; Id: string }[] = [], b: { Issuer: string; Id: string }[] = []) =>
  a.find((x) => b.some((y) => x.Issuer === y.Issuer && x.Id === y.Id));

export const uniqueness = {
  user(store: IdentityStoreRecord, user: Pick<UserRecord, 'UserId' | 'UserName' | 'ExternalIds'>): void {
    // Read without the draft's proxies: this scan visits every user of the store.
    for (const other of Object.values(readOnlyView(store).Users)) {
      if (other.UserId === user.UserId) continue;
      if (same(other.UserName, user.UserName)) {
        throw identityStoreErrors.uniqueness('Duplicate UserName', `user ${other.UserId} already has UserName "${other.UserName}" (compared ignoring case)`);
      }
      const clash = externalIdClash(user.ExternalIds, other.ExternalIds);
      if (clash) throw identityStoreErrors.uniqueness('Duplicate ExternalId', `user ${other.UserId} already has external id ${clash.Issuer} / ${clash.Id}`);
    }
  },

  group(store: IdentityStoreRecord, group: Pick<GroupRecord, 'GroupId' | 'DisplayName' | 'ExternalIds'>): void {
    for (const other of Object.values(readOnlyView(store).Groups)) {
      if (other.GroupId === group.GroupId) continue;
      if (same(other.DisplayName, group.DisplayName)) {
        throw identityStoreErrors.uniqueness('Duplicate GroupDisplayName', `group ${other.GroupId} already has DisplayName "${other.DisplayName}" (compared ignoring case)`);
      }
      const clash = externalIdClash(group.ExternalIds, other.ExternalIds);
      if (clash) throw identityStoreErrors.uniqueness('Duplicate ExternalId', `group ${other.GroupId} already has external id ${clash.Issuer} / ${clash.Id}`);
    }
  },
};
