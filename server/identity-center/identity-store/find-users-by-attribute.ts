import type { IdentityStoreRecord, UserRecord } from '../state/model.js';

export interface AttributeMatchOptions {
  /** Compare values exactly (default) or ignoring letter case. */
  caseSensitive?: boolean;
}

/**
 * The values a user has at an Identity Store attribute path, as trusted token issuers name them:
 * `userName`, `displayName`, `emails.value`, `name.givenName`, `externalIds.id`, … Multi-valued
 * attributes (emails, externalIds …) give every value. Paths are matched case-insensitively per
 * segment, as SCIM attribute names are.
 */
export function attributeValues(user: UserRecord, attributePath: string): string[] {
  let current: unknown[] = [user];
  for (const segment of attributePath.split('.')) {
    const next: unknown[] = [];
    for (const node of current) {
      if (node === null || typeof node !== 'object') continue;
      const key = Object.keys(node).find((k) => k.toLowerCase() === segment.toLowerCase());
      if (key === undefined) continue;
      const v = (node as Record<string, unknown>)[key];
      if (Array.isArray(v)) next.push(...v);
      else next.push(v);
    }
    current = next;
  }
  return current.filter((v): v is string => typeof v === 'string');
}

/** Users whose attribute at `attributePath` equals `value`. */
export function findUsersByAttribute(store: IdentityStoreRecord, attributePath: string, value: string, opts: AttributeMatchOptions = {}): UserRecord[] {
  const caseSensitive = opts.caseSensitive ?? true;
  const want = caseSensitive ? value : value.toLowerCase();
  return Object.values(store.Users).filter((u) => attributeValues(u, attributePath).some((v) => (caseSensitive ? v : v.toLowerCase()) === want));
}
