import type { AwsCallContext, AwsJsonOperation } from '../../aws/aws-registry.js';
import { InputValidator } from '../../aws/input-validator.js';
import type { IdentityCenter } from '../identity-center.js';
import type { IdentityStoreRecord, UserRecord } from '../state/model.js';
import { ids } from '../state/ids.js';
import { AttributeReader } from './attribute-reader.js';
import { commonMembers } from './common-members.js';
import { identityStoreErrors, requireRecord, requireStore } from './identity-store-errors.js';
import { RESERVED_NAMES, shapes } from './identity-store-shapes.js';
import { paginate } from './paginate.js';
import { uniqueness } from './uniqueness.js';
import { NAME_SUB_ATTRIBUTES, readCreateUserAttributes, userAttributeFor } from './user-attributes.js';

/** DescribeUser's and ListUsers' members, in the model's order. */
const USER_OUTPUT_MEMBERS = [
  'IdentityStoreId', 'UserId', 'UserName', 'ExternalIds', 'Name', 'DisplayName', 'NickName', 'ProfileUrl', 'Emails', 'Addresses',
  'PhoneNumbers', 'UserType', 'Title', 'PreferredLanguage', 'Locale', 'Timezone', 'UserStatus', 'Photos', 'Website', 'Birthdate',
  'Roles', 'CreatedAt', 'CreatedBy', 'UpdatedAt', 'UpdatedBy',
] as const;

/** A user as DescribeUser and ListUsers return it; extensions only when asked for by name (SDK documentation). */
export function userOutput(user: UserRecord, extensionNames: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of USER_OUTPUT_MEMBERS) {
    const value = member === 'UserStatus' ? (user.UserStatus ?? 'ENABLED') : user[member];
    if (value !== undefined) out[member] = value;
  }
  const extensions = Object.fromEntries(extensionNames.filter((n) => user.Extensions && Object.hasOwn(user.Extensions, n)).map((n) => [n, user.Extensions![n]]));
  if (Object.keys(extensions).length > 0) out.Extensions = extensions;
  return out;
}

const epochSeconds = (ic: IdentityCenter) => Math.floor(ic.clock.now() / 1000);

function assertNotReserved(name: string): void {
  if (RESERVED_NAMES.includes(name.toLowerCase())) {
    throw identityStoreErrors.invalid(`${name} is a reserved name and can't be used for users or groups.`);
  }
}

/** One AttributeOperation, read and checked before anything changes. */
interface UserChange {
  member: keyof UserRecord & string;
  /** For `name.<sub>`: the Name member it sets. */
  sub?: string;
  /** undefined: remove the attribute. */
  value: unknown;
}

function readUserChanges(v: InputValidator): UserChange[] {
  const r = new AttributeReader(v, 'document');
  const operations = v.list('Operations', { required: true, ...shapes.AttributeOperations }) ?? [];
  const changes: UserChange[] = [];
  operations.forEach((raw, i) => {
    const at = `Operations.${i + 1}.member`;
    const op = v.structure(at, { required: true }, raw);
    if (!op) return;
    const path = v.string(`${at}.AttributePath`, { required: true, ...shapes.AttributePath }, op.AttributePath);
    if (path === undefined || !shapes.AttributePath.pattern.test(path)) return;
    const valuePath = `${at}.AttributeValue`;
    const remove = op.AttributeValue === undefined || op.AttributeValue === null;
    const attr = userAttributeFor(path);
    if (attr) {
      if (attr.member === 'UserName' && remove) v.fail(valuePath, null, 'Member must not be null');
      changes.push({ member: attr.member, value: remove ? undefined : attr.read(r, valuePath, op.AttributeValue) });
      return;
    }
    const [head, sub] = path.split('.');
    const nameSub = head?.toLowerCase() === 'name' ? NAME_SUB_ATTRIBUTES.find((n) => n.toLowerCase() === sub?.toLowerCase()) : undefined;
    if (nameSub) {
      changes.push({ member: 'Name', sub: nameSub, value: remove ? undefined : r.string(valuePath, op.AttributeValue, shapes.SensitiveString) });
      return;
    }
    v.fail(`${at}.AttributePath`, path, 'Member must be a user attribute path UpdateUser supports (userName, displayName, name.givenName, emails …)');
  });
  return changes;
}

