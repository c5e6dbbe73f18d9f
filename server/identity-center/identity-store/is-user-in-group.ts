import type { GroupMembershipRecord, IdentityStoreRecord } from '../state/model.js';

/** The membership that puts `userId` in `groupId`, if any. Pure. */
export function membershipOf(store: IdentityStoreRecord, groupId: string, userId: string): GroupMembershipRecord | undefined {
  return Object.values(store.Memberships).find((m) => m.GroupId === groupId && m.MemberId.UserId === userId);
}

/** Whether the user is a (direct) member of the group; the Identity Store has no nested groups. Pure. */
export function isUserInGroup(store: IdentityStoreRecord, userId: string, groupId: string): boolean {
  return membershipOf(store, groupId, userId) !== undefined;
}

/** The ids of every group the user is a member of. Pure. */
export function groupIdsOfUser(store: IdentityStoreRecord, userId: string): string[] {
  return Object.values(store.Memberships)
    .filter((m) => m.MemberId.UserId === userId)
    .map((m) => m.GroupId);
}
