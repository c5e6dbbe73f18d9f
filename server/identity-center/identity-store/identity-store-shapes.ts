import { ModelPattern } from '../../aws/input-validator.js';

/**
 * The Identity Store model's constraints, as botocore's
 * `identitystore/2020-06-15/service-2.json` states them (min, max, pattern). Patterns keep the
 * model's text, so validation messages quote it exactly as AWS does.
 */

const PRINTABLE = '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+';

export const shapes = {
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
  UserName: { min: 1, max: 128, pattern: new ModelPattern(PRINTABLE), sensitive: true },
  GroupDisplayName: { min: 1, max: 1024, pattern: new ModelPattern('[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r \u00a0]+'), sensitive: true },
  SensitiveString: { min: 1, max: 1024, pattern: new ModelPattern('[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r \u00a0\u3000]+'), sensitive: true },
  ExternalIdIssuer: {
    min: 1,
    max: 100,
    // JavaScript has no inline (?i): the same lookahead, spelled out.
    pattern: new ModelPattern(`(?!(?i)(arn|aws):)${PRINTABLE}`, `(?![Aa][Rr][Nn]:|[Aa][Ww][Ss]:)${PRINTABLE}`),
    sensitive: true,
  },
  ExternalIdIdentifier: { min: 1, max: 256, pattern: new ModelPattern(PRINTABLE), sensitive: true },
  AttributePath: { min: 1, max: 255, pattern: new ModelPattern('\\p{L}+(?:\\.\\p{L}+){0,2}') },
  NextToken: { min: 1, max: 65535, pattern: new ModelPattern('[-a-zA-Z0-9+=/:_]*') },
  MaxResults: { min: 1, max: 100 },
  /** List lengths: Emails, Addresses, PhoneNumbers hold exactly one entry in the model. */
  Emails: { min: 1, max: 1 },
  Addresses: { min: 1, max: 1 },
  PhoneNumbers: { min: 1, max: 1 },
  /** Photos and Roles are newer than the botocore model read; limits assumed (SDK docs: "up to 3 photos"). */
  Photos: { min: 1, max: 3 },
  Roles: { min: 1, max: 1 },
  ExternalIds: { min: 1, max: 10 },
  Filters: { min: 0, max: 1 },
  AttributeOperations: { min: 1, max: 100 },
  GroupIds: { min: 1, max: 100 },
} as const;

/** The only extension name the service knows (SDK documentation). */
export const ENTERPRISE_EXTENSION = 'aws:identitystore:enterprise';

/** "Administrator and AWSAdministrators are reserved names and can't be used for users or groups" (model documentation). */
export const RESERVED_NAMES = ['administrator', 'awsadministrators'];
