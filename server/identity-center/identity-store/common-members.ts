import type { InputValidator } from '../../aws/input-validator.js';
import { shapes } from './identity-store-shapes.js';

/** Readers for the members most operations share, with the model's constraints. */
export const commonMembers = {
  identityStoreId(v: InputValidator): string {
    return v.string('IdentityStoreId', { required: true, ...shapes.IdentityStoreId }) ?? '';
  },

  /** UserId, GroupId, MembershipId (shape ResourceId). */
  resourceId(v: InputValidator, path: string, value: unknown = v.input[path], required = true): string {
    return v.string(path, { required, ...shapes.ResourceId }, value) ?? '';
  },

  /** The MemberId union: today it has one member, UserId. */
  memberId(v: InputValidator, path = 'MemberId'): string {
    const member = v.structure(path, { required: true });
    if (!member) return '';
    return commonMembers.resourceId(v, `${path}.UserId`, member.UserId);
  },

  paging(v: InputValidator): { maxResults: number | undefined; nextToken: string | undefined } {
    return {
      maxResults: v.integer('MaxResults', shapes.MaxResults),
      nextToken: v.string('NextToken', shapes.NextToken),
    };
  },

  /** DescribeUser's and ListUsers' `Extensions`: names of extensions to return. */
  extensionNames(v: InputValidator): string[] {
    const list = v.list('Extensions', {}) ?? [];
    return list.map((name, i) => v.string(`Extensions.${i + 1}.member`, { required: true, min: 1, max: 100 }, name) ?? '');
  },
};
