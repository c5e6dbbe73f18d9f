import {
  boolean, integer, list, object, oneOf, optional, required, string, url, type Check,
} from './schema.js';
import { checkConfigRules } from './config-rules.js';
import { isHostName } from '../security/allowed-hosts.js';
import { awsConfigCheck, type AwsConfig } from './aws-config.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../shared/signing-algorithm.js';
import { identityCenterSetupCheck, type IdentityCenterSetup } from '../identity-center/setup/setup-config.js';

/**
 * The lab's configuration: the YAML file, after validation and defaults. Every option is documented
 * here, where it is defined; docs/configuration.md describes the same fields for users.
 */

export const CLIENT_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type ClientGrantType = (typeof CLIENT_GRANT_TYPES)[number];

export interface ClientConfig {
  /** The client id. ID tokens issued to this client carry it as their `aud`. */
  client_id: string;
  /** Absent: a public client (PKCE, no secret), as a single-page or native app would be. */
  client_secret?: string;
  /** Where the authorization code may be sent back (no #fragment). At least one is required with the authorization_code grant, a default one. */
  redirect_uris: string[];
  /** Default: authorization_code and refresh_token (plus client_credentials when there is a secret). */
  grant_types?: ClientGrantType[];
  /**
   * The resource indicator (RFC 8707) used when the client asks for none: it decides the `aud` of
   * JWT access tokens, as Okta's `api://default` or Auth0's API identifier do. Absent: access tokens
   * without a requested resource are opaque, good only for userinfo.
   */
  default_audience?: string;
  /** Where RP-initiated logout may send the browser back to. */
  post_logout_redirect_uris?: string[];
  /** Default: client_secret_basic with a secret, none without. */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none';
}

export interface ResourceConfig {
  /**
   * The resource indicator a client sends as `resource=` (RFC 8707), an absolute URI (http, https,
   * api or urn). An indicator that no resource declares is accepted too, with aud = the indicator and
   * no scopes. (Auth0's `audience=` parameter is not read: send `resource=`.)
   */
  indicator: string;
  /** The `aud` that access tokens for this resource carry. Default: the indicator itself. */
  audience?: string;
  /** Scopes a client may be granted for this resource. */
  scopes: string[];
}

/** A user who can log in at an issuer. `sub` is required; every other key is a claim, as given. */
export interface UserConfig {
  sub: string;
  [claim: string]: unknown;
}

