import type { SigningAlgorithm } from '../../shared/signing-algorithm.js';
import type { MintVariant } from '../../server/issuer/mint/mint-token.js';

/**
 * A harness scenario: the Identity Center resources it needs (created through the real operations
 * on whichever target runs it) and the calls it makes, each with an optional expectation. Any string
 * may hold `${…}` expressions (template.ts) for what a target assigns: ARNs, ids, URLs, earlier
 * steps' tokens. One scenario per YAML file, or several under `scenarios:`.
 */
export interface Scenario {
  /** Unique across a run; kebab-case. */
  name: string;
  description: string;
  tags: string[];
  setup: ScenarioSetup;
  steps: ScenarioStep[];
  /** The file it came from (set by the loader). */
  file: string;
}

export interface ScenarioSetup {
  /** `existing`: the target's instance (the lab's organization instance, or --instance-arn). `account`: a new account instance (CreateInstance), deleted afterwards. */
  instance: 'existing' | 'account';
  /** Token issuers the scenario signs with. Default: one, `idp`, RS256. */
  issuers: { name: string; algorithm: SigningAlgorithm }[];
  /** Default: one, `idp`, mapping the `email` claim to `emails.value`. */
  trusted_token_issuers: ScenarioTrustedTokenIssuer[];
  users: ScenarioUser[];
  groups: ScenarioGroup[];
  applications: ScenarioApplication[];
  /** Names of IAM roles AssumeRole steps use (a role whose trust policy allows sts:AssumeRole and sts:SetContext), and access grants locations. */
  roles: string[];
  /** An S3 Access Grants instance associated with the instance in use, its locations and grants; left out, none is made. */
  access_grants?: ScenarioAccessGrants;
}

export interface ScenarioAccessGrants {
  /** `name` is the scenario's (references: `${access_grants.location.<name>.id}`); `role` a scenario role, assumed by GetDataAccess. */
  locations: { name: string; scope: string; role: string }[];
  /** `grantee`: a scenario user, `group:<name>`, or `role:<name>` (an IAM grantee). Default name `grant<N>`. */
  grants: { name: string; location: string; sub_prefix?: string; grantee: string; permission: 'READ' | 'WRITE' | 'READWRITE' }[];
}

export interface ScenarioTrustedTokenIssuer {
  name: string;
  /** The scenario issuer whose URL becomes the IssuerUrl. */
  issuer: string;
  /** Or an explicit IssuerUrl (a template), to register a URL that differs from the issuer's. */
  issuer_url?: string;
  claim_attribute_path: string;
  identity_store_attribute_path: string;
}

export interface ScenarioUser {
  /** The scenario's name for the user (references: `user.<name>.id`, assignments, mint `user:`). */
  name: string;
  /** Default `<name>-${ns}`: unique per run, since a real identity store is shared. */
  user_name: string;
  display_name?: string;
  emails: string[];
  external_ids: { issuer: string; id: string }[];
}

export interface ScenarioGroup {
  name: string;
  /** Default `<name>-${ns}`. */
  display_name: string;
  members: string[];
}

export interface ScenarioApplication {
  name: string;
  /** Sets PutApplicationAssignmentConfiguration explicitly; left out, the service default applies (true). */
  assignment_required?: boolean;
  grants: {
    jwt_bearer?: { trusted_token_issuer: string; audiences: string[] }[];
    refresh_token?: boolean;
    token_exchange?: boolean;
    authorization_code?: { redirect_uris: string[] };
  };
  /** Default true: an IAM authentication method whose ActorPolicy allows the harness's caller account. */
  authentication_method: boolean;
  scopes: string[];
  /** User names, or `group:<name>`. */
  assignments: string[];
}

/** `matchedGrantTarget` (a template): a GetDataAccess success must have matched this grant scope. */
export type Expectation = { outcome: 'success'; matchedGrantTarget?: string } | { outcome: 'failure'; exception: string; status?: number; error?: string };

export interface MintStep {
  issuer: string;
  /** A scenario user: sub, email and preferred_username from it (claims override). */
  user?: string;
  claims: Record<string, unknown>;
  header?: Record<string, unknown>;
  iat?: number | string | null;
  nbf?: number | string | null;
  exp?: number | string | null;
  variant?: MintVariant;
  tamper?: Record<string, unknown>;
}

export interface CreateTokenWithIamStep {
  /** A scenario application (its ARN is the clientId). */
  application?: string;
  /** Or a raw clientId (a template), for a client that is not an application. */
  client_id?: string;
  /** jwt-bearer, refresh_token, token-exchange, authorization_code, or any raw string. */
  grant_type: string;
  assertion?: string;
  refresh_token?: string;
  scope?: string[];
  subject_token?: string;
  /** access_token, refresh_token, id_token, or a full URN. */
  subject_token_type?: string;
  requested_token_type?: string;
  code?: string;
  redirect_uri?: string;
  code_verifier?: string;
}

export interface AssumeRoleStep {
  role: string;
  /** The identity context (a template, usually `${steps.<id>.identityContext}`); left out: a plain AssumeRole. */
  context?: string;
  provider_arn?: string;
  session_name?: string;
}

export interface GetDataAccessStep {
  /** An S3 path (a template): `s3://<bucket>/<key or prefix>`. */
  target: string;
  permission: 'READ' | 'WRITE' | 'READWRITE';
  /** `Default` (the matched grant's scope) or `Minimal` (the target). Left out: not sent. */
  privilege?: 'Default' | 'Minimal';
  duration_seconds?: number;
  /** The earlier assume_role step whose session calls (identity-enhanced when it had a context). Default: the latest one. */
  session: string;
}

export type StepAction =
  | { kind: 'mint'; mint: MintStep }
  | { kind: 'create_token_with_iam'; create_token_with_iam: CreateTokenWithIamStep }
  | { kind: 'assume_role'; assume_role: AssumeRoleStep }
  | { kind: 'rotate_key'; rotate_key: { issuer: string } }
  | { kind: 'get_data_access'; get_data_access: GetDataAccessStep };

export type ScenarioStep = StepAction & {
  /** Unique in the scenario; default `step<N>` (1-based). */
  id: string;
  expect?: Expectation;
};

export const STEP_KINDS = ['mint', 'create_token_with_iam', 'assume_role', 'rotate_key', 'get_data_access'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** Short names a scenario may use for grant types; anything else is sent as written. */
export const GRANT_ALIASES: Record<string, string> = {
  'jwt-bearer': JWT_BEARER,
  jwt_bearer: JWT_BEARER,
  'token-exchange': TOKEN_EXCHANGE,
  token_exchange: TOKEN_EXCHANGE,
};

/** Short names for RFC 8693 token types. */
export const TOKEN_TYPE_ALIASES: Record<string, string> = {
  access_token: 'urn:ietf:params:oauth:token-type:access_token',
  refresh_token: 'urn:ietf:params:oauth:token-type:refresh_token',
  id_token: 'urn:ietf:params:oauth:token-type:id_token',
};

export const grantTypeOf = (s: CreateTokenWithIamStep): string => GRANT_ALIASES[s.grant_type] ?? s.grant_type;

/** What each step kind exposes to later steps as `${steps.<id>.<field>}`. */
export const STEP_OUTPUTS: Record<StepKind, readonly string[]> = {
  mint: ['token'],
  create_token_with_iam: ['accessToken', 'refreshToken', 'idToken', 'identityContext', 'issuedTokenType'],
  assume_role: ['accessKeyId', 'assumedRoleArn'],
  rotate_key: ['kid'],
  get_data_access: ['accessKeyId', 'matchedGrantTarget'],
};