function applyUserChange(user: UserRecord, change: UserChange): void {
  if (change.sub !== undefined) {
    const name = { ...(user.Name ?? {}) };
    if (change.value === undefined) delete name[change.sub];
    else name[change.sub] = change.value as string;
    if (Object.keys(name).length > 0) user.Name = name;
    else delete user.Name;
    return;
  }
  if (change.value === undefined) delete user[change.member];
  else user[change.member] = change.value;
}

/** The user a GetUserId alternate identifier names, or ResourceNotFoundException (USER). */
function userByAlternateIdentifier(store: IdentityStoreRecord, alt: { kind: 'unique'; path: string; value: string } | { kind: 'external'; issuer: string; id: string }): UserRecord {
  const users = Object.values(store.Users);
  let found: UserRecord[];
  if (alt.kind === 'external') {
    found = users.filter((u) => (u.ExternalIds ?? []).some((e) => e.Issuer === alt.issuer && e.Id === alt.id));
  } else if (alt.path.toLowerCase() === 'username') {
    found = users.filter((u) => u.UserName.toLowerCase() === alt.value.toLowerCase());
  } else {
    found = users.filter((u) => (u.Emails ?? []).some((e) => e.Value === alt.value));
    if (found.length > 1) throw identityStoreErrors.uniqueness('More than one user has this email address; use userName or an external id.');
  }
  if (found.length === 0) throw identityStoreErrors.notFound('USER');
  return found[0]!;
}