export const FAULT_KINDS = ['none', 'status', 'invalid_json', 'slow', 'hang'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface EndpointFault {
  /** `status`: answer with `status`; `invalid_json`: a 200 that is not JSON; `slow`: answer after `delay_ms`; `hang`: never answer. */
  kind: FaultKind;
  /** For `status`: the HTTP status to answer with, 100–599. Default 500. */
  status?: number;
  /** For `slow`: milliseconds to wait before answering normally, 0–600000. Default 1000. */
  delay_ms?: number;
}

export interface IssuerFaults {
  discovery?: EndpointFault;
  jwks?: EndpointFault;
  /** Key ids left out of the published JWKS (the keys still sign). */
  dropped_kids?: string[];
}

export interface IssuerConfig {
  /** URL-safe name; the issuer URL is `<lab URL>/issuers/<name>`. */
  name: string;
  /** Signing algorithm of this issuer's keys. Default RS256. */
  algorithm: SigningAlgorithm;
  /** Lifetime of ID tokens, seconds. Default 3600. */
  id_token_ttl: number;
  /** Lifetime of access tokens, seconds. Default 3600. */
  access_token_ttl: number;
  clients: ClientConfig[];
  resources: ResourceConfig[];
  users: UserConfig[];
  faults?: IssuerFaults;
  /** Free text shown on the login page and in `serve` output (e.g. "shaped like Okta"). */
  description?: string;
}

export interface TlsConfig {
  /** PEM files, relative to the config file; both or neither. */
  cert?: string;
  key?: string;
  /** Generate a self-signed certificate for localhost/127.0.0.1/::1 at start (kept in `<data dir>/tls/`). */
  self_signed?: boolean;
}

export interface LabConfig {
  /** Interface to bind. Default 127.0.0.1 (loopback only). `--host` overrides it. */
  host?: string;
  /** Allow a non-loopback `host` (otherwise the lab refuses to start). Default false. `--allow-remote` sets it. */
  allow_remote?: boolean;
  /**
   * Host names (or IP addresses) the lab answers besides loopback ones (localhost, 127.x.x.x, [::1]),
   * without scheme or port. Any other `Host` is refused on every route, so a web page cannot reach
   * the lab by DNS rebinding. With a non-loopback bind, IP addresses are answered too. Default none.
   * `--allowed-hosts` adds to it.
   */
  allowed_hosts?: string[];
  /**
   * A secret (16 characters or more) that lets non-loopback clients use the mint and control routes,
   * sent as `Authorization: Bearer …` or `x-tti-lab-control-token`. Default none: loopback only.
   * `--control-token` or TTI_LAB_CONTROL_TOKEN overrides it.
   */
  control_token?: string;
  /** Port; 0 picks a free one. Default: 4750 for `tti-lab serve`, 0 for startLab. `--port` overrides it. */
  port?: number;
  /**
   * Where keys and state live, relative to the config file. Default: `.tti-lab/` in the working
   * directory for `tti-lab serve`; in memory for startLab. `--data-dir` and `--in-memory` override it.
   */
  data_dir?: string;
  tls?: TlsConfig;
  /** Bound on entries kept in the request log. Default 1000. */
  request_log_size: number;
  /**
   * How many tokens each SSO OIDC token table keeps (access and refresh tokens of applications, and
   * of public clients): past it the oldest is forgotten. Default 10 000.
   */
  token_table_size: number;
  /** How many accepted assertions the replay cache remembers (until each one's exp). Default 100 000. */
  replay_cache_size: number;
  issuers: IssuerConfig[];
  /** AWS side: region, principals (access keys), IAM roles and OIDC providers for STS. */
  aws: AwsConfig;
  /** The Identity Center emulator's declared setup (instances, users, issuers, applications …). */
  identity_center?: IdentityCenterSetup;
}

const hostName: Check<string> = Object.assign(
  (value: unknown, path: string, ctx: Parameters<Check<string>>[2]) => {
    if (typeof value === 'string' && isHostName(value)) return value;
    ctx.fail(path, `expected a host name or IP address without scheme or port (as in --allowed-hosts lab.test), got ${typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : `${typeof value} ${String(value)}`}`);
    return undefined;
  },
  { expected: 'a host name or IP address' },
);
const name = string({ pattern: /^[a-z0-9][a-z0-9-]{0,62}$/, expected: 'a name of lowercase letters, digits and dashes' });
const scopeToken = string({ pattern: /^[\x21\x23-\x5B\x5D-\x7E]+$/, expected: 'a scope (no spaces)' });

const endpointFault: Check<EndpointFault> = object<EndpointFault>({
  kind: required(oneOf(FAULT_KINDS)),
  status: optional(integer({ min: 200, max: 599, expected: 'an HTTP status from 200 to 599 (a final answer; 1xx are not)' })),
  delay_ms: optional(integer({ min: 0, max: 600_000 })),
});

export const issuerFaultsCheck: Check<IssuerFaults> = object<IssuerFaults>({
  discovery: optional(endpointFault),
  jwks: optional(endpointFault),
  dropped_kids: optional(list(string())),
});

const client: Check<ClientConfig> = object<ClientConfig>({
  client_id: required(string({ min: 1, max: 255, expected: 'a client id' })),
  client_secret: optional(string({ min: 1, expected: 'a client secret' })),
  redirect_uris: optional(list(url({ fragment: false }), { expected: 'a list of URLs' }), []),
  grant_types: optional(list(oneOf(CLIENT_GRANT_TYPES), { expected: 'a list of grant types', min: 1 })),
  default_audience: optional(url({ protocols: ['http:', 'https:', 'api:', 'urn:'] })),
  post_logout_redirect_uris: optional(list(url(), { expected: 'a list of URLs' })),
  token_endpoint_auth_method: optional(oneOf(['client_secret_basic', 'client_secret_post', 'none'] as const)),
});

const resource: Check<ResourceConfig> = object<ResourceConfig>({
  indicator: required(url({ protocols: ['http:', 'https:', 'api:', 'urn:'] })),
  audience: optional(string({ min: 1 })),
  scopes: optional(list(scopeToken), []),
});

const user: Check<UserConfig> = object<UserConfig>(
  { sub: required(string({ min: 1, max: 255, expected: 'a subject identifier' })) } as never,
  { open: true },
);

const issuer: Check<IssuerConfig> = object<IssuerConfig>({
  name: required(name),
  algorithm: optional(oneOf(SIGNING_ALGORITHMS), 'RS256'),
  id_token_ttl: optional(integer({ min: 1, max: 31_536_000 }), 3600),
  access_token_ttl: optional(integer({ min: 1, max: 31_536_000 }), 3600),
  clients: optional(list(client), []),
  resources: optional(list(resource), []),
  users: optional(list(user), []),
  faults: optional(issuerFaultsCheck),
  description: optional(string()),
});

const tls: Check<TlsConfig> = object<TlsConfig>({
  cert: optional(string({ min: 1, expected: 'a path to a PEM certificate' })),
  key: optional(string({ min: 1, expected: 'a path to a PEM private key' })),
  self_signed: optional(boolean()),
});

const labObject = object<LabConfig>({
  host: optional(string({ min: 1, expected: 'a host name or IP address' })),
  port: optional(integer({ min: 0, max: 65535, expected: 'a port from 0 to 65535' })),
  data_dir: optional(string({ min: 1, expected: 'a folder path' })),
  tls: optional(tls),
  request_log_size: optional(integer({ min: 1, max: 1_000_000 }), 1000),
  token_table_size: optional(integer({ min: 1, max: 10_000_000 }), 10_000),
  replay_cache_size: optional(integer({ min: 1, max: 10_000_000 }), 100_000),
  issuers: optional(list(issuer), []),
  aws: optional(awsConfigCheck, { region: 'us-east-1', default_credentials: true, principals: [], roles: [], oidc_providers: [] }),
  identity_center: optional(identityCenterSetupCheck),
  allow_remote: optional(boolean()),
  allowed_hosts: optional(list(hostName, { expected: 'a list of host names' })),
  control_token: optional(string({ min: 16, expected: 'a secret of at least 16 characters' })),
});

/**
 * Field checks plus the rules no single field can see (config-rules.ts). Both run over the whole
 * input, so every problem of a file is reported in one pass.
 */
export const labConfigCheck: Check<LabConfig> = (value, path, ctx) => {
  const before = ctx.issues.length;
  const cfg = labObject(value ?? {}, path, ctx);
  checkConfigRules(value ?? {}, ctx);
  return cfg && ctx.issues.length === before ? cfg : undefined;
};
