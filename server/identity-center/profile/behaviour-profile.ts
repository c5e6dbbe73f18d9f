import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'yaml';
import defaultProfileJson from './default-profile.json' with { type: 'json' };
import { ConfigError, parseWith, object, optional, required, string, integer, oneOf, anyValue, record, type Check } from '../../config/schema.js';

/**
 * The behaviour profile: one data file that says, for every setting and every failure of every
 * exchange step, what the emulator does and why — with provenance (captured / documented / observed / assumed)
 * and a source. The emulator reads it; tests pin it; a user can supply their own, which is merged
 * over the default entry by entry (`identity_center.behaviour_profile` in the lab config).
 */

export const PROVENANCES = ['captured', 'documented', 'observed', 'assumed'] as const;
export type Provenance = (typeof PROVENANCES)[number];

export interface FailureBehaviour {
  /** The exception name, sent in `x-amzn-ErrorType`; what the SDK throws. */
  exception: string;
  status: number;
  /** The OAuth `error` code in the body. */
  error: string;
  /**
   * The body's `error_description`. The real service sends one with every captured error
   * ("Invalid grant provided" …); the default profile gives every failure one. An empty string
   * (only from a user's profile) leaves the member out.
   */
  error_description: string;
  /** Where the description's wording comes from: `captured` for this failure, or `assumed` (by analogy with another capture, or chosen). */
  description_provenance?: Provenance;
  description_source?: string;
  /** Modelled `reason` member (AccessDeniedException, InvalidRequestException), when any. */
  reason?: string;
  provenance: Provenance;
  source: string;
}

export interface Setting<T> {
  value: T;
  provenance: Provenance;
  source: string;
}

export interface ProfileSettings {
  clock_skew_seconds: Setting<number>;
  allowed_algorithms: Setting<string[]>;
  issuer_match: Setting<'exact' | 'ignore_trailing_slash'>;
  require_exp: Setting<boolean>;
  require_iat: Setting<boolean>;
  /** Claims every jwt-bearer assertion must carry (step required-claims-present). */
  required_claims: Setting<string[]>;
  jwks_cache_ttl_seconds: Setting<number>;
  jwks_refetch_min_interval_seconds: Setting<number>;
  fetch_timeout_ms: Setting<number>;
  attribute_match_case_sensitive: Setting<boolean>;
  replay_protection: Setting<boolean>;
  access_token_ttl_seconds: Setting<number>;
  refresh_token_ttl_seconds: Setting<number>;
  refresh_token_issued_with_grant: Setting<boolean>;
  default_scopes: Setting<string[]>;
  enforce_public_ports: Setting<boolean>;
  /** STS AssumeRole / AssumeRoleWithWebIdentity: the session length when DurationSeconds is not given. */
  sts_default_duration_seconds: Setting<number>;
  /** S3 Access Grants GetDataAccess: the vended credentials' lifetime when durationSeconds is not given. */
  s3_access_grants_default_duration_seconds: Setting<number>;
  /** STS: the MaxSessionDuration of a role in aws.roles that does not set max_session_duration. */
  sts_role_max_session_duration_seconds: Setting<number>;
  /** The OAuth server (authorize endpoint, device flow, public clients): lifetime of an authorization code. */
  authorization_code_ttl_seconds: Setting<number>;
  /** Whether the authorize endpoint requires an S256 code_challenge. */
  authorization_code_require_pkce: Setting<boolean>;
  /** RegisterClient: clientSecretExpiresAt − clientIdIssuedAt. */
  client_secret_ttl_seconds: Setting<number>;
  /** StartDeviceAuthorization: expiresIn. */
  device_code_ttl_seconds: Setting<number>;
  /** StartDeviceAuthorization: interval. */
  device_poll_interval_seconds: Setting<number>;
  /** What a slow_down adds to a device authorization's interval. */
  device_slow_down_increment_seconds: Setting<number>;
  /** StartDeviceAuthorization: verificationUri = the lab's base URL + this path (one of DEVICE_VERIFICATION_PATHS). */
  device_verification_path: Setting<DeviceVerificationPath>;
  /** RegisterClient: whether a device-code client is told authorizationEndpoint and tokenEndpoint (else null). */
  register_client_endpoints_for_device_clients: Setting<boolean>;
  /** RegisterClient: whether a client registered for authorization_code is told them. */
  register_client_endpoints_for_authorization_code_clients: Setting<boolean>;
}

