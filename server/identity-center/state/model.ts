/**
 * The Identity Center emulator's persistent state. Records use the AWS wire member names
 * (PascalCase), so an operation's output is mostly a projection of a record. Times are epoch seconds
 * (what awsJson sends for timestamps).
 */

export type InstanceType = 'ORGANIZATION' | 'ACCOUNT';

export interface InstanceRecord {
  InstanceArn: string;
  IdentityStoreId: string;
  OwnerAccountId: string;
  Name?: string;
  CreatedDate: number;
  Status: 'CREATE_IN_PROGRESS' | 'DELETE_IN_PROGRESS' | 'ACTIVE';
  /** Kept by the lab (not in the real API's output): how the instance was enabled. */
  InstanceType: InstanceType;
  Tags: { Key: string; Value: string }[];
  /** UpdateInstance's EncryptionConfiguration, once set (no KMS behind it in the lab). */
  EncryptionConfiguration?: { KeyType: 'AWS_OWNED_KMS_KEY' | 'CUSTOMER_MANAGED_KEY'; KmsKeyArn?: string };
}

export interface OidcJwtConfiguration {
  IssuerUrl: string;
  ClaimAttributePath: string;
  IdentityStoreAttributePath: string;
  JwksRetrievalOption: 'OPEN_ID_DISCOVERY';
}

export interface TrustedTokenIssuerRecord {
  TrustedTokenIssuerArn: string;
  InstanceArn: string;
  Name: string;
  TrustedTokenIssuerType: 'OIDC_JWT';
  TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: OidcJwtConfiguration };
  Tags: { Key: string; Value: string }[];
}

export type GrantType =
  | 'authorization_code'
  | 'refresh_token'
  | 'urn:ietf:params:oauth:grant-type:jwt-bearer'
  | 'urn:ietf:params:oauth:grant-type:token-exchange';

export interface AuthorizedTokenIssuer {
  TrustedTokenIssuerArn: string;
  AuthorizedAudiences: string[];
}

/** The `Grant` union as PutApplicationGrant takes it. */
export type Grant =
  | { AuthorizationCode: { RedirectUris?: string[] } }
  | { JwtBearer: { AuthorizedTokenIssuers?: AuthorizedTokenIssuer[] } }
  | { RefreshToken: Record<string, never> }
  | { TokenExchange: Record<string, never> };

export interface AccessScopeRecord {
  Scope: string;
  AuthorizedTargets?: string[];
}

export interface ApplicationAssignmentRecord {
  PrincipalId: string;
  PrincipalType: 'USER' | 'GROUP';
}

export interface ApplicationRecord {
  ApplicationArn: string;
  ApplicationProviderArn: string;
  InstanceArn: string;
  ApplicationAccount: string;
  Name: string;
  Description?: string;
  Status: 'ENABLED' | 'DISABLED';
  PortalOptions?: Record<string, unknown>;
  CreatedDate: number;
  /** The region the application was created from (DescribeApplication's CreatedFrom). */
  CreatedFrom?: string;
  Tags: { Key: string; Value: string }[];
  Grants: Partial<Record<GrantType, Grant>>;
  /** Keyed by AuthenticationMethodType ('IAM'); value is the AuthenticationMethod union ({ Iam: { ActorPolicy } }). */
  AuthenticationMethods: Partial<Record<'IAM', { Iam: { ActorPolicy: unknown } }>>;
  AccessScopes: Record<string, AccessScopeRecord>;
  Assignments: ApplicationAssignmentRecord[];
  /** PutApplicationAssignmentConfiguration; default true. */
  AssignmentRequired: boolean;
  /**
   * The application's OAuth client id, its idTokens' `aud` (16 random bytes + region, base64url):
   * made the first time the application is issued tokens, then kept. Not an SSO Admin member.
   */
  OAuthClientId?: string;
}

