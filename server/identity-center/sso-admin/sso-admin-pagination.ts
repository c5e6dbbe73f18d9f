import { paginator, type PaginationTable } from '../../aws/paginator.js';

/**
 * SSO Admin's List operations: the list each pages, its page size without MaxResults and the
 * model's bound on the output list (ListInstances' InstanceList ≤ 10, ListApplications'
 * ApplicationList ≤ 50, Scopes ≤ 10; botocore `service-2.json`). Where the model has no
 * MaxResults (ListApplicationGrants, ListApplicationAuthenticationMethods, ListTagsForResource)
 * every entry fits one page. The other defaults are the MaxResults maximum (assumed).
 */
export const SSO_ADMIN_PAGINATION: PaginationTable = {
  source: 'botocore/data/sso-admin/2020-07-20/service-2.json and paginators-1.json; defaults assumed',
  invalidTokenMessage: 'Invalid NextToken',
  operations: {
    ListInstances: { resultKey: 'Instances', uniqueAttribute: 'InstanceArn', limitDefault: 10, limitMax: 10 },
    ListTrustedTokenIssuers: { resultKey: 'TrustedTokenIssuers', uniqueAttribute: 'TrustedTokenIssuerArn', limitDefault: 100 },
    ListApplicationProviders: { resultKey: 'ApplicationProviders', uniqueAttribute: 'ApplicationProviderArn', limitDefault: 100 },
    ListApplications: { resultKey: 'Applications', uniqueAttribute: 'ApplicationArn', limitDefault: 50, limitMax: 50 },
    /** Four grant types at most; their names sort in the model's GrantType order. */
    ListApplicationGrants: { resultKey: 'Grants', uniqueAttribute: 'GrantType', limitDefault: 4 },
    ListApplicationAuthenticationMethods: { resultKey: 'AuthenticationMethods', uniqueAttribute: 'AuthenticationMethodType', limitDefault: 1 },
    ListApplicationAccessScopes: { resultKey: 'Scopes', uniqueAttribute: 'Scope', limitDefault: 10, limitMax: 10 },
    ListApplicationAssignments: { resultKey: 'ApplicationAssignments', uniqueAttribute: ['PrincipalType', 'PrincipalId'], limitDefault: 100 },
    ListApplicationAssignmentsForPrincipal: { resultKey: 'ApplicationAssignments', uniqueAttribute: 'ApplicationArn', limitDefault: 100 },
    /** The TagList maximum: all of a resource's tags on one page. */
    ListTagsForResource: { resultKey: 'Tags', uniqueAttribute: 'Key', limitDefault: 75 },
  },
};

/** One page of an SSO Admin list (server/aws/paginator.ts). */
export const paginate = paginator(SSO_ADMIN_PAGINATION);
