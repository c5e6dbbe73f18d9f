import type { AwsCallContext, AwsJsonOperation } from '../../aws/aws-registry.js';
import { InputValidator } from '../../aws/input-validator.js';
import type { IdentityCenter } from '../identity-center.js';
import type { GroupMembershipRecord } from '../state/model.js';
import { ids } from '../state/ids.js';
import { commonMembers } from './common-members.js';
import { identityStoreErrors, requireRecord, requireStore } from './identity-store-errors.js';
import { shapes } from './identity-store-shapes.js';
import { membershipOf } from './is-user-in-group.js';
import { paginate } from './paginate.js';

const MEMBERSHIP_OUTPUT_MEMBERS = ['IdentityStoreId', 'MembershipId', 'GroupId', 'MemberId', 'CreatedAt', 'UpdatedAt', 'CreatedBy', 'UpdatedBy'] as const;

/** A membership as DescribeGroupMembership and the List operations return it. */
export function membershipOutput(m: GroupMembershipRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of MEMBERSHIP_OUTPUT_MEMBERS) if (m[member] !== undefined) out[member] = m[member];
  return out;
}

/**
 * CreateGroupMembership, DescribeGroupMembership, DeleteGroupMembership, ListGroupMemberships,
 * ListGroupMembershipsForMember, GetGroupMembershipId, IsMemberInGroups. Members are users (the
 * MemberId union has only UserId); the group and the user must exist in the same store.
 */
export function groupMembershipOperations(ic: IdentityCenter): Record<string, AwsJsonOperation> {
  return {
    CreateGroupMembership(input, ctx: AwsCallContext) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const groupId = commonMembers.resourceId(v, 'GroupId');
      const userId = commonMembers.memberId(v);
      v.done();
      return ic.state.mutate((draft) => {
        const store = requireStore(draft, storeId);
        requireRecord(store.Groups, 'GROUP', groupId);
        requireRecord(store.Users, 'USER', userId);
        const existing = membershipOf(store, groupId, userId);
        if (existing) throw identityStoreErrors.uniqueness('Member and Group relationship already exists.', `membership ${existing.MembershipId}`);
        const now = Math.floor(ic.clock.now() / 1000);
        const membership: GroupMembershipRecord = {
          MembershipId: ids.membershipId(storeId),
          IdentityStoreId: storeId,
          GroupId: groupId,
          MemberId: { UserId: userId },
          CreatedAt: now,
          CreatedBy: ctx.principal.arn,
          UpdatedAt: now,
          UpdatedBy: ctx.principal.arn,
        };
        store.Memberships[membership.MembershipId] = membership;
        return { MembershipId: membership.MembershipId, IdentityStoreId: storeId };
      });
    },

    DescribeGroupMembership(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const membershipId = commonMembers.resourceId(v, 'MembershipId');
      v.done();
      const store = requireStore(ic.state.read, storeId);
      return membershipOutput(requireRecord(store.Memberships, 'GROUP_MEMBERSHIP', membershipId));
    },

    DeleteGroupMembership(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const membershipId = commonMembers.resourceId(v, 'MembershipId');
      v.done();
      return ic.state.mutate((draft) => {
        const store = requireStore(draft, storeId);
        requireRecord(store.Memberships, 'GROUP_MEMBERSHIP', membershipId);
        delete store.Memberships[membershipId];
        return {};
      });
    },

    ListGroupMemberships(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const groupId = commonMembers.resourceId(v, 'GroupId');
      const { maxResults, nextToken } = commonMembers.paging(v);
      v.done();
      const store = requireStore(ic.state.read, storeId);
      requireRecord(store.Groups, 'GROUP', groupId);
      const all = Object.values(store.Memberships).filter((m) => m.GroupId === groupId);
      const { page, nextToken: next } = paginate(all, (m) => m.MembershipId, `ListGroupMemberships\n${storeId}\n${groupId}`, maxResults, nextToken);
      return { GroupMemberships: page.map(membershipOutput), ...(next ? { NextToken: next } : {}) };
    },

    ListGroupMembershipsForMember(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const userId = commonMembers.memberId(v);
      const { maxResults, nextToken } = commonMembers.paging(v);
      v.done();
      const store = requireStore(ic.state.read, storeId);
      requireRecord(store.Users, 'USER', userId);
      const all = Object.values(store.Memberships).filter((m) => m.MemberId.UserId === userId);
      const { page, nextToken: next } = paginate(all, (m) => m.MembershipId, `ListGroupMembershipsForMember\n${storeId}\n${userId}`, maxResults, nextToken);
      return { GroupMemberships: page.map(membershipOutput), ...(next ? { NextToken: next } : {}) };
    },

    GetGroupMembershipId(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const groupId = commonMembers.resourceId(v, 'GroupId');
      const userId = commonMembers.memberId(v);
      v.done();
      const store = requireStore(ic.state.read, storeId);
      requireRecord(store.Groups, 'GROUP', groupId);
      requireRecord(store.Users, 'USER', userId);
      const membership = membershipOf(store, groupId, userId);
      if (!membership) throw identityStoreErrors.notFound('GROUP_MEMBERSHIP');
      return { MembershipId: membership.MembershipId, IdentityStoreId: storeId };
    },

    IsMemberInGroups(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const userId = commonMembers.memberId(v);
      const groupIds = (v.list('GroupIds', { required: true, ...shapes.GroupIds }) ?? []).map((g, i) => commonMembers.resourceId(v, `GroupIds.${i + 1}.member`, g));
      v.done();
      const store = requireStore(ic.state.read, storeId);
      requireRecord(store.Users, 'USER', userId);
      for (const groupId of groupIds) requireRecord(store.Groups, 'GROUP', groupId);
      return {
        Results: groupIds.map((groupId) => ({ GroupId: groupId, MemberId: { UserId: userId }, MembershipExists: membershipOf(store, groupId, userId) !== undefined })),
      };
    },
  };
}
