import type { UserRecord } from '../state/model.js';
import { AttributeReader, type MemberSpec } from './attribute-reader.js';
import { ENTERPRISE_EXTENSION, shapes } from './identity-store-shapes.js';

/**
 * Every user attribute the lab stores: its model member name, the attribute path UpdateUser
 * addresses it by (camelCase, as the API documentation writes them), and how its value is read.
 * CreateUser reads the same table from the request's members.
 */

const str: MemberSpec = { kind: 'string', shape: shapes.SensitiveString };
const bool: MemberSpec = { kind: 'boolean' };

const NAME_MEMBERS: Record<string, MemberSpec> = {
  Formatted: str,
  FamilyName: str,
  GivenName: str,
  MiddleName: str,
  HonorificPrefix: str,
  HonorificSuffix: str,
};
const VALUE_TYPE_PRIMARY: Record<string, MemberSpec> = { Value: str, Type: str, Primary: bool };
const ADDRESS_MEMBERS: Record<string, MemberSpec> = {
  StreetAddress: str,
  Locality: str,
  Region: str,
  PostalCode: str,
  Country: str,
  Formatted: str,
  Type: str,
  Primary: bool,
};
const PHOTO_MEMBERS: Record<string, MemberSpec> = { Value: { ...str, required: true } as MemberSpec, Type: str, Display: str, Primary: bool };
const EXTERNAL_ID_MEMBERS: Record<string, MemberSpec> = {
  Issuer: { kind: 'string', shape: shapes.ExternalIdIssuer, required: true },
  Id: { kind: 'string', shape: shapes.ExternalIdIdentifier, required: true },
};

type Read = (r: AttributeReader, path: string, value: unknown) => unknown;

const readString: Read = (r, path, value) => r.string(path, value, shapes.SensitiveString);
const readList =
  (limits: { min: number; max: number }, members: Record<string, MemberSpec>): Read =>
  (r, path, value) =>
    r.list(path, value, limits, (p, v) => r.structure(p, v, members, true));

export interface UserAttribute {
  /** The model's member name (and the record's key). */
  member: keyof UserRecord & string;
  /** The attribute path UpdateUser takes (matched case-insensitively). */
  path: string;
  read: Read;
}

export const USER_ATTRIBUTES: UserAttribute[] = [
  { member: 'UserName', path: 'userName', read: (r, p, v) => r.string(p, v, shapes.UserName) },
  { member: 'Name', path: 'name', read: (r, p, v) => r.structure(p, v, NAME_MEMBERS) },
  { member: 'DisplayName', path: 'displayName', read: readString },
  { member: 'NickName', path: 'nickName', read: readString },
  { member: 'ProfileUrl', path: 'profileUrl', read: readString },
  { member: 'Emails', path: 'emails', read: readList(shapes.Emails, VALUE_TYPE_PRIMARY) },
  { member: 'Addresses', path: 'addresses', read: readList(shapes.Addresses, ADDRESS_MEMBERS) },
  { member: 'PhoneNumbers', path: 'phoneNumbers', read: readList(shapes.PhoneNumbers, VALUE_TYPE_PRIMARY) },
  { member: 'UserType', path: 'userType', read: readString },
  { member: 'Title', path: 'title', read: readString },
  { member: 'PreferredLanguage', path: 'preferredLanguage', read: readString },
  { member: 'Locale', path: 'locale', read: readString },
  { member: 'Timezone', path: 'timezone', read: readString },
  { member: 'Photos', path: 'photos', read: readList(shapes.Photos, PHOTO_MEMBERS) },
  { member: 'Website', path: 'website', read: readString },
  { member: 'Birthdate', path: 'birthdate', read: readString },
  { member: 'Roles', path: 'roles', read: readList(shapes.Roles, VALUE_TYPE_PRIMARY) },
  { member: 'ExternalIds', path: 'externalIds', read: readList(shapes.ExternalIds, EXTERNAL_ID_MEMBERS) },
];

/** Sub-attributes of `name` UpdateUser can set one by one: `name.givenName` … */
export const NAME_SUB_ATTRIBUTES = Object.keys(NAME_MEMBERS);

/** The external-id list reader, shared with groups. */
export const readExternalIds: Read = readList(shapes.ExternalIds, EXTERNAL_ID_MEMBERS);

/**
 * CreateUser's attribute members. `Extensions` is a map from extension name to a document; only
 * `aws:identitystore:enterprise` exists (SDK documentation). `ExternalIds` is not in the model's
 * CreateUserRequest (external ids come from SCIM provisioning; the SDK cannot send it): the lab
 * accepts it as an extension, for its own config setup and raw callers.
 */
export function readCreateUserAttributes(r: AttributeReader, input: Record<string, unknown>): Partial<UserRecord> {
  const user: Partial<UserRecord> = {};
  for (const attr of USER_ATTRIBUTES) {
    const value = attr.read(r, attr.member, input[attr.member]);
    if (value !== undefined) user[attr.member] = value;
  }
  const extensions = readExtensions(r, 'Extensions', input.Extensions);
  if (extensions) user.Extensions = extensions;
  return user;
}

export function readExtensions(r: AttributeReader, path: string, value: unknown): Record<string, unknown> | undefined {
  const map = r.v.structure(path, {}, value);
  if (!map) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, doc] of Object.entries(map)) {
    if (name !== ENTERPRISE_EXTENSION) {
      r.v.fail(`${path}.${name}`, name, `Member must be a supported extension name: [${ENTERPRISE_EXTENSION}]`);
      continue;
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      r.v.fail(`${path}.${name}`, doc, 'Member must be an object', true);
      continue;
    }
    out[name] = doc;
  }
  return out;
}

/** The table entry an UpdateUser attribute path names (case-insensitively), if any. */
export function userAttributeFor(path: string): UserAttribute | undefined {
  const lower = path.toLowerCase();
  return USER_ATTRIBUTES.find((a) => a.path.toLowerCase() === lower);
}
