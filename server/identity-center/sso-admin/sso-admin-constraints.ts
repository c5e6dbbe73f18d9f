import { ModelPattern } from '../../aws/input-validator.js';
import type { ConstraintTable } from '../../aws/model/constraint-table.js';

/**
 * What SSO Admin's model says and the SDK's schemas leave out: each input shape's length, range
 * and pattern, as botocore's `sso-admin/2020-07-20/service-2.json` states them, keyed by the
 * model's shape name. Patterns keep the model's text, so a ValidationException quotes it exactly as
 * AWS does. The SDK's enums give the allowed values; the enums listed here are those whose values
 * the SDK sorts (by constant name) into another order than the model's, which Coral's message
 * (`Member must satisfy enum value set: [ENABLED, DISABLED]`) keeps.
 */

const PARTITION = 'arn:aws(-[a-z]{1,5}){0,3}';
const INSTANCE_ID = '(sso)?ins-[a-zA-Z0-9-.]{16}';
const TTI_ID = 'tti-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}';
const TAG_TEXT = new ModelPattern('([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)');
const NAME = new ModelPattern('[\\w+=,.@-]+');

export const SSO_ADMIN_CONSTRAINTS: ConstraintTable = {
  source: 'botocore/data/sso-admin/2020-07-20/service-2.json',
  shapes: {
    InstanceArn: { min: 10, max: 1224, pattern: new ModelPattern(`${PARTITION}:sso:::instance/${INSTANCE_ID}`) },
    ApplicationArn: { min: 10, max: 1224, pattern: new ModelPattern(`${PARTITION}:sso::\\d{12}:application/${INSTANCE_ID}/apl-[a-zA-Z0-9]{16}`) },
    TrustedTokenIssuerArn: { min: 10, max: 1224, pattern: new ModelPattern(`${PARTITION}:sso::\\d{12}:trustedTokenIssuer/${INSTANCE_ID}/${TTI_ID}`) },
    ApplicationProviderArn: { min: 10, max: 1224, pattern: new ModelPattern(`${PARTITION}:sso::aws:applicationProvider/[a-zA-Z0-9-/]+`) },
    TaggableResourceArn: {
      min: 10,
      max: 2048,
      pattern: new ModelPattern(
        `${PARTITION}:sso::((:instance/${INSTANCE_ID})|(:permissionSet/${INSTANCE_ID}/ps-[a-zA-Z0-9-./]{16})|(\\d{12}:application/${INSTANCE_ID}/apl-[a-zA-Z0-9]{16})|(\\d{12}:trustedTokenIssuer/${INSTANCE_ID}/${TTI_ID}))`,
      ),
    },
    ScopeTarget: { min: 1, max: 100, pattern: new ModelPattern(`${PARTITION}:sso::(\\d{12}:application/${INSTANCE_ID}/apl-[a-zA-Z0-9]{16}|:instance/${INSTANCE_ID})`) },
    KmsKeyArn: {
      min: 20,
      max: 2048,
      pattern: new ModelPattern(`${PARTITION}:kms:([a-z]{2,}(-[a-z0-9]+)+){1}:[0-9]{12}:key/(mrk-[a-f0-9]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`),
    },
    /** Instance name: min 0, yet the pattern needs one character, so '' fails on the pattern. */
    NameType: { min: 0, max: 255, pattern: NAME },
    TrustedTokenIssuerName: { min: 1, max: 255, pattern: NAME },
    ApplicationNameType: { min: 1, max: 100, pattern: new ModelPattern('[\\S\\s]*') },
    Description: { min: 1, max: 128 },
    ClientToken: { min: 1, max: 64, pattern: new ModelPattern('[!-~]+') },
    TagKey: { min: 1, max: 128, pattern: TAG_TEXT },
    TagValue: { min: 0, max: 256, pattern: TAG_TEXT },
    TrustedTokenIssuerUrl: { min: 1, max: 512, pattern: new ModelPattern('https?:\\/\\/[-a-zA-Z0-9+&@\\/%=~_|!:,.;]*[-a-zA-Z0-9+&@\\/%=~_|]') },
    /** `\_` is the model's text; JavaScript's `u` mode wants a plain `_`. */
    ClaimAttributePath: { min: 1, max: 255, pattern: new ModelPattern('\\p{L}+(?:(\\.|\\_)\\p{L}+){0,2}', '\\p{L}+(?:(\\.|_)\\p{L}+){0,2}') },
    /** IdentityStoreAttributePath's shape. */
    JMESPath: { min: 1, max: 255, pattern: new ModelPattern('\\p{L}+(?:\\.\\p{L}+){0,2}') },
    Token: { min: 0, max: 2048, pattern: new ModelPattern('[-a-zA-Z0-9+=/_]*') },
    AccountId: { min: 12, max: 12, pattern: new ModelPattern('\\d{12}') },
    PrincipalId: { min: 1, max: 47, pattern: new ModelPattern('([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}') },
    /** Access scope; the model gives no length, only the pattern. */
    Scope: { pattern: new ModelPattern('([A-Za-z0-9_]{1,50})(:[A-Za-z0-9_]{1,50}){0,1}(:[A-Za-z0-9_]{1,50}){0,1}') },
    TokenIssuerAudience: { min: 1, max: 512 },
    ApplicationUrl: { min: 1, max: 512, pattern: new ModelPattern('http(s)?:\\/\\/[-a-zA-Z0-9+&@#\\/%?=~_|!:,.;]*[-a-zA-Z0-9+&bb@#\\/%?=~_|]') },

    MaxResults: { min: 1, max: 100 },
    ListApplicationAccessScopesRequestMaxResultsInteger: { min: 1, max: 10 },

    TagList: { min: 0, max: 75 },
    TagKeyList: { min: 1, max: 75 },
    RedirectUris: { min: 1, max: 10 },
    AuthorizedTokenIssuers: { min: 1, max: 10 },
    TokenIssuerAudiences: { min: 1, max: 10 },
    ScopeTargets: { min: 1, max: 10 },

    // The model's order (the SDK's is alphabetical by constant name).
    ApplicationStatus: { enum: ['ENABLED', 'DISABLED'] },
    ApplicationVisibility: { enum: ['ENABLED', 'DISABLED'] },
    SignInOrigin: { enum: ['IDENTITY_CENTER', 'APPLICATION'] },
    PrincipalType: { enum: ['USER', 'GROUP'] },
    GrantType: {
      enum: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'urn:ietf:params:oauth:grant-type:token-exchange'],
    },
  },
  members: {
    'CreateInstanceRequest.Name': 'NameType',
    'UpdateInstanceRequest.Name': 'NameType',
    'CreateTrustedTokenIssuerRequest.Name': 'TrustedTokenIssuerName',
    'UpdateTrustedTokenIssuerRequest.Name': 'TrustedTokenIssuerName',
    'CreateApplicationRequest.Name': 'ApplicationNameType',
    'UpdateApplicationRequest.Name': 'ApplicationNameType',
    '*.Status': 'ApplicationStatus',
    '*.NextToken': 'Token',
    '*.ResourceArn': 'TaggableResourceArn',
    '*.IdentityStoreAttributePath': 'JMESPath',
    'ListApplicationAccessScopesRequest.MaxResults': 'ListApplicationAccessScopesRequestMaxResultsInteger',
    'Tag.Key': 'TagKey',
    'Tag.Value': 'TagValue',
    'UntagResourceRequest.TagKeys': 'TagKeyList',
    'TagKeyList.member': 'TagKey',
    'EncryptionConfiguration.KeyType': 'KmsKeyType',
    'OidcJwtConfiguration.IssuerUrl': 'TrustedTokenIssuerUrl',
    'SignInOptions.Origin': 'SignInOrigin',
    'PortalOptions.Visibility': 'ApplicationVisibility',
    'ListApplicationsFilter.ApplicationAccount': 'AccountId',
    'ListApplicationsFilter.ApplicationProvider': 'ApplicationProviderArn',
    'AuthorizedTokenIssuer.AuthorizedAudiences': 'TokenIssuerAudiences',
    'TokenIssuerAudiences.member': 'TokenIssuerAudience',
    'PutApplicationAccessScopeRequest.AuthorizedTargets': 'ScopeTargets',
    'ScopeTargets.member': 'ScopeTarget',
  },
};