export interface UserRecord {
  UserId: string;
  IdentityStoreId: string;
  UserName: string;
  DisplayName?: string;
  Name?: Record<string, string>;
  NickName?: string;
  ProfileUrl?: string;
  Emails?: { Value?: string; Type?: string; Primary?: boolean }[];
  Addresses?: Record<string, unknown>[];
  PhoneNumbers?: { Value?: string; Type?: string; Primary?: boolean }[];
  UserType?: string;
  Title?: string;
  PreferredLanguage?: string;
  Locale?: string;
  Timezone?: string;
  ExternalIds?: { Issuer: string; Id: string }[];
  /** Members newer SDKs know (2025): Website, Birthdate (YYYY-MM-DD), Photos, Roles. */
  Website?: string;
  Birthdate?: string;
  Photos?: { Value: string; Type?: string; Display?: string; Primary?: boolean }[];
  Roles?: { Value?: string; Type?: string; Primary?: boolean }[];
  /** Extension name (`aws:identitystore:enterprise`) → its document; returned only when asked for. */
  Extensions?: Record<string, unknown>;
  UserStatus?: 'ENABLED' | 'DISABLED';
  /** Audit members (epoch seconds; who: the caller's ARN). Absent on records made before they existed. */
  CreatedAt?: number;
  CreatedBy?: string;
  UpdatedAt?: number;
  UpdatedBy?: string;
  [member: string]: unknown;
}

export interface GroupRecord {
  GroupId: string;
  IdentityStoreId: string;
  DisplayName: string;
  Description?: string;
  ExternalIds?: { Issuer: string; Id: string }[];
  CreatedAt?: number;
  CreatedBy?: string;
  UpdatedAt?: number;
  UpdatedBy?: string;
}

export interface GroupMembershipRecord {
  MembershipId: string;
  IdentityStoreId: string;
  GroupId: string;
  MemberId: { UserId: string };
  CreatedAt?: number;
  CreatedBy?: string;
  UpdatedAt?: number;
  UpdatedBy?: string;
}

export interface IdentityStoreRecord {
  IdentityStoreId: string;
  Users: Record<string, UserRecord>;
  Groups: Record<string, GroupRecord>;
  Memberships: Record<string, GroupMembershipRecord>;
}

/** A ClientToken seen before: the same token with the same input returns the same result. */
export interface IdempotencyRecord {
  operation: string;
  inputHash: string;
  result: unknown;
  at: number;
}

/** An S3 Access Grants location: a scope (s3://, s3://bucket, s3://bucket/prefix) and the IAM role GetDataAccess assumes for it. */
export interface AccessGrantsLocationRecord {
  AccessGrantsLocationId: string;
  AccessGrantsLocationArn: string;
  LocationScope: string;
  IAMRoleArn: string;
  CreatedAt: number;
  Tags: { Key: string; Value: string }[];
}

export interface AccessGrantRecord {
  AccessGrantId: string;
  AccessGrantArn: string;
  Grantee: { GranteeType: 'DIRECTORY_USER' | 'DIRECTORY_GROUP' | 'IAM'; GranteeIdentifier: string };
  Permission: 'READ' | 'WRITE' | 'READWRITE';
  AccessGrantsLocationId: string;
  AccessGrantsLocationConfiguration?: { S3SubPrefix?: string };
  /** The location's scope with the sub-prefix appended: what the grant covers. */
  GrantScope: string;
  ApplicationArn?: string;
  S3PrefixType?: 'Object';
  CreatedAt: number;
  Tags: { Key: string; Value: string }[];
}

/** An account's S3 Access Grants instance (one per account and Region), its locations and grants. */
export interface AccessGrantsInstanceRecord {
  AccessGrantsInstanceId: string;
  AccessGrantsInstanceArn: string;
  AccountId: string;
  CreatedAt: number;
  /** The associated Identity Center instance, when there is one (directory grantees need it). */
  IdentityCenterArn?: string;
  IdentityCenterApplicationArn?: string;
  Tags: { Key: string; Value: string }[];
  Locations: Record<string, AccessGrantsLocationRecord>;
  Grants: Record<string, AccessGrantRecord>;
}

export interface IdentityCenterState {
  version: 1;
  instances: Record<string, InstanceRecord>;
  trustedTokenIssuers: Record<string, TrustedTokenIssuerRecord>;
  applications: Record<string, ApplicationRecord>;
  identityStores: Record<string, IdentityStoreRecord>;
  clientTokens: Record<string, IdempotencyRecord>;
  /** S3 Access Grants instances by account id (absent in state written before they existed). */
  accessGrants?: Record<string, AccessGrantsInstanceRecord>;
}

export const emptyState = (): IdentityCenterState => ({
  version: 1,
  instances: {},
  trustedTokenIssuers: {},
  applications: {},
  identityStores: {},
  clientTokens: {},
  accessGrants: {},
});
