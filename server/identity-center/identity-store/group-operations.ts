import type { AwsCallContext, AwsJsonOperation } from '../../aws/aws-registry.js';
import { InputValidator } from '../../aws/input-validator.js';
import type { IdentityCenter } from '../identity-center.js';
import type { GroupRecord } from '../state/model.js';
import { ids } from '../state/ids.js';
import { AttributeReader } from './attribute-reader.js';
import { commonMembers } from './common-members.js';
import { identityStoreErrors, requireRecord, requireStore } from './identity-store-errors.js';
import { RESERVED_NAMES, shapes } from './identity-store-shapes.js';
import { paginate } from './paginate.js';
import { uniqueness } from './uniqueness.js';
import { readExternalIds } from './user-attributes.js';

const GROUP_OUTPUT_MEMBERS = ['GroupId', 'IdentityStoreId', 'DisplayName', 'ExternalIds', 'Description', 'CreatedAt', 'UpdatedAt', 'CreatedBy', 'UpdatedBy'] as const;

/** A group as DescribeGroup and ListGroups return it. */
export function groupOutput(group: GroupRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of GROUP_OUTPUT_MEMBERS) if (group[member] !== undefined) out[member] = group[member];
  return out;
}

const epochSeconds = (ic: IdentityCenter) => Math.floor(ic.clock.now() / 1000);

function assertNotReserved(name: string): void {
  if (RESERVED_NAMES.includes(name.toLowerCase())) {
    throw identityStoreErrors.invalid(`${name} is a reserved name and can't be used for users or groups.`);
  }
}

/** UpdateGroup's attribute paths (matched case-insensitively): the group's own attributes, and externalIds (a lab extension). */
const GROUP_ATTRIBUTES: { member: 'DisplayName' | 'Description' | 'ExternalIds'; path: string; read(r: AttributeReader, path: string, value: unknown): unknown }[] = [
  { member: 'DisplayName', path: 'displayName', read: (r, p, v) => r.string(p, v, shapes.GroupDisplayName) },
  { member: 'Description', path: 'description', read: (r, p, v) => r.string(p, v, shapes.SensitiveString) },
  { member: 'ExternalIds', path: 'externalIds', read: readExternalIds },
];

