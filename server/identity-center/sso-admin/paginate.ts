import { AwsError } from '../../aws/aws-error.js';
import { sha256 } from '../../util/sha256.js';

export interface PageRequest {
  /** How many items at most (MaxResults, capped by the model's output list size). */
  maxResults: number;
  /** The NextToken the caller sent; '' counts as none. */
  nextToken?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Thrown for a NextToken this list did not hand out (wording assumed). */
const badToken = (why: string) => new AwsError('ValidationException', 400, 'Invalid NextToken', {}, why);

const digestOf = (scope: string) => sha256(scope, 'base64url').slice(0, 16);

function decode(token: string, digest: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badToken('the NextToken does not decode');
  }
  const { s, a } = (parsed ?? {}) as { s?: unknown; a?: unknown };
  if (typeof s !== 'string' || typeof a !== 'string') throw badToken('the NextToken does not decode');
  if (s !== digest) throw badToken('the NextToken belongs to another list (another operation, resource or filter)');
  return a;
}

/**
 * One page of a list. Items are ordered by `keyOf` (a stable, unique key such as the ARN) and the
 * NextToken is opaque to callers: it names the list it belongs to (`scope`: the operation and the
 * parameters that select the items) and the last key returned, so a page continues correctly even
 * when items were added or removed in between. A token from another list, or not from us at all,
 * is a ValidationException.
 */
export function paginate<T>(all: readonly T[], keyOf: (item: T) => string, req: PageRequest, scope: string): Page<T> {
  const digest = digestOf(scope);
  const after = req.nextToken ? decode(req.nextToken, digest) : undefined;
  const sorted = [...all].sort((x, y) => (keyOf(x) < keyOf(y) ? -1 : keyOf(x) > keyOf(y) ? 1 : 0));
  let start = after === undefined ? 0 : sorted.findIndex((item) => keyOf(item) > after);
  if (start < 0) start = sorted.length;
  const items = sorted.slice(start, start + req.maxResults);
  if (start + req.maxResults >= sorted.length || items.length === 0) return { items };
  const nextToken = Buffer.from(JSON.stringify({ s: digest, a: keyOf(items[items.length - 1]!) }), 'utf8').toString('base64url');
  return { items, nextToken };
}
