import type { GroupMembershipRecord } from '../state/model.js';
import { ids } from '../state/ids.js';
import { identityStoreErrors, requireRecord, requireStore } from './identity-store-errors.js';
import { membersOf } from './identity-store-model.js';
import type { IdentityStoreHandlers } from './identity-store-operation.js';
import { paginate } from './identity-store-pagination.js';
import { membershipOf } from './is-user-in-group.js';

const membershipOutputMembers = () => membersOf('GroupMembership') as (keyof GroupMembershipRecord)[];

/** A membership as DescribeGroupMembership and the List operations return it. */
export function membershipOutput(m: GroupMembershipRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of membershipOutputMembers()) if (m[member] !== undefined) out[member] = m[member];
  return out;
}

/** The user a MemberId names (the union has one member, UserId). */
const memberOf = (input: Record<string, unknown>) => (input.MemberId as { UserId: string }).UserId;

/**
 * CreateGroupMembership, DescribeGroupMembership, DeleteGroupMembership, ListGroupMemberships,
 * ListGroupMembershipsForMember, GetGroupMembershipId, IsMemberInGroups. Members are users (the
 * MemberId union has only UserId); the group and the user must exist in the same store.
 */
export const groupMembershipHandlers: IdentityStoreHandlers = {
  CreateGroupMembership({ input, ctx, ic, now }) {
    const storeId = input.IdentityStoreId as string;
    const groupId = input.GroupId as string;
    const userId = memberOf(input);
    return ic.state.mutate((draft) => {
      const store = requireStore(draft, storeId);
      requireRecord(store.Groups, 'GROUP', groupId);
      requireRecord(store.Users, 'USER', userId);
      const existing = membershipOf(store, groupId, userId);
      if (existing) throw identityStoreErrors.uniqueness('Member and Group relationship already exists.', `membership ${existing.MembershipId}`);
      const at = now();
      const membership: GroupMembershipRecord = {
        MembershipId: ids.membershipId(storeId),
        IdentityStoreId: storeId,
        GroupId: groupId,
        MemberId: { UserId: userId },
        CreatedAt: at,
        CreatedBy: ctx.principal.arn,
        UpdatedAt: at,
        UpdatedBy: ctx.principal.arn,
      };
      store.Memberships[membership.MembershipId] = membership;
      return { MembershipId: membership.MembershipId, IdentityStoreId: storeId };
    });
  },

  DescribeGroupMembership({ input, ic }) {
    const store = requireStore(ic.state.read, input.IdentityStoreId as string);
    return membershipOutput(requireRecord(store.Memberships, 'GROUP_MEMBERSHIP', input.MembershipId as string));
  },

  DeleteGroupMembership({ input, ic }) {
    const membershipId = input.MembershipId as string;
    return ic.state.mutate((draft) => {
      const store = requireStore(draft, input.IdentityStoreId as string);
      requireRecord(store.Memberships, 'GROUP_MEMBERSHIP', membershipId);
      delete store.Memberships[membershipId];
      return {};
    });
  },

  ListGroupMemberships(call) {
    const { input, ic } = call;
    const groupId = input.GroupId as string;
    const store = requireStore(ic.state.read, input.IdentityStoreId as string);
    requireRecord(store.Groups, 'GROUP', groupId);
    return paginate(call, Object.values(store.Memberships).filter((m) => m.GroupId === groupId).map(membershipOutput));
  },

  ListGroupMembershipsForMember(call) {
    const { input, ic } = call;
    const userId = memberOf(input);
    const store = requireStore(ic.state.read, input.IdentityStoreId as string);
    requireRecord(store.Users, 'USER', userId);
    return paginate(call, Object.values(store.Memberships).filter((m) => m.MemberId.UserId === userId).map(membershipOutput));
  },

  GetGroupMembershipId({ input, ic }) {
    const storeId = input.IdentityStoreId as string;
    const groupId = input.GroupId as string;
    const userId = memberOf(input);
    const store = requireStore(ic.state.read, storeId);
    requireRecord(store.Groups, 'GROUP', groupId);
    requireRecord(store.Users, 'USER', userId);
    const membership = membershipOf(store, groupId, userId);
    if (!membership) throw identityStoreErrors.notFound('GROUP_MEMBERSHIP');
    return { MembershipId: membership.MembershipId, IdentityStoreId: storeId };
  },

  IsMemberInGroups({ input, ic }) {
    const userId = memberOf(input);
    const groupIds = input.GroupIds as string[];
    const store = requireStore(ic.state.read, input.IdentityStoreId as string);
    requireRecord(store.Users, 'USER', userId);
    for (const groupId of groupIds) requireRecord(store.Groups, 'GROUP', groupId);
    return {
      Results: groupIds.map((groupId) => ({ GroupId: groupId, MemberId: { UserId: userId }, MembershipExists: membershipOf(store, groupId, userId) !== undefined })),
    };
  },
};
