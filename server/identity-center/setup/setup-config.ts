import { anyValue, boolean, list, object, oneOf, optional, required, string, type Check } from '../../config/schema.js';
import { accessGrantsSetupCheck, type AccessGrantsSetup } from '../../s3-access-grants/setup/access-grants-setup-config.js';

/**
 * The Identity Center setup a lab config can declare (`identity_center:`), applied at start through
 * the same SSO Admin and Identity Store operations the SDK calls — so it is validated exactly as an
 * API call would be. Resources are matched by name: one that already exists in the state (from an
 * earlier start, or changed over the API since) is left as it is.
 */

export interface SetupUser {
  user_name: string;
  display_name?: string;
  given_name?: string;
  family_name?: string;
  emails?: string[];
  external_ids?: { issuer: string; id: string }[];
}

export interface SetupGroup {
  display_name: string;
  description?: string;
  /** user_names of members. */
  members?: string[];
}

export interface SetupTrustedTokenIssuer {
  name: string;
  /** The name of a lab issuer: its URL becomes the IssuerUrl. */
  issuer?: string;
  /** Or an explicit IssuerUrl. */
  issuer_url?: string;
  claim_attribute_path: string;
  identity_store_attribute_path: string;
}

export interface SetupJwtBearer {
  /** The name of a trusted token issuer of this instance. */
  trusted_token_issuer: string;
  audiences: string[];
}

export interface SetupApplication {
  name: string;
  description?: string;
  /** Default true, as in the real service. */
  assignment_required?: boolean;
  grants?: {
    jwt_bearer?: SetupJwtBearer[];
    refresh_token?: boolean;
    token_exchange?: boolean;
    authorization_code?: { redirect_uris: string[] };
  };
  /** The IAM authentication method's ActorPolicy, as a policy document. */
  actor_policy?: unknown;
  /** Shortcut: an ActorPolicy allowing sso-oauth:CreateTokenWithIAM to these principals (ARNs or account ids). */
  allowed_callers?: string[];
  scopes?: string[];
  /** user_names, or `group:<display name>`. */
  assignments?: string[];
}

export interface SetupInstance {
  /** For display and references; for the default instance, its Name. */
  name: string;
  /** ORGANIZATION: the lab's default instance. ACCOUNT: an account ("standalone") instance made with CreateInstance. */
  type?: 'ORGANIZATION' | 'ACCOUNT';
  /** For an ACCOUNT instance: the owner account (a principal of it must be configured). Default 000000000000. */
  owner_account?: string;
  users?: SetupUser[];
  groups?: SetupGroup[];
  trusted_token_issuers?: SetupTrustedTokenIssuer[];
  applications?: SetupApplication[];
}

export interface IdentityCenterSetup {
  /** A behaviour profile file (YAML or JSON) merged over the default; relative to the config file. */
  behaviour_profile?: string;
  instances?: SetupInstance[];
  /** S3 Access Grants: the account's instance, its locations and grants (server/s3-access-grants/setup/). */
  s3_access_grants?: AccessGrantsSetup;
}

const str = string({ min: 1 });

export const identityCenterSetupCheck: Check<IdentityCenterSetup> = object<IdentityCenterSetup>({
  behaviour_profile: optional(string({ min: 1, expected: 'a path to a behaviour profile (YAML or JSON)' })),
  instances: optional(
    list(
      object<SetupInstance>({
        name: required(str),
        type: optional(oneOf(['ORGANIZATION', 'ACCOUNT'] as const)),
        owner_account: optional(string({ pattern: /^\d{12}$/, expected: 'a 12-digit account id' })),
        users: optional(
          list(
            object<SetupUser>({
              user_name: required(str),
              display_name: optional(str),
              given_name: optional(str),
              family_name: optional(str),
              emails: optional(list(str)),
              external_ids: optional(list(object<{ issuer: string; id: string }>({ issuer: required(str), id: required(str) }))),
            }),
          ),
        ),
        groups: optional(list(object<SetupGroup>({ display_name: required(str), description: optional(str), members: optional(list(str)) }))),
        trusted_token_issuers: optional(
          list(
            object<SetupTrustedTokenIssuer>({
              name: required(str),
              issuer: optional(str),
              issuer_url: optional(str),
              claim_attribute_path: required(str),
              identity_store_attribute_path: required(str),
            }),
          ),
        ),
        applications: optional(
          list(
            object<SetupApplication>({
              name: required(str),
              description: optional(str),
              assignment_required: optional(boolean()),
              grants: optional(
                object<NonNullable<SetupApplication['grants']>>({
                  jwt_bearer: optional(list(object<SetupJwtBearer>({ trusted_token_issuer: required(str), audiences: required(list(str, { expected: 'a list of audiences (the aud values your tokens carry)' })) }))),
                  refresh_token: optional(boolean()),
                  token_exchange: optional(boolean()),
                  authorization_code: optional(object<{ redirect_uris: string[] }>({ redirect_uris: required(list(str)) })),
                }),
              ),
              actor_policy: optional(anyValue()),
              allowed_callers: optional(list(str)),
              scopes: optional(list(str)),
              assignments: optional(list(str)),
            }),
          ),
        ),
      }),
    ),
  ),
  s3_access_grants: optional(accessGrantsSetupCheck),
});