/** The device verification pages the lab serves: the access portal's fragment route, and its plain page. */
export const DEVICE_VERIFICATION_PATHS = ['/start/#/device', '/device'] as const;
export type DeviceVerificationPath = (typeof DEVICE_VERIFICATION_PATHS)[number];

/**
 * A fact about the emulator's own answers (token claims, id formats, encodings): what it does and
 * the evidence. Not a setting: a profile cannot change these.
 */
export interface Fact {
  fact: string;
  provenance: Provenance;
  source: string;
}

/** An STS (awsQuery) failure: error code, status, message template ({caller}, {role}, {detail} …). */
export interface StsFailureBehaviour {
  code: string;
  status: number;
  message: string;
  provenance: Provenance;
  source: string;
}

export interface BehaviourProfile {
  name: string;
  description: string;
  settings: ProfileSettings;
  failures: Record<string, FailureBehaviour>;
  sts_failures: Record<string, StsFailureBehaviour>;
  /** S3 Access Grants (S3 Control, restXml) refusals: the same shape as STS's (code, status, message template). */
  s3_access_grants_failures: Record<string, StsFailureBehaviour>;
  /** The shapes of what the lab issues, with their evidence. */
  facts: Record<string, Fact>;
}

export const DEFAULT_PROFILE = defaultProfileJson as unknown as BehaviourProfile;

/** Every failure key the emulator can raise; a profile must map each (the default does). */
export type FailureKey = keyof typeof defaultProfileJson.failures;

const failureCheck: Check<Partial<FailureBehaviour>> = object<Partial<FailureBehaviour>>({
  exception: optional(string({ pattern: /^[A-Z][A-Za-z]+$/, expected: 'an exception name such as InvalidGrantException' })),
  // 302/303 only for authorize.* failures (checked per key in mergeProfile): a redirect back to the client.
  status: optional(integer({ min: 300, max: 599, expected: 'an HTTP error status (400–599), or 302/303 for an authorize.* failure' })),
  error: optional(string({ pattern: /^[a-z_]+$/, expected: 'an OAuth error code such as invalid_grant' })),
  error_description: optional(string()),
  description_provenance: optional(oneOf(PROVENANCES)),
  description_source: optional(string()),
  reason: optional(string()),
  provenance: optional(oneOf(PROVENANCES)),
  source: optional(string()),
});

const settingCheck: Check<Partial<Setting<unknown>>> = object<Partial<Setting<unknown>>>({
  value: required(anyValue()),
  provenance: optional(oneOf(PROVENANCES)),
  source: optional(string()),
});

const stsFailureCheck: Check<Partial<StsFailureBehaviour>> = object<Partial<StsFailureBehaviour>>({
  code: optional(string({ pattern: /^[A-Z][A-Za-z]+$/, expected: 'an error code such as AccessDenied' })),
  status: optional(integer({ min: 400, max: 599, expected: 'an HTTP error status' })),
  message: optional(string()),
  provenance: optional(oneOf(PROVENANCES)),
  source: optional(string()),
});

/** A profile cannot change the facts (they say what the lab issues, and why). */
const factsAreFixed: Check<never> = (_value, path, ctx) => {
  ctx.fail(path, 'facts say what the lab issues and cannot be changed by a profile; remove this section');
  return undefined;
};

const overrideCheck = object<{
  name?: string;
  description?: string;
  settings?: Record<string, Partial<Setting<unknown>>>;
  failures?: Record<string, Partial<FailureBehaviour>>;
  sts_failures?: Record<string, Partial<StsFailureBehaviour>>;
  s3_access_grants_failures?: Record<string, Partial<StsFailureBehaviour>>;
  facts?: never;
}>({
  name: optional(string()),
  description: optional(string()),
  settings: optional(record(settingCheck)),
  failures: optional(record(failureCheck)),
  sts_failures: optional(record(stsFailureCheck)),
  s3_access_grants_failures: optional(record(stsFailureCheck)),
  facts: optional(factsAreFixed),
});

