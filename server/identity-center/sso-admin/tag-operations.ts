import type { IdentityCenterState, InstanceRecord } from '../state/model.js';
import { findApplication, findInstance, findTrustedTokenIssuer } from './sso-admin-lookup.js';
import { notFound, quotaExceeded, type SsoAdminCall, type SsoAdminHandlers } from './sso-admin-operation.js';
import { paginate } from './sso-admin-pagination.js';

/**
 * Tags on instances, applications and trusted token issuers (the lab has no permission sets; their
 * ARNs pass validation and are then not found). An InstanceArn, when given, must be the resource's
 * own instance, or the resource is not found there (assumed).
 */

/** Tags a resource can hold: the model's TagList maximum (assumed; the real quota is not published in the model). */
export const MAX_TAGS = 75;

type Tag = InstanceRecord['Tags'][number];

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

const resource = (call: { input: Record<string, unknown> }) => ({ resourceArn: call.input.ResourceArn as string, instanceArn: call.input.InstanceArn as string | undefined });

export const tagHandlers: SsoAdminHandlers = {
  /** Adds tags or overwrites the values of existing keys. */
  TagResource(call) {
    const { resourceArn, instanceArn } = resource(call);
    const tags = call.input.Tags as Tag[];
    return call.ic.state.mutate((s) => {
      const current = tagsOf(s, call, resourceArn, instanceArn);
      for (const tag of tags) {
        const existing = current.find((t) => t.Key === tag.Key);
        if (existing) existing.Value = tag.Value;
        else current.push({ ...tag });
      }
      if (current.length > MAX_TAGS) throw quotaExceeded(`A resource can have at most ${MAX_TAGS} tags; ${resourceArn} would have ${current.length}`);
      return {};
    });
  },

  /** Keys the resource does not have are ignored. */
  UntagResource(call) {
    const { resourceArn, instanceArn } = resource(call);
    const keys = call.input.TagKeys as string[];
    return call.ic.state.mutate((s) => {
      const current = tagsOf(s, call, resourceArn, instanceArn);
      const kept = current.filter((t) => !keys.includes(t.Key));
      current.splice(0, current.length, ...kept);
      return {};
    });
  },

  /** No MaxResults in this model: all of a resource's tags on one page. */
  ListTagsForResource(call) {
    const { resourceArn, instanceArn } = resource(call);
    const tags = tagsOf(call.ic.state.read as IdentityCenterState, call, resourceArn, instanceArn);
    return paginate(call, tags.map((t) => ({ Key: t.Key, Value: t.Value })));
  },
};
