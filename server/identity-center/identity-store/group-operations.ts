import type { InputCheck } from '../../aws/model/read-input.js';
import type { GroupRecord } from '../state/model.js';
import { ids } from '../state/ids.js';
import { alternateIdentifierCheck } from './alternate-identifier-check.js';
import { type AttributeOperation, attributeOperationsCheck } from './attribute-operations.js';
import { identityStoreErrors, requireRecord, requireStore } from './identity-store-errors.js';
import { membersOf, targetOf } from './identity-store-model.js';
import type { IdentityStoreHandlers } from './identity-store-operation.js';
import { paginate } from './identity-store-pagination.js';
import { assertNotReserved } from './reserved-names.js';
import { uniqueness } from './uniqueness.js';

const groupOutputMembers = () => membersOf('Group') as (keyof GroupRecord)[];

/** A group as DescribeGroup and ListGroups return it. */
export function groupOutput(group: GroupRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of groupOutputMembers()) if (group[member] !== undefined) out[member] = group[member];
  return out;
}

/** UpdateGroup's attribute paths (matched ignoring case): the group's own attributes, and externalIds (a lab extension). */
const GROUP_ATTRIBUTES = ['DisplayName', 'Description', 'ExternalIds'] as const;
type GroupAttribute = { member: (typeof GROUP_ATTRIBUTES)[number]; shape: string };

function groupAttributeFor(path: string): GroupAttribute | undefined {
  const member = GROUP_ATTRIBUTES.find((m) => m.toLowerCase() === path.toLowerCase());
  return member && { member, shape: targetOf('Group', member) };
}

/** CreateGroup: DisplayName is optional in the model, required by the service (assumed: a group is found by its display name). */
export const createGroupCheck: InputCheck = (input, check) => {
  if (input.DisplayName === undefined) check.fail('DisplayName', null, 'Member must not be null');
};

/** GetGroupId: "For the unique attribute, the only valid path is displayName" (model documentation). */
export const getGroupIdCheck = alternateIdentifierCheck('group', ['displayName']);

/** UpdateGroup's Operations; DisplayName cannot be removed. */
export const updateGroupCheck: InputCheck = attributeOperationsCheck({
  attributeFor: groupAttributeFor,
  unsupported: 'Member must be a group attribute path UpdateGroup supports: [displayName, description, externalIds]',
  required: (a) => a.member === 'DisplayName',
});

type AlternateIdentifier = { ExternalId?: { Issuer: string; Id: string }; UniqueAttribute?: { AttributeValue: string } };

/** CreateGroup, DescribeGroup, ListGroups, GetGroupId, UpdateGroup, DeleteGroup. */
export const groupHandlers: IdentityStoreHandlers = {
  CreateGroup({ input, ctx, ic, now }) {
    const storeId = input.IdentityStoreId as string;
    const displayName = input.DisplayName as string;
    assertNotReserved(displayName);
    return ic.state.mutate((draft) => {
      const store = requireStore(draft, storeId);
      const at = now();
      const group: GroupRecord = {
        GroupId: ids.principalId(storeId),
        IdentityStoreId: storeId,
        DisplayName: displayName,
        ...(input.Description !== undefined ? { Description: input.Description as string } : {}),
        CreatedAt: at,
        CreatedBy: ctx.principal.arn,
        UpdatedAt: at,
        UpdatedBy: ctx.principal.arn,
      };
      uniqueness.group(store, group);
      store.Groups[group.GroupId] = group;
      return { GroupId: group.GroupId, IdentityStoreId: storeId };
    });
  },

  DescribeGroup({ input, ic }) {
    const store = requireStore(ic.state.read, input.IdentityStoreId as string);
    return groupOutput(requireRecord(store.Groups, 'GROUP', input.GroupId as string));
  },

  ListGroups(call) {
    const { input, ic } = call;
    const filter = (input.Filters as { AttributePath: string; AttributeValue: string }[] | undefined)?.[0];
    if (filter && filter.AttributePath.toLowerCase() !== 'displayname') throw identityStoreErrors.invalid(`Filtering groups by ${filter.AttributePath} is not supported; ListGroups filters by DisplayName only.`);
    const store = requireStore(ic.state.read, input.IdentityStoreId as string);
    const value = filter?.AttributeValue.toLowerCase();
    const groups = Object.values(store.Groups).filter((g) => value === undefined || g.DisplayName.toLowerCase() === value);
    return paginate(call, groups.map(groupOutput));
  },

  GetGroupId({ input, ic }) {
    const storeId = input.IdentityStoreId as string;
    const alt = input.AlternateIdentifier as AlternateIdentifier;
    const store = requireStore(ic.state.read, storeId);
    const match = alt.ExternalId
      ? (g: GroupRecord) => (g.ExternalIds ?? []).some((e) => e.Issuer === alt.ExternalId!.Issuer && e.Id === alt.ExternalId!.Id)
      : (g: GroupRecord) => g.DisplayName.toLowerCase() === alt.UniqueAttribute!.AttributeValue.toLowerCase();
    const group = Object.values(store.Groups).find(match);
    if (!group) throw identityStoreErrors.notFound('GROUP');
    return { GroupId: group.GroupId, IdentityStoreId: storeId };
  },

  UpdateGroup({ input, ctx, ic, now }) {
    return ic.state.mutate((draft) => {
      const store = requireStore(draft, input.IdentityStoreId as string);
      const group = requireRecord(store.Groups, 'GROUP', input.GroupId as string);
      const before = group.DisplayName;
      for (const op of input.Operations as AttributeOperation[]) {
        const { member } = groupAttributeFor(op.AttributePath!)!;
        if (op.AttributeValue === undefined) delete group[member];
        else (group as unknown as Record<string, unknown>)[member] = op.AttributeValue;
      }
      if (group.DisplayName.toLowerCase() !== before.toLowerCase()) assertNotReserved(group.DisplayName);
      uniqueness.group(store, group);
      group.UpdatedAt = now();
      group.UpdatedBy = ctx.principal.arn;
      return {};
    });
  },

  DeleteGroup({ input, ic }) {
    const groupId = input.GroupId as string;
    return ic.state.mutate((draft) => {
      const store = requireStore(draft, input.IdentityStoreId as string);
      requireRecord(store.Groups, 'GROUP', groupId);
      delete store.Groups[groupId];
      // Its memberships go with it (assumed).
      for (const [id, m] of Object.entries(store.Memberships)) if (m.GroupId === groupId) delete store.Memberships[id];
      return {};
    });
  },
};

export const groupChecks: Record<string, InputCheck> = { CreateGroup: createGroupCheck, GetGroupId: getGroupIdCheck, UpdateGroup: updateGroupCheck };