/** Merges an override (parsed from YAML or JSON) over the default profile, checking every key. */
export function mergeProfile(override: unknown, source: string): BehaviourProfile {
  const parsed = parseWith(overrideCheck, override ?? {}, source);
  const profile: BehaviourProfile = structuredClone(DEFAULT_PROFILE);
  const issues: { path: string; message: string }[] = [];
  for (const [key, s] of Object.entries(parsed.settings ?? {})) {
    const current = (profile.settings as unknown as Record<string, Setting<unknown>>)[key];
    if (!current) {
      issues.push({ path: `settings.${key}`, message: `unknown setting; expected one of ${Object.keys(profile.settings).join(', ')}` });
      continue;
    }
    if (typeof s.value !== typeof current.value || Array.isArray(s.value) !== Array.isArray(current.value)) {
      issues.push({ path: `settings.${key}.value`, message: `expected ${Array.isArray(current.value) ? 'a list' : typeof current.value}, like the default ${JSON.stringify(current.value)}` });
      continue;
    }
    Object.assign(current, { provenance: 'assumed', source: `${source}` }, s);
  }
  const issuerMatch = profile.settings.issuer_match.value;
  if (issuerMatch !== 'exact' && issuerMatch !== 'ignore_trailing_slash') {
    issues.push({ path: 'settings.issuer_match.value', message: 'expected exact or ignore_trailing_slash' });
  }
  const verificationPath = profile.settings.device_verification_path.value;
  if (!DEVICE_VERIFICATION_PATHS.includes(verificationPath)) {
    issues.push({ path: 'settings.device_verification_path.value', message: `expected one of the pages the lab serves: ${DEVICE_VERIFICATION_PATHS.join(' or ')}` });
  }
  const requiredClaims: unknown[] = profile.settings.required_claims.value;
  if (!requiredClaims.every((c) => typeof c === 'string' && c !== '')) {
    issues.push({ path: 'settings.required_claims.value', message: `expected a list of claim names, like the default ${JSON.stringify(DEFAULT_PROFILE.settings.required_claims.value)}` });
  }
  for (const [key, f] of Object.entries(parsed.failures ?? {})) {
    const current = profile.failures[key];
    if (!current) {
      issues.push({ path: `failures.${key}`, message: `unknown failure; expected one of ${Object.keys(profile.failures).join(', ')}` });
      continue;
    }
    if (f.status !== undefined && f.status < 400 && !(key.startsWith('authorize.') && (f.status === 302 || f.status === 303))) {
      issues.push({
        path: `failures.${key}.status`,
        message: key.startsWith('authorize.')
          ? `expected an HTTP error status (400–599) for an error page, or 302/303 to redirect back to the client; got ${f.status}`
          : `expected an HTTP error status (400–599); got ${f.status} (only authorize.* failures can redirect)`,
      });
      continue;
    }
    const description = f.error_description !== undefined ? { description_provenance: 'assumed', description_source: source } : {};
    Object.assign(current, { provenance: 'assumed', source }, description, f);
  }
  for (const [key, f] of Object.entries(parsed.sts_failures ?? {})) {
    const current = profile.sts_failures[key];
    if (!current) {
      issues.push({ path: `sts_failures.${key}`, message: `unknown STS failure; expected one of ${Object.keys(profile.sts_failures).join(', ')}` });
      continue;
    }
    Object.assign(current, { provenance: 'assumed', source }, f);
  }
  for (const [key, f] of Object.entries(parsed.s3_access_grants_failures ?? {})) {
    const current = profile.s3_access_grants_failures[key];
    if (!current) {
      issues.push({ path: `s3_access_grants_failures.${key}`, message: `unknown S3 Access Grants failure; expected one of ${Object.keys(profile.s3_access_grants_failures).join(', ')}` });
      continue;
    }
    Object.assign(current, { provenance: 'assumed', source }, f);
  }
  if (issues.length) throw new ConfigError(source, issues);
  if (parsed.name) profile.name = parsed.name;
  if (parsed.description) profile.description = parsed.description;
  return profile;
}

/** Reads a user's profile file (YAML or JSON) and merges it over the default. */
export async function loadBehaviourProfile(file: string | undefined): Promise<BehaviourProfile> {
  if (!file) return structuredClone(DEFAULT_PROFILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the behaviour profile: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError(basename(file), [{ path: '', message: `not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}` }]);
  }
  return mergeProfile(doc, basename(file));
}
