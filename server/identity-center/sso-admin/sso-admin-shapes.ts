import { modelPattern } from './model-pattern.js';

/**
 * SSO Admin's input constraints, as botocore's `sso-admin/2020-07-20/service-2.json` states them
 * (min, max, pattern, enum), keyed by the model's shape name. Patterns keep the model's text, so a
 * ValidationException quotes it exactly as AWS does. Spread an entry into InputValidator's options:
 * `v.string('InstanceArn', { required: true, ...shapes.InstanceArn })`.
 */

const PARTITION = 'arn:aws(-[a-z]{1,5}){0,3}';
const INSTANCE_ID = '(sso)?ins-[a-zA-Z0-9-.]{16}';
const TTI_ID = 'tti-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}';

export const shapes = {
  InstanceArn: { min: 10, max: 1224, pattern: modelPattern(`${PARTITION}:sso:::instance/${INSTANCE_ID}`) },
  ApplicationArn: { min: 10, max: 1224, pattern: modelPattern(`${PARTITION}:sso::\\d{12}:application/${INSTANCE_ID}/apl-[a-zA-Z0-9]{16}`) },
  TrustedTokenIssuerArn: { min: 10, max: 1224, pattern: modelPattern(`${PARTITION}:sso::\\d{12}:trustedTokenIssuer/${INSTANCE_ID}/${TTI_ID}`) },
  ApplicationProviderArn: { min: 10, max: 1224, pattern: modelPattern(`${PARTITION}:sso::aws:applicationProvider/[a-zA-Z0-9-/]+`) },
  TaggableResourceArn: {
    min: 10,
    max: 2048,
    pattern: modelPattern(
      `${PARTITION}:sso::((:instance/${INSTANCE_ID})|(:permissionSet/${INSTANCE_ID}/ps-[a-zA-Z0-9-./]{16})|(\\d{12}:application/${INSTANCE_ID}/apl-[a-zA-Z0-9]{16})|(\\d{12}:trustedTokenIssuer/${INSTANCE_ID}/${TTI_ID}))`,
    ),
  },
  ScopeTarget: { min: 1, max: 100, pattern: modelPattern(`${PARTITION}:sso::(\\d{12}:application/${INSTANCE_ID}/apl-[a-zA-Z0-9]{16}|:instance/${INSTANCE_ID})`) },
  KmsKeyArn: {
    min: 20,
    max: 2048,
    pattern: modelPattern(`${PARTITION}:kms:([a-z]{2,}(-[a-z0-9]+)+){1}:[0-9]{12}:key/(mrk-[a-f0-9]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`),
  },

  /** Instance name: min 0, yet the pattern needs one character, so '' fails on the pattern. */
  NameType: { min: 0, max: 255, pattern: modelPattern('[\\w+=,.@-]+') },
  TrustedTokenIssuerName: { min: 1, max: 255, pattern: modelPattern('[\\w+=,.@-]+') },
  ApplicationNameType: { min: 1, max: 100, pattern: modelPattern('[\\S\\s]*') },
  Description: { min: 1, max: 128 },
  ClientToken: { min: 1, max: 64, pattern: modelPattern('[!-~]+') },
  TagKey: { min: 1, max: 128, pattern: modelPattern('([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)') },
  TagValue: { min: 0, max: 256, pattern: modelPattern('([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)') },
  TrustedTokenIssuerUrl: { min: 1, max: 512, pattern: modelPattern('https?:\\/\\/[-a-zA-Z0-9+&@\\/%=~_|!:,.;]*[-a-zA-Z0-9+&@\\/%=~_|]') },
  /** `\_` is the model's text; JavaScript's `u` mode wants a plain `_`. */
  ClaimAttributePath: { min: 1, max: 255, pattern: modelPattern('\\p{L}+(?:(\\.|\\_)\\p{L}+){0,2}', '\\p{L}+(?:(\\.|_)\\p{L}+){0,2}') },
  /** IdentityStoreAttributePath. */
  JMESPath: { min: 1, max: 255, pattern: modelPattern('\\p{L}+(?:\\.\\p{L}+){0,2}') },
  Token: { min: 0, max: 2048, pattern: modelPattern('[-a-zA-Z0-9+=/_]*') },
  AccountId: { min: 12, max: 12, pattern: modelPattern('\\d{12}') },
  PrincipalId: { min: 1, max: 47, pattern: modelPattern('([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}') },
  /** Access scope; the model gives no length, only the pattern. */
  Scope: { pattern: modelPattern('([A-Za-z0-9_]{1,50})(:[A-Za-z0-9_]{1,50}){0,1}(:[A-Za-z0-9_]{1,50}){0,1}') },
  TokenIssuerAudience: { min: 1, max: 512 },
  ApplicationUrl: { min: 1, max: 512, pattern: modelPattern('http(s)?:\\/\\/[-a-zA-Z0-9+&@#\\/%?=~_|!:,.;]*[-a-zA-Z0-9+&bb@#\\/%?=~_|]') },

  MaxResults: { min: 1, max: 100 },
  ListApplicationAccessScopesRequestMaxResultsInteger: { min: 1, max: 10 },

  TagList: { min: 0, max: 75 },
  TagKeyList: { min: 1, max: 75 },
  RedirectUris: { min: 1, max: 10 },
  AuthorizedTokenIssuers: { min: 1, max: 10 },
  TokenIssuerAudiences: { min: 1, max: 10 },
  ScopeTargets: { min: 1, max: 10 },

  TrustedTokenIssuerType: { enum: ['OIDC_JWT'] },
  JwksRetrievalOption: { enum: ['OPEN_ID_DISCOVERY'] },
  ApplicationStatus: { enum: ['ENABLED', 'DISABLED'] },
  ApplicationVisibility: { enum: ['ENABLED', 'DISABLED'] },
  SignInOrigin: { enum: ['IDENTITY_CENTER', 'APPLICATION'] },
  GrantType: {
    enum: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'urn:ietf:params:oauth:grant-type:token-exchange'],
  },
  AuthenticationMethodType: { enum: ['IAM'] },
  PrincipalType: { enum: ['USER', 'GROUP'] },
  KmsKeyType: { enum: ['AWS_OWNED_KMS_KEY', 'CUSTOMER_MANAGED_KEY'] },
} as const;

/**
 * List sizes of outputs the model bounds: a page never holds more, whatever MaxResults says
 * (ListInstances' InstanceList ≤ 10, ListApplications' ApplicationList ≤ 50, Scopes ≤ 10).
 */
export const outputListMax = {
  InstanceList: 10,
  ApplicationList: 50,
  Scopes: 10,
} as const;
