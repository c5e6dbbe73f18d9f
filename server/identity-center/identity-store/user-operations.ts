import type { InputCheck } from '../../aws/model/read-input.js';
import type { IdentityStoreRecord, UserRecord } from '../state/model.js';
import { ids } from '../state/ids.js';
import { alternateIdentifierCheck } from './alternate-identifier-check.js';
import { type AttributeOperation, attributeOperationsCheck } from './attribute-operations.js';
import { identityStoreErrors, requireRecord, requireStore } from './identity-store-errors.js';
import { membersOf } from './identity-store-model.js';
import type { IdentityStoreHandlers } from './identity-store-operation.js';
import { paginate } from './identity-store-pagination.js';
import { assertNotReserved } from './reserved-names.js';
import { uniqueness } from './uniqueness.js';
import { ENTERPRISE_EXTENSION, userAttributes, userAttributeFor } from './user-attributes.js';

/** DescribeUser's and ListUsers' members, in the model's order (its User structure). */
const userOutputMembers = () => membersOf('User').filter((m) => m !== 'Extensions') as (keyof UserRecord)[];

/** A user as DescribeUser and ListUsers return it; extensions only when asked for by name (SDK documentation). */
export function userOutput(user: UserRecord, extensionNames: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of userOutputMembers()) {
    const value = member === 'UserStatus' ? (user.UserStatus ?? 'ENABLED') : user[member];
    if (value !== undefined) out[member] = value;
  }
  const extensions = Object.fromEntries(extensionNames.filter((n) => user.Extensions && Object.hasOwn(user.Extensions, n)).map((n) => [n, user.Extensions![n]]));
  if (Object.keys(extensions).length > 0) out.Extensions = extensions;
  return out;
}

/**
 * CreateUser beyond the model. Required by the service though optional in the model (assumed; what
 * the console and the Terraform provider require): UserName, DisplayName, Name.GivenName,
 * Name.FamilyName. `Extensions` maps extension names to documents; only
 * `aws:identitystore:enterprise` exists (SDK documentation), and its value is an object.
 */
export const createUserCheck: InputCheck = (input, check) => {
  const extensions = (input.Extensions ?? {}) as Record<string, unknown>;
  for (const [name, doc] of Object.entries(extensions)) {
    if (name !== ENTERPRISE_EXTENSION) check.fail(`Extensions.${name}`, name, `Member must be a supported extension name: [${ENTERPRISE_EXTENSION}]`);
    else if (typeof doc !== 'object' || Array.isArray(doc)) check.fail(`Extensions.${name}`, doc, 'Member must be an object', true);
  }
  for (const member of ['UserName', 'DisplayName', 'Name']) if (input[member] === undefined) check.fail(member, null, 'Member must not be null');
  const name = input.Name as Record<string, unknown> | undefined;
  if (name) for (const sub of ['GivenName', 'FamilyName']) if (name[sub] === undefined) check.fail(`Name.${sub}`, null, 'Member must not be null');
};

/** GetUserId's unique attributes: "the only valid paths are userName and emails.value" (model documentation). */
export const getUserIdCheck = alternateIdentifierCheck('user', ['userName', 'emails.value']);

/** UpdateUser's Operations: the attributes of `user-attributes.ts`; UserName cannot be removed. */
export const updateUserCheck: InputCheck = attributeOperationsCheck({
  attributeFor: userAttributeFor,
  unsupported: 'Member must be a user attribute path UpdateUser supports (userName, displayName, name.givenName, emails …)',
  required: (a) => a.member === 'UserName' && a.sub === undefined,
});

function applyUserChange(user: UserRecord, op: AttributeOperation): void {
  const attribute = userAttributeFor(op.AttributePath!)!;
  if (attribute.sub !== undefined) {
    const name = { ...(user.Name ?? {}) };
    if (op.AttributeValue === undefined) delete name[attribute.sub];
    else name[attribute.sub] = op.AttributeValue as string;
    if (Object.keys(name).length > 0) user.Name = name;
    else delete user.Name;
    return;
  }
  if (op.AttributeValue === undefined) delete user[attribute.member];
  else (user as unknown as Record<string, unknown>)[attribute.member] = op.AttributeValue;
}

type AlternateIdentifier = { ExternalId?: { Issuer: string; Id: string }; UniqueAttribute?: { AttributePath: string; AttributeValue: string } };

