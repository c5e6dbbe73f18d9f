import { identityStoreErrors } from './identity-store-errors.js';
import { sha256 } from '../../util/sha256.js';

/** Page size when a request gives no MaxResults (assumed: the model's maximum, 100). */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * One page of a list, in a stable order (by id; the real order is unknown), with an opaque
 * NextToken that carries the last id returned and a fingerprint of the query. So a token keeps
 * working while records are added or deleted between pages, and a token from another query
 * (another store, group, member or filter) is refused with a ValidationException (assumed wording).
 */
export function paginate<T>(items: T[], idOf: (item: T) => string, query: string, maxResults: number | undefined, nextToken: string | undefined): { page: T[]; nextToken?: string } {
  const fingerprint = sha256(query, 'base64url').slice(0, 16);
  let after: string | undefined;
  if (nextToken !== undefined) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8'));
    } catch {
      decoded = undefined;
    }
    const token = decoded as { a?: unknown; q?: unknown } | undefined;
    if (!token || typeof token.a !== 'string' || token.q !== fingerprint) throw identityStoreErrors.invalid('The pagination token is invalid.');
    after = token.a;
  }
  const sorted = [...items].sort((x, y) => (idOf(x) < idOf(y) ? -1 : idOf(x) > idOf(y) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((item) => idOf(item) > after);
  const size = maxResults ?? DEFAULT_PAGE_SIZE;
  const page = rest.slice(0, size);
  if (rest.length <= size) return { page };
  const last = idOf(page[page.length - 1]!);
  return { page, nextToken: Buffer.from(JSON.stringify({ a: last, q: fingerprint })).toString('base64url') };
}