/** CreateGroup, DescribeGroup, ListGroups, GetGroupId, UpdateGroup, DeleteGroup. */
export function groupOperations(ic: IdentityCenter): Record<string, AwsJsonOperation> {
  return {
    CreateGroup(input, ctx: AwsCallContext) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      // Optional in the model, required by the service (assumed: a group is found by its display name).
      const displayName = v.string('DisplayName', { required: true, ...shapes.GroupDisplayName });
      const description = v.string('Description', shapes.SensitiveString);
      v.done();
      assertNotReserved(displayName!);
      return ic.state.mutate((draft) => {
        const store = requireStore(draft, storeId);
        const now = epochSeconds(ic);
        const group: GroupRecord = {
          GroupId: ids.principalId(storeId),
          IdentityStoreId: storeId,
          DisplayName: displayName!,
          ...(description !== undefined ? { Description: description } : {}),
          CreatedAt: now,
          CreatedBy: ctx.principal.arn,
          UpdatedAt: now,
          UpdatedBy: ctx.principal.arn,
        };
        uniqueness.group(store, group);
        store.Groups[group.GroupId] = group;
        return { GroupId: group.GroupId, IdentityStoreId: storeId };
      });
    },

    DescribeGroup(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const groupId = commonMembers.resourceId(v, 'GroupId');
      v.done();
      const store = requireStore(ic.state.read, storeId);
      return groupOutput(requireRecord(store.Groups, 'GROUP', groupId));
    },

    ListGroups(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const { maxResults, nextToken } = commonMembers.paging(v);
      const filters = v.list('Filters', shapes.Filters) ?? [];
      const filter = filters.length > 0 ? v.structure('Filters.1.member', { required: true }, filters[0]) : undefined;
      const path = filter ? v.string('Filters.1.member.AttributePath', { required: true, ...shapes.AttributePath }, filter.AttributePath) : undefined;
      const value = filter ? v.string('Filters.1.member.AttributeValue', { required: true, ...shapes.SensitiveString }, filter.AttributeValue) : undefined;
      v.done();
      if (path !== undefined && path.toLowerCase() !== 'displayname') throw identityStoreErrors.invalid(`Filtering groups by ${path} is not supported; ListGroups filters by DisplayName only.`);
      const store = requireStore(ic.state.read, storeId);
      const groups = Object.values(store.Groups).filter((g) => value === undefined || g.DisplayName.toLowerCase() === value.toLowerCase());
      const { page, nextToken: next } = paginate(groups, (g) => g.GroupId, `ListGroups\n${storeId}\n${value ?? ''}`, maxResults, nextToken);
      return { Groups: page.map(groupOutput), ...(next ? { NextToken: next } : {}) };
    },

    GetGroupId(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const alt = v.structure('AlternateIdentifier', { required: true });
      let match: ((g: GroupRecord) => boolean) | undefined;
      if (alt) {
        const set = ['ExternalId', 'UniqueAttribute'].filter((k) => alt[k] !== undefined && alt[k] !== null);
        if (set.length !== 1) v.fail('AlternateIdentifier', alt, 'Member must have exactly one of [ExternalId, UniqueAttribute] set', true);
        else if (set[0] === 'ExternalId') {
          const ext = v.structure('AlternateIdentifier.ExternalId', { required: true }, alt.ExternalId);
          const issuer = v.string('AlternateIdentifier.ExternalId.Issuer', { required: true, ...shapes.ExternalIdIssuer }, ext?.Issuer);
          const id = v.string('AlternateIdentifier.ExternalId.Id', { required: true, ...shapes.ExternalIdIdentifier }, ext?.Id);
          match = (g) => (g.ExternalIds ?? []).some((e) => e.Issuer === issuer && e.Id === id);
        } else {
          const ua = v.structure('AlternateIdentifier.UniqueAttribute', { required: true }, alt.UniqueAttribute);
          const path = v.string('AlternateIdentifier.UniqueAttribute.AttributePath', { required: true, ...shapes.AttributePath }, ua?.AttributePath);
          const raw = ua?.AttributeValue;
          if (raw === undefined || raw === null) v.fail('AlternateIdentifier.UniqueAttribute.AttributeValue', null, 'Member must not be null');
          else if (typeof raw !== 'string') v.fail('AlternateIdentifier.UniqueAttribute.AttributeValue', raw, 'Member must be a string', true);
          // "For the unique attribute, the only valid path is displayName" (model documentation).
          if (path !== undefined && path.toLowerCase() !== 'displayname') {
            v.fail('AlternateIdentifier.UniqueAttribute.AttributePath', path, 'Member must be one of the unique attributes of a group: [displayName]');
          }
          match = (g) => typeof raw === 'string' && g.DisplayName.toLowerCase() === raw.toLowerCase();
        }
      }
      v.done();
      const store = requireStore(ic.state.read, storeId);
      const group = Object.values(store.Groups).find(match!);
      if (!group) throw identityStoreErrors.notFound('GROUP');
      return { GroupId: group.GroupId, IdentityStoreId: storeId };
    },

    UpdateGroup(input, ctx: AwsCallContext) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const groupId = commonMembers.resourceId(v, 'GroupId');
      const r = new AttributeReader(v, 'document');
      const changes: { member: (typeof GROUP_ATTRIBUTES)[number]['member']; value: unknown }[] = [];
      (v.list('Operations', { required: true, ...shapes.AttributeOperations }) ?? []).forEach((raw, i) => {
        const at = `Operations.${i + 1}.member`;
        const op = v.structure(at, { required: true }, raw);
        if (!op) return;
        const path = v.string(`${at}.AttributePath`, { required: true, ...shapes.AttributePath }, op.AttributePath);
        if (path === undefined || !shapes.AttributePath.pattern.test(path)) return;
        const attr = GROUP_ATTRIBUTES.find((a) => a.path.toLowerCase() === path.toLowerCase());
        if (!attr) return v.fail(`${at}.AttributePath`, path, 'Member must be a group attribute path UpdateGroup supports: [displayName, description, externalIds]');
        const remove = op.AttributeValue === undefined || op.AttributeValue === null;
        if (attr.member === 'DisplayName' && remove) v.fail(`${at}.AttributeValue`, null, 'Member must not be null');
        changes.push({ member: attr.member, value: remove ? undefined : attr.read(r, `${at}.AttributeValue`, op.AttributeValue) });
      });
      v.done();
      return ic.state.mutate((draft) => {
        const store = requireStore(draft, storeId);
        const group = requireRecord(store.Groups, 'GROUP', groupId);
        const before = group.DisplayName;
        for (const { member, value } of changes) {
          if (value === undefined) delete group[member];
          else (group as unknown as Record<string, unknown>)[member] = value;
        }
        if (group.DisplayName.toLowerCase() !== before.toLowerCase()) assertNotReserved(group.DisplayName);
        uniqueness.group(store, group);
        group.UpdatedAt = epochSeconds(ic);
        group.UpdatedBy = ctx.principal.arn;
        return {};
      });
    },

    DeleteGroup(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const groupId = commonMembers.resourceId(v, 'GroupId');
      v.done();
      return ic.state.mutate((draft) => {
        const store = requireStore(draft, storeId);
        requireRecord(store.Groups, 'GROUP', groupId);
        delete store.Groups[groupId];
        // Its memberships go with it (assumed).
        for (const [id, m] of Object.entries(store.Memberships)) if (m.GroupId === groupId) delete store.Memberships[id];
        return {};
      });
    },
  };
}
