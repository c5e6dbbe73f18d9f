import { paginator, type PaginationTable } from '../../aws/paginator.js';

/**
 * The Identity Store's List operations: ordered by id (the real order is unknown), 100 per page
 * without MaxResults (assumed: the model's maximum).
 */
export const IDENTITY_STORE_PAGINATION: PaginationTable = {
  source: 'botocore/data/identitystore/2020-06-15/paginators-1.json; order and default assumed',
  invalidTokenMessage: 'The pagination token is invalid.',
  operations: {
    ListUsers: { resultKey: 'Users', uniqueAttribute: 'UserId', limitDefault: 100 },
    ListGroups: { resultKey: 'Groups', uniqueAttribute: 'GroupId', limitDefault: 100 },
    ListGroupMemberships: { resultKey: 'GroupMemberships', uniqueAttribute: 'MembershipId', limitDefault: 100 },
    ListGroupMembershipsForMember: { resultKey: 'GroupMemberships', uniqueAttribute: 'MembershipId', limitDefault: 100 },
  },
};

/** One page of an Identity Store list (server/aws/paginator.ts). */
export const paginate = paginator(IDENTITY_STORE_PAGINATION);
