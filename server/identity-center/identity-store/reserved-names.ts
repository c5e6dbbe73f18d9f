import { identityStoreErrors } from './identity-store-errors.js';

/** "Administrator and AWSAdministrators are reserved names and can't be used for users or groups" (model documentation). */
export const RESERVED_NAMES = ['administrator', 'awsadministrators'];

/** A user's UserName or a group's DisplayName must not be a reserved name (compared ignoring case). */
export function assertNotReserved(name: string): void {
  if (RESERVED_NAMES.includes(name.toLowerCase())) {
    throw identityStoreErrors.invalid(`${name} is a reserved name and can't be used for users or groups.`);
  }
}
