import { AwsError } from './aws-error.js';
import type { AwsCallContext } from './aws-registry.js';
import type { ModelCall } from './model/model-service.js';
import { sha256 } from '../util/sha256.js';

/**
 * How one List operation pages, in the words of moto's `PAGINATION_MODEL` and botocore's
 * `paginators-1.json`: the request's `NextToken` (input token) and `MaxResults` (limit key), the
 * output member that holds the list (`resultKey`), the page size without MaxResults
 * (`limitDefault`), and what orders the list and what a NextToken points after
 * (`uniqueAttribute`: members of a list entry, joined when several).
 */
export interface PaginatedOperation {
  readonly resultKey: string;
  readonly uniqueAttribute: string | readonly string[];
  readonly limitDefault: number;
  /** The model's bound on the output list: a page never holds more, whatever MaxResults says. */
  readonly limitMax?: number;
}

/** A service's paginated operations, with where the figures come from. */
export interface PaginationTable {
  readonly source: string;
  /** The ValidationException message for a NextToken the list did not hand out (each service words it its own way). */
  readonly invalidTokenMessage: string;
  readonly operations: Readonly<Record<string, PaginatedOperation>>;
}

/** What a page of a list is: the output members `<resultKey>` and, while more remain, `NextToken`. */
export type Page = Record<string, unknown>;

const digestOf = (scope: string) => sha256(scope, 'base64url').slice(0, 16);

/**
 * The list an operation's request selects: the operation, the caller's account, and every input
 * member but the paging ones. A NextToken carries its digest, so a token from another list (another
 * operation, resource, filter or caller) is refused instead of paging the wrong list.
 */
function scopeOf(call: ModelCall<AwsCallContext>): string {
  const { NextToken: _token, MaxResults: _max, ...selecting } = call.input;
  return `${call.operation.name}\n${call.ctx.principal.accountId}\n${JSON.stringify(selecting)}`;
}

/**
 * The paginator of a service: `paginate(call, entries)` answers one page of the list `entries`
 * (output-shaped list entries), ordered by their unique attribute. The NextToken is opaque to
 * callers: it names the list it belongs to and the last key returned, so paging continues correctly
 * when entries were added or removed in between. A token this list did not hand out is a
 * ValidationException (wording per service; assumed).
 */
export function paginator(table: PaginationTable) {
  const invalid = (why: string) => new AwsError('ValidationException', 400, table.invalidTokenMessage, {}, why);

  function after(token: string, digest: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      throw invalid('the NextToken does not decode');
    }
    const { s, a } = (parsed ?? {}) as { s?: unknown; a?: unknown };
    if (typeof s !== 'string' || typeof a !== 'string') throw invalid('the NextToken does not decode');
    if (s !== digest) throw invalid('the NextToken belongs to another list (another operation, resource, filter or caller)');
    return a;
  }

  return function paginate(call: ModelCall<AwsCallContext>, entries: readonly Record<string, unknown>[]): Page {
    const op = table.operations[call.operation.name];
    if (!op) throw new Error(`tti-lab bug: ${call.operation.name} is not in the pagination table (${table.source})`);
    const attributes = typeof op.uniqueAttribute === 'string' ? [op.uniqueAttribute] : op.uniqueAttribute;
    const keyed = entries.map((entry) => ({ key: attributes.map((a) => String(entry[a])).join('/'), entry }));
    keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    const digest = digestOf(scopeOf(call));
    const token = call.input.NextToken;
    const last = typeof token === 'string' && token !== '' ? after(token, digest) : undefined;
    let start = last === undefined ? 0 : keyed.findIndex((k) => k.key > last);
    if (start < 0) start = keyed.length;
    const maxResults = typeof call.input.MaxResults === 'number' ? call.input.MaxResults : op.limitDefault;
    const size = Math.min(maxResults, op.limitMax ?? Number.POSITIVE_INFINITY);
    const page = keyed.slice(start, start + size);
    const out: Page = { [op.resultKey]: page.map((k) => k.entry) };
    if (start + size < keyed.length && page.length > 0) {
      out.NextToken = Buffer.from(JSON.stringify({ s: digest, a: page[page.length - 1]!.key }), 'utf8').toString('base64url');
    }
    return out;
  };
}
