import { ModelPattern } from '../../aws/input-validator.js';
import type { ConstraintTable } from '../../aws/model/constraint-table.js';

/**
 * What the Identity Store's model says and the SDK's schemas leave out: lengths and patterns, as
 * botocore's `identitystore/2020-06-15/service-2.json` states them, keyed by the model's shape
 * name. Patterns keep the model's text, so validation messages quote it exactly as AWS does.
 */

const PRINTABLE = '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+';

export const IDENTITY_STORE_CONSTRAINTS = {
  source: 'botocore/data/identitystore/2020-06-15/service-2.json (Photos, Roles: newer than that file, limits assumed)',
  shapes: {
    IdentityStoreId: {
      min: 1,
      max: 36,
      pattern: new ModelPattern('d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'),
    },
    /** UserId, GroupId, MembershipId. */
    ResourceId: {
      min: 1,
      max: 47,
      pattern: new ModelPattern('([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}'),
    },
    UserName: { min: 1, max: 128, pattern: new ModelPattern(PRINTABLE) },
    GroupDisplayName: { min: 1, max: 1024, pattern: new ModelPattern('[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r \u00a0]+') },
    SensitiveStringType: { min: 1, max: 1024, pattern: new ModelPattern('[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r \u00a0\u3000]+') },
    ExternalIdIssuer: {
      min: 1,
      max: 100,
      // JavaScript has no inline (?i): the same lookahead, spelled out.
      pattern: new ModelPattern(`(?!(?i)(arn|aws):)${PRINTABLE}`, `(?![Aa][Rr][Nn]:|[Aa][Ww][Ss]:)${PRINTABLE}`),
    },
    ExternalIdIdentifier: { min: 1, max: 256, pattern: new ModelPattern(PRINTABLE) },
    AttributePath: { min: 1, max: 255, pattern: new ModelPattern('\\p{L}+(?:\\.\\p{L}+){0,2}') },
    NextToken: { min: 1, max: 65535, pattern: new ModelPattern('[-a-zA-Z0-9+=/:_]*') },
    MaxResults: { min: 1, max: 100 },
    ExtensionName: { min: 1, max: 100 },
    /** Emails, Addresses, PhoneNumbers hold exactly one entry in the model. */
    Emails: { min: 1, max: 1 },
    Addresses: { min: 1, max: 1 },
    PhoneNumbers: { min: 1, max: 1 },
    /** Newer than the botocore file read; assumed (SDK documentation: "up to 3 photos"). */
    Photos: { min: 1, max: 3 },
    Roles: { min: 1, max: 1 },
    ExternalIds: { min: 1, max: 10 },
    Filters: { min: 0, max: 1 },
    AttributeOperations: { min: 1, max: 100 },
    GroupIds: { min: 1, max: 100 },
  },
  members: {
    '*.UserId': 'ResourceId',
    '*.GroupId': 'ResourceId',
    '*.MembershipId': 'ResourceId',
    'GroupIds.member': 'ResourceId',
    'DescribeUserRequest.Extensions': 'ExtensionNames',
    'ListUsersRequest.Extensions': 'ExtensionNames',
    'ExtensionNames.member': 'ExtensionName',
  },
} as const satisfies ConstraintTable;