/** CreateUser, DescribeUser, ListUsers, GetUserId, UpdateUser, DeleteUser. */
export function userOperations(ic: IdentityCenter): Record<string, AwsJsonOperation> {
  return {
    CreateUser(input, ctx: AwsCallContext) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const attrs = readCreateUserAttributes(new AttributeReader(v, 'wire'), input);
      // Required by the service though optional in the model (assumed; what the console and the
      // Terraform provider require): UserName, DisplayName, Name.GivenName, Name.FamilyName.
      for (const member of ['UserName', 'DisplayName', 'Name'] as const) if (input[member] === undefined || input[member] === null) v.fail(member, null, 'Member must not be null');
      if (attrs.Name) for (const sub of ['GivenName', 'FamilyName']) if (attrs.Name[sub] === undefined) v.fail(`Name.${sub}`, null, 'Member must not be null');
      v.done();
      assertNotReserved(attrs.UserName!);
      return ic.state.mutate((draft) => {
        const store = requireStore(draft, storeId);
        const now = epochSeconds(ic);
        const user: UserRecord = {
          ...attrs,
          UserId: ids.principalId(storeId),
          IdentityStoreId: storeId,
          UserName: attrs.UserName!,
          UserStatus: 'ENABLED',
          CreatedAt: now,
          CreatedBy: ctx.principal.arn,
          UpdatedAt: now,
          UpdatedBy: ctx.principal.arn,
        };
        uniqueness.user(store, user);
        store.Users[user.UserId] = user;
        return { IdentityStoreId: storeId, UserId: user.UserId };
      });
    },

    DescribeUser(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const userId = commonMembers.resourceId(v, 'UserId');
      const extensions = commonMembers.extensionNames(v);
      v.done();
      const store = requireStore(ic.state.read, storeId);
      return userOutput(requireRecord(store.Users, 'USER', userId), extensions);
    },

    ListUsers(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const extensions = commonMembers.extensionNames(v);
      const { maxResults, nextToken } = commonMembers.paging(v);
      const filters = v.list('Filters', shapes.Filters) ?? [];
      const filter = filters.length > 0 ? v.structure('Filters.1.member', { required: true }, filters[0]) : undefined;
      const path = filter ? v.string('Filters.1.member.AttributePath', { required: true, ...shapes.AttributePath }, filter.AttributePath) : undefined;
      const value = filter ? v.string('Filters.1.member.AttributeValue', { required: true, ...shapes.SensitiveString }, filter.AttributeValue) : undefined;
      v.done();
      // The only filter ListUsers documents (deprecated in favour of GetUserId).
      if (path !== undefined && path.toLowerCase() !== 'username') throw identityStoreErrors.invalid(`Filtering users by ${path} is not supported; ListUsers filters by UserName only.`);
      const store = requireStore(ic.state.read, storeId);
      const users = Object.values(store.Users).filter((u) => value === undefined || u.UserName.toLowerCase() === value.toLowerCase());
      const { page, nextToken: next } = paginate(users, (u) => u.UserId, `ListUsers\n${storeId}\n${value ?? ''}`, maxResults, nextToken);
      return { Users: page.map((u) => userOutput(u, extensions)), ...(next ? { NextToken: next } : {}) };
    },

    GetUserId(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const alt = v.structure('AlternateIdentifier', { required: true });
      let lookup: Parameters<typeof userByAlternateIdentifier>[1] | undefined;
      if (alt) {
        const set = ['ExternalId', 'UniqueAttribute'].filter((k) => alt[k] !== undefined && alt[k] !== null);
        if (set.length !== 1) v.fail('AlternateIdentifier', alt, 'Member must have exactly one of [ExternalId, UniqueAttribute] set', true);
        else if (set[0] === 'ExternalId') {
          const ext = v.structure('AlternateIdentifier.ExternalId', { required: true }, alt.ExternalId);
          const issuer = v.string('AlternateIdentifier.ExternalId.Issuer', { required: true, ...shapes.ExternalIdIssuer }, ext?.Issuer);
          const id = v.string('AlternateIdentifier.ExternalId.Id', { required: true, ...shapes.ExternalIdIdentifier }, ext?.Id);
          if (issuer !== undefined && id !== undefined) lookup = { kind: 'external', issuer, id };
        } else {
          const ua = v.structure('AlternateIdentifier.UniqueAttribute', { required: true }, alt.UniqueAttribute);
          const path = v.string('AlternateIdentifier.UniqueAttribute.AttributePath', { required: true, ...shapes.AttributePath }, ua?.AttributePath);
          const raw = ua?.AttributeValue;
          if (raw === undefined || raw === null) v.fail('AlternateIdentifier.UniqueAttribute.AttributeValue', null, 'Member must not be null');
          else if (typeof raw !== 'string') v.fail('AlternateIdentifier.UniqueAttribute.AttributeValue', raw, 'Member must be a string', true);
          if (path !== undefined && !['username', 'emails.value'].includes(path.toLowerCase())) {
            v.fail('AlternateIdentifier.UniqueAttribute.AttributePath', path, 'Member must be one of the unique attributes of a user: [userName, emails.value]');
          }
          if (path !== undefined && typeof raw === 'string') lookup = { kind: 'unique', path, value: raw };
        }
      }
      v.done();
      const store = requireStore(ic.state.read, storeId);
      return { IdentityStoreId: storeId, UserId: userByAlternateIdentifier(store, lookup!).UserId };
    },

    UpdateUser(input, ctx: AwsCallContext) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const userId = commonMembers.resourceId(v, 'UserId');
      const changes = readUserChanges(v);
      v.done();
      return ic.state.mutate((draft) => {
        const store = requireStore(draft, storeId);
        const user = requireRecord(store.Users, 'USER', userId);
        const before = user.UserName;
        for (const change of changes) applyUserChange(user, change);
        if (user.UserName.toLowerCase() !== before.toLowerCase()) assertNotReserved(user.UserName);
        uniqueness.user(store, user);
        user.UpdatedAt = epochSeconds(ic);
        user.UpdatedBy = ctx.principal.arn;
        return {};
      });
    },

    DeleteUser(input) {
      const v = new InputValidator(input);
      const storeId = commonMembers.identityStoreId(v);
      const userId = commonMembers.resourceId(v, 'UserId');
      v.done();
      return ic.state.mutate((draft) => {
        const store = requireStore(draft, storeId);
        requireRecord(store.Users, 'USER', userId);
        delete store.Users[userId];
        // A deleted user leaves no memberships behind.
        for (const [id, m] of Object.entries(store.Memberships)) if (m.MemberId.UserId === userId) delete store.Memberships[id];
        return {};
      });
    },
  };
}
