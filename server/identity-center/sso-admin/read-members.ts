import type { InputValidator } from '../../aws/input-validator.js';
import type { PageRequest } from './paginate.js';
import { shapes } from './sso-admin-shapes.js';

/**
 * Readers for members several operations share (Tags, PortalOptions, unions, MaxResults/NextToken).
 * Each records its constraint violations on the validator, in the Coral wording, and returns what
 * it read; the caller calls `v.done()` before using the result.
 */

export type Tag = { Key: string; Value: string };

/** A TagList (0–75 tags, TagKey/TagValue patterns). Duplicate keys are refused (assumed). */
export function readTags(
  v: InputValidator,
  path = 'Tags',
  value: unknown = v.input[path],
  listOpts: { required?: boolean; min?: number; max?: number } = shapes.TagList,
): Tag[] | undefined {
  const list = v.list(path, listOpts, value);
  if (!list) return undefined;
  const tags = list.map((raw, i) => {
    const p = `${path}.${i + 1}.member`;
    const tag = v.structure(p, { required: true }, raw) ?? {};
    return {
      Key: v.string(`${p}.Key`, { required: true, ...shapes.TagKey }, tag.Key) ?? '',
      Value: v.string(`${p}.Value`, { required: true, ...shapes.TagValue }, tag.Value) ?? '',
    };
  });
  const keys = tags.map((t) => t.Key);
  if (new Set(keys).size !== keys.length) v.fail(path, keys, 'Member must not contain duplicate tag keys');
  return tags;
}

/** A list of strings, each with the same constraints: `path.N.member`. */
export function readStringList(
  v: InputValidator,
  path: string,
  value: unknown,
  listOpts: { required?: boolean; min?: number; max?: number },
  memberOpts: Parameters<InputValidator['string']>[1],
): string[] | undefined {
  const list = v.list(path, listOpts, value);
  return list?.map((raw, i) => v.string(`${path}.${i + 1}.member`, { required: true, ...memberOpts }, raw) ?? '');
}

/**
 * A union: exactly one of `members` set (null members do not count, unknown ones are ignored, as
 * awsJson deserialisers do). Returns the member set, or undefined after recording the violation.
 * The wording for "none or several set" is assumed.
 */
export function readUnion<M extends string>(v: InputValidator, path: string, value: Record<string, unknown> | undefined, members: readonly M[]): M | undefined {
  if (!value) return undefined;
  const set = members.filter((m) => value[m] !== undefined && value[m] !== null);
  if (set.length === 1) return set[0];
  v.fail(path, value, `Member must have exactly one of [${members.join(', ')}] set`);
  return undefined;
}

/** PortalOptions (CreateApplication) or UpdateApplicationPortalOptions (no Visibility). */
export function readPortalOptions(v: InputValidator, path: string, value: unknown, variant: 'create' | 'update'): Record<string, unknown> | undefined {
  const options = v.structure(path, {}, value);
  if (!options) return undefined;
  const out: Record<string, unknown> = {};
  const signIn = v.structure(`${path}.SignInOptions`, {}, options.SignInOptions);
  if (signIn) {
    const Origin = v.string(`${path}.SignInOptions.Origin`, { required: true, ...shapes.SignInOrigin }, signIn.Origin);
    const ApplicationUrl = v.string(`${path}.SignInOptions.ApplicationUrl`, shapes.ApplicationUrl, signIn.ApplicationUrl);
    out.SignInOptions = { Origin, ...(ApplicationUrl !== undefined ? { ApplicationUrl } : {}) };
  }
  if (variant === 'create') {
    const Visibility = v.string(`${path}.Visibility`, shapes.ApplicationVisibility, options.Visibility);
    if (Visibility !== undefined) out.Visibility = Visibility;
  }
  return out;
}

/**
 * MaxResults and NextToken. `defaultMax` is the page size when MaxResults is absent, and
 * `outputMax` the model's bound on the output list (a page never exceeds it).
 */
export function readPageRequest(
  v: InputValidator,
  opts: { maxShape?: { min: number; max: number }; defaultMax: number; outputMax?: number },
): PageRequest {
  const max = opts.maxShape ? v.integer('MaxResults', opts.maxShape) : undefined;
  const nextToken = v.string('NextToken', shapes.Token);
  const maxResults = Math.min(max ?? opts.defaultMax, opts.outputMax ?? Number.POSITIVE_INFINITY);
  return { maxResults, nextToken };
}
