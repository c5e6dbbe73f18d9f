import type { UserRecord } from '../state/model.js';
import { membersOf, targetOf } from './identity-store-model.js';

/**
 * The user attributes UpdateUser addresses by path, matched case-insensitively: every member of the
 * model's User structure but its ids, status, audit members and extensions (`userName`,
 * `displayName`, `emails`, `externalIds` …), and `name.<sub>` for a member of Name
 * (`name.givenName`). The value is read against the member's shape (identity-store-model.ts).
 */

const NOT_ATTRIBUTES = new Set(['IdentityStoreId', 'UserId', 'UserStatus', 'CreatedAt', 'CreatedBy', 'UpdatedAt', 'UpdatedBy', 'Extensions']);

/** The User members UpdateUser sets. */
export const userAttributes = () => membersOf('User').filter((m) => !NOT_ATTRIBUTES.has(m)) as (keyof UserRecord & string)[];

/** Sub-attributes of `name` UpdateUser sets one by one. */
export const nameSubAttributes = () => membersOf('Name');

/** The only extension name the service knows (SDK documentation). */
export const ENTERPRISE_EXTENSION = 'aws:identitystore:enterprise';

export interface UserAttribute {
  member: keyof UserRecord & string;
  /** For `name.<sub>`: the Name member it sets. */
  sub?: string;
  /** The shape its value is read against. */
  shape: string;
}

const sameName = (a: string) => (b: string) => a.toLowerCase() === b.toLowerCase();

/** What an UpdateUser attribute path names, if anything the lab supports. */
export function userAttributeFor(path: string): UserAttribute | undefined {
  const member = userAttributes().find(sameName(path));
  if (member) return { member, shape: targetOf('User', member) };
  const [head = '', sub = '', ...rest] = path.split('.');
  const nameSub = head.toLowerCase() === 'name' && rest.length === 0 ? nameSubAttributes().find(sameName(sub)) : undefined;
  return nameSub ? { member: 'Name', sub: nameSub, shape: targetOf('Name', nameSub) } : undefined;
}
