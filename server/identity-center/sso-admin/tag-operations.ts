import { InputValidator } from '../../aws/input-validator.js';
import type { IdentityCenterState } from '../state/model.js';
import { paginate } from './paginate.js';
import { readPageRequest, readStringList, readTags, type Tag } from './read-members.js';
import { findApplication, findInstance, findTrustedTokenIssuer } from './sso-admin-lookup.js';
import { notFound, operation, quotaExceeded, type SsoAdminCall, type SsoAdminOperation } from './sso-admin-operation.js';
import { shapes } from './sso-admin-shapes.js';

/**
 * Tags on instances, applications and trusted token issuers (the lab has no permission sets; their
 * ARNs pass validation and are then not found). An InstanceArn, when given, must be the resource's
 * own instance, or the resource is not found there (assumed).
 */

/** Tags a resource can hold: the model's TagList maximum (assumed; the real quota is not published in the model). */
export const MAX_TAGS = 75;

/** The tag list of the resource `arn` names, in `state` (a draft inside mutate). */
function tagsOf(state: IdentityCenterState, call: SsoAdminCall, arn: string, instanceArn: string | undefined): Tag[] {
  let tags: Tag[];
  let inInstance: string;
  if (arn.includes(':instance/')) {
    tags = state.instances[findInstance(state, call, arn).InstanceArn]!.Tags;
    inInstance = arn;
  } else if (arn.includes(':application/')) {
    const app = state.applications[findApplication(state, call, arn).ApplicationArn]!;
    [tags, inInstance] = [app.Tags, app.InstanceArn];
  } else if (arn.includes(':trustedTokenIssuer/')) {
    const tti = state.trustedTokenIssuers[findTrustedTokenIssuer(state, call, arn).TrustedTokenIssuerArn]!;
    [tags, inInstance] = [tti.Tags, tti.InstanceArn];
  } else {
    throw notFound(call, `Resource ${arn} does not exist`, 'tti-lab has no permission sets');
  }
  if (instanceArn !== undefined && instanceArn !== inInstance) throw notFound(call, `Resource ${arn} does not exist in instance ${instanceArn}`, `it belongs to ${inInstance}`);
  return tags;
}

const readResource = (v: InputValidator) => ({
  resourceArn: v.string('ResourceArn', { required: true, ...shapes.TaggableResourceArn })!,
  instanceArn: v.string('InstanceArn', shapes.InstanceArn),
});

/** Adds tags or overwrites the values of existing keys. */
const tagResource = operation('TagResource', ['ServiceQuotaExceededException', 'ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const { resourceArn, instanceArn } = readResource(v);
  const tags = readTags(v, 'Tags', call.input.Tags, { required: true, ...shapes.TagList });
  v.done();
  return call.ic.state.mutate((s) => {
    const current = tagsOf(s, call, resourceArn, instanceArn);
    for (const tag of tags!) {
      const existing = current.find((t) => t.Key === tag.Key);
      if (existing) existing.Value = tag.Value;
      else current.push({ ...tag });
    }
    if (current.length > MAX_TAGS) throw quotaExceeded(`A resource can have at most ${MAX_TAGS} tags; ${resourceArn} would have ${current.length}`);
    return {};
  });
});

/** Keys the resource does not have are ignored. */
const untagResource = operation('UntagResource', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const { resourceArn, instanceArn } = readResource(v);
  const keys = readStringList(v, 'TagKeys', call.input.TagKeys, { required: true, ...shapes.TagKeyList }, shapes.TagKey);
  v.done();
  return call.ic.state.mutate((s) => {
    const current = tagsOf(s, call, resourceArn, instanceArn);
    const kept = current.filter((t) => !keys!.includes(t.Key));
    current.splice(0, current.length, ...kept);
    return {};
  });
});

/** No MaxResults in this model: all of a resource's tags on one page. */
const listTagsForResource = operation('ListTagsForResource', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const { resourceArn, instanceArn } = readResource(v);
  const page = readPageRequest(v, { defaultMax: MAX_TAGS });
  v.done();
  const tags = tagsOf(call.ic.state.read as IdentityCenterState, call, resourceArn, instanceArn);
  const { items, nextToken } = paginate(tags, (t) => t.Key, page, `ListTagsForResource/${resourceArn}`);
  return { Tags: items.map((t) => ({ Key: t.Key, Value: t.Value })), ...(nextToken ? { NextToken: nextToken } : {}) };
});

export const tagOperations: SsoAdminOperation[] = [tagResource, untagResource, listTagsForResource];
