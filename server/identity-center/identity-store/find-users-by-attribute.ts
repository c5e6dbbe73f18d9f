import type { IdentityStoreRecord, UserRecord } from '../state/model.js';

/**
 * Finding the Identity Store users a trusted token issuer's claim names. The token exchange takes
 * the value at the issuer's ClaimAttributePath from the JWT and looks for users whose attribute at
 * IdentityStoreAttributePath has that value; it must find exactly one ("attribute mappings enable
 * IAM Identity Center to match the user … to a single user", AWS docs, trusted token issuer
 * configuration settings). Which paths resolve how is documented in docs/identity-store.md.
 */

export interface AttributeMatchOptions {
  /**
   * Compare values case-sensitively. Default true (assumed: the docs say the claim is matched
   * "exactly"; the behaviour profile's `attribute_match_case_sensitive`).
   */
  caseSensitive?: boolean;
  /**
   * For `externalIds.<Issuer>` (e.g. `externalIds.SCIM`): `any` compares the value with the Id of
   * every external id whatever its issuer; `exact` only with external ids whose Issuer is
   * `<Issuer>`. Default `any` (assumed; the only public example pairs `externalIds.SCIM` with
   * users whose external id issuer is the IdP's domain).
   */
  externalIdIssuer?: 'any' | 'exact';
}

const SINGLE: Record<string, keyof UserRecord> = {
  username: 'UserName',
  displayname: 'DisplayName',
  nickname: 'NickName',
  profileurl: 'ProfileUrl',
  usertype: 'UserType',
  title: 'Title',
  preferredlanguage: 'PreferredLanguage',
  locale: 'Locale',
  timezone: 'Timezone',
  website: 'Website',
  birthdate: 'Birthdate',
};

const NAME_SUB: Record<string, string> = {
  formatted: 'Formatted',
  familyname: 'FamilyName',
  givenname: 'GivenName',
  middlename: 'MiddleName',
  honorificprefix: 'HonorificPrefix',
  honorificsuffix: 'HonorificSuffix',
};

/** Multi-valued attributes and their sub-attributes (`emails.value`, `addresses.locality` …). */
const MULTI: Record<string, { member: keyof UserRecord; sub: Record<string, string> }> = {
  emails: { member: 'Emails', sub: { value: 'Value', type: 'Type' } },
  phonenumbers: { member: 'PhoneNumbers', sub: { value: 'Value', type: 'Type' } },
  roles: { member: 'Roles', sub: { value: 'Value', type: 'Type' } },
  addresses: {
    member: 'Addresses',
    sub: {
      streetaddress: 'StreetAddress',
      locality: 'Locality',
      region: 'Region',
      postalcode: 'PostalCode',
      country: 'Country',
      formatted: 'Formatted',
      type: 'Type',
    },
  },
};

const strings = (values: unknown[]): string[] => values.filter((v): v is string => typeof v === 'string');

/**
 * The values a user has at an Identity Store attribute path, or undefined when the lab does not
 * know the path. Path names are matched case-insensitively (SCIM attribute names are, RFC 7643
 * §2.1, and the Identity Store follows SCIM; assumed).
 */
export function userAttributeValues(user: UserRecord, attributePath: string, opts: AttributeMatchOptions = {}): string[] | undefined {
  const [head = '', sub, extra] = attributePath.toLowerCase().split('.');
  if (extra !== undefined) return undefined;
  if (sub === undefined) {
    const member = SINGLE[head];
    return member ? strings([user[member]]) : undefined;
  }
  if (head === 'name') {
    const member = NAME_SUB[sub];
    return member ? strings([user.Name?.[member]]) : undefined;
  }
  if (head === 'externalids') {
    const ids = user.ExternalIds ?? [];
    if (sub === 'id') return ids.map((e) => e.Id);
    if (sub === 'issuer') return ids.map((e) => e.Issuer);
    const issuer = attributePath.split('.')[1]!;
    return ids.filter((e) => (opts.externalIdIssuer ?? 'any') === 'any' || e.Issuer === issuer).map((e) => e.Id);
  }
  const multi = MULTI[head];
  const member = multi?.sub[sub];
  if (!multi || !member) return undefined;
  const entries = (user[multi.member] as Record<string, unknown>[] | undefined) ?? [];
  return strings(entries.map((e) => e[member]));
}

/** Whether `userAttributeValues` knows the path. */
export function isSupportedUserAttributePath(attributePath: string): boolean {
  const probe: UserRecord = { UserId: '', IdentityStoreId: '', UserName: '' };
  return userAttributeValues(probe, attributePath) !== undefined;
}

/**
 * The users of `store` whose attribute at `attributePath` equals `value` (for multi-valued
 * attributes: any of their values). An unknown path matches nobody; check it with
 * isSupportedUserAttributePath to tell "no such user" from "no such attribute". Pure.
 */
export function findUsersByAttribute(store: IdentityStoreRecord, attributePath: string, value: string, opts: AttributeMatchOptions = {}): UserRecord[] {
  const caseSensitive = opts.caseSensitive ?? true;
  const wanted = caseSensitive ? value : value.toLowerCase();
  return Object.values(store.Users).filter((user) =>
    (userAttributeValues(user, attributePath, opts) ?? []).some((v) => (caseSensitive ? v : v.toLowerCase()) === wanted),
  );
}

/** Every value at the path (none for an unknown path): the first version's name, kept for its callers. */
export function attributeValues(user: UserRecord, attributePath: string, opts: AttributeMatchOptions = {}): string[] {
  return userAttributeValues(user, attributePath, opts) ?? [];
}
