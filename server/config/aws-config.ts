import { unevaluableCondition } from '../aws/iam/evaluate-policy.js';
import { boolean, list, object, optional, required, string, type Check } from './schema.js';

/** Long-term credentials the lab accepts, and who they belong to. */
export interface PrincipalConfig {
  access_key_id: string;
  secret_access_key: string;
  /** An IAM user or role ARN, `arn:aws:iam::<12 digits>:user/<name>` or `…:role/<name>`; its account is the caller's. */
  arn: string;
}

/** An IAM role that STS AssumeRole may assume. */
export interface RoleConfig {
  arn: string;
  /** The trust policy document (JSON policy grammar). */
  trust_policy: unknown;
  /** The role's MaxSessionDuration, 3600–43200 seconds; unset: the behaviour profile's sts_role_max_session_duration_seconds (3600, IAM's default). */
  max_session_duration?: number;
}

/** An IAM OIDC identity provider for AssumeRoleWithWebIdentity: its issuer URL and client-id (aud) list. */
export interface OidcProviderConfig {
  url: string;
  client_ids: string[];
}

export interface AwsConfig {
  /** Region in ARNs and credential scopes. Default us-east-1. */
  region: string;
  /** Accept access key `test` / secret `test` for account 000000000000 (the local-emulator convention). Default true. */
  default_credentials: boolean;
  principals: PrincipalConfig[];
  roles: RoleConfig[];
  oidc_providers: OidcProviderConfig[];
}

export const IAM_PRINCIPAL_ARN = /^arn:aws:iam::\d{12}:(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)$/;

export const awsConfigCheck: Check<AwsConfig> = object<AwsConfig>({
  region: optional(string({ pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, expected: 'an AWS region such as us-east-1' }), 'us-east-1'),
  default_credentials: optional(boolean(), true),
  principals: optional(
    list(
      object<PrincipalConfig>({
        access_key_id: required(string({ pattern: /^[\w]{4,128}$/, expected: 'an access key id (letters, digits, _)' })),
        secret_access_key: required(string({ min: 1, expected: 'a secret access key' })),
        arn: required(string({ pattern: IAM_PRINCIPAL_ARN, expected: 'an IAM user or role ARN (arn:aws:iam::123456789012:role/Name)' })),
      }),
    ),
    [],
  ),
  roles: optional(
    list(
      object<RoleConfig>({
        arn: required(string({ pattern: /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/, expected: 'an IAM role ARN (arn:aws:iam::123456789012:role/Name)' })),
        trust_policy: required((v, p, c) => {
          const why = unevaluableCondition(v);
          if (why) c.fail(p, `${why}; remove or rewrite that condition (docs/exchange.md, STS, lists what the lab evaluates)`);
          return v;
        }),
        max_session_duration: optional((v, p, c) => (typeof v === 'number' && Number.isInteger(v) && v >= 3600 && v <= 43200 ? v : (c.fail(p, 'expected seconds from 3600 to 43200 (IAM MaxSessionDuration: 1 to 12 hours)'), undefined))),
      }),
    ),
    [],
  ),
  oidc_providers: optional(
    list(
      object<OidcProviderConfig>({
        url: required(string({ pattern: /^https?:\/\/\S+$/, expected: 'an issuer URL' })),
        client_ids: required(list(string({ min: 1, max: 255 }), { min: 1, max: 100, expected: 'a list of client ids (audiences)' })),
      }),
    ),
    [],
  ),
});