/** The user a GetUserId alternate identifier names, or ResourceNotFoundException (USER). */
function userByAlternateIdentifier(store: IdentityStoreRecord, alt: AlternateIdentifier): UserRecord {
  const users = Object.values(store.Users);
  let found: UserRecord[];
  if (alt.ExternalId) {
    const { Issuer, Id } = alt.ExternalId;
    found = users.filter((u) => (u.ExternalIds ?? []).some((e) => e.Issuer === Issuer && e.Id === Id));
  } else if (alt.UniqueAttribute!.AttributePath.toLowerCase() === 'username') {
    const value = alt.UniqueAttribute!.AttributeValue.toLowerCase();
    found = users.filter((u) => u.UserName.toLowerCase() === value);
  } else {
    const value = alt.UniqueAttribute!.AttributeValue;
    found = users.filter((u) => (u.Emails ?? []).some((e) => e.Value === value));
    // GetUserId declares no ConflictException, so the one error it can answer with (assumed).
    if (found.length > 1) throw identityStoreErrors.invalid('More than one user has this email address; use userName or an external id.');
  }
  if (found.length === 0) throw identityStoreErrors.notFound('USER');
  return found[0]!;
}

/** CreateUser, DescribeUser, ListUsers, GetUserId, UpdateUser, DeleteUser. */
export const userHandlers: IdentityStoreHandlers = {
  CreateUser({ input, ctx, ic, now }) {
    const storeId = input.IdentityStoreId as string;
    const attributes: Partial<UserRecord> = {};
    for (const member of [...userAttributes(), 'Extensions'] as const) if (input[member] !== undefined) (attributes as Record<string, unknown>)[member] = input[member];
    assertNotReserved(attributes.UserName!);
    return ic.state.mutate((draft) => {
      const store = requireStore(draft, storeId);
      const at = now();
      const user: UserRecord = {
        ...attributes,
        UserId: ids.principalId(storeId),
        IdentityStoreId: storeId,
        UserName: attributes.UserName!,
        UserStatus: 'ENABLED',
        CreatedAt: at,
        CreatedBy: ctx.principal.arn,
        UpdatedAt: at,
        UpdatedBy: ctx.principal.arn,
      };
      uniqueness.user(store, user);
      store.Users[user.UserId] = user;
      return { IdentityStoreId: storeId, UserId: user.UserId };
    });
  },

  DescribeUser({ input, ic }) {
    const store = requireStore(ic.state.read, input.IdentityStoreId as string);
    return userOutput(requireRecord(store.Users, 'USER', input.UserId as string), (input.Extensions as string[] | undefined) ?? []);
  },

  ListUsers(call) {
    const { input, ic } = call;
    const filter = (input.Filters as { AttributePath: string; AttributeValue: string }[] | undefined)?.[0];
    // The only filter ListUsers documents (deprecated in favour of GetUserId).
    if (filter && filter.AttributePath.toLowerCase() !== 'username') throw identityStoreErrors.invalid(`Filtering users by ${filter.AttributePath} is not supported; ListUsers filters by UserName only.`);
    const store = requireStore(ic.state.read, input.IdentityStoreId as string);
    const value = filter?.AttributeValue.toLowerCase();
    const users = Object.values(store.Users).filter((u) => value === undefined || u.UserName.toLowerCase() === value);
    const extensions = (input.Extensions as string[] | undefined) ?? [];
    return paginate(call, users.map((u) => userOutput(u, extensions)));
  },

  GetUserId({ input, ic }) {
    const store = requireStore(ic.state.read, input.IdentityStoreId as string);
    return { IdentityStoreId: store.IdentityStoreId, UserId: userByAlternateIdentifier(store, input.AlternateIdentifier as AlternateIdentifier).UserId };
  },

  UpdateUser({ input, ctx, ic, now }) {
    return ic.state.mutate((draft) => {
      const store = requireStore(draft, input.IdentityStoreId as string);
      const user = requireRecord(store.Users, 'USER', input.UserId as string);
      const before = user.UserName;
      for (const op of input.Operations as AttributeOperation[]) applyUserChange(user, op);
      if (user.UserName.toLowerCase() !== before.toLowerCase()) assertNotReserved(user.UserName);
      uniqueness.user(store, user);
      user.UpdatedAt = now();
      user.UpdatedBy = ctx.principal.arn;
      return {};
    });
  },

  DeleteUser({ input, ic }) {
    const userId = input.UserId as string;
    return ic.state.mutate((draft) => {
      const store = requireStore(draft, input.IdentityStoreId as string);
      requireRecord(store.Users, 'USER', userId);
      delete store.Users[userId];
      // A deleted user leaves no memberships behind.
      for (const [id, m] of Object.entries(store.Memberships)) if (m.MemberId.UserId === userId) delete store.Memberships[id];
      return {};
    });
  },
};

export const userChecks: Record<string, InputCheck> = { CreateUser: createUserCheck, GetUserId: getUserIdCheck, UpdateUser: updateUserCheck };
