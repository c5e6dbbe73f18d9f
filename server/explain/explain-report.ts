import type { TraceEntry, Verdict } from '../identity-center/sso-oidc/exchange/trace.js';
import type { RunFailure } from '../identity-center/sso-oidc/sso-oidc.js';
import type { TokenKind } from './token-kind.js';

/**
 * What `tti-lab explain --json`, `POST /_lab/explain` and the workbench show: one stable structure.
 * Fields are only ever added (a new `version` would announce anything else).
 */
export const EXPLAIN_REPORT_VERSION = 1;

/** The rule the `audience-authorized` step enforces, in words (its source is RFC 7519 §4.1.3). */
export const AUD_RULE =
  'RFC 7519 §4.1.3: each principal that processes a JWT must find itself in "aud", or reject the token. ' +
  'Identity Center finds itself in the AuthorizedAudiences that the application\'s jwt-bearer grant lists for the token\'s issuer: ' +
  'one value of aud (the string, or any element of the array) must equal one of them exactly — letter case and trailing slashes included.';

export interface ExplainReport {
  version: typeof EXPLAIN_REPORT_VERSION;
  /** True when the token went through a lab's pipeline; false when it was only decoded. */
  checked: boolean;
  /** The lab it was checked against (its base URL), or null. */
  lab: string | null;
  /** When not checked: why (no lab answered …), and that nothing was verified. */
  notChecked?: string;
  token: DecodedToken;
  kind: TokenKind;
  aud: AudView;
  /** One entry per application the token was run against (read-only). */
  applications: ApplicationExplanation[];
  /** Why no application was checked, when none was. */
  noApplication?: NoApplication;
  /** Every trusted token issuer of the lab and the audiences each application authorizes for it. */
  trustedTokenIssuers: TrustedIssuerView[];
  /** accepted: at least one application would accept it; refused: none would; unchecked: no lab. */
  verdict: 'accepted' | 'refused' | 'unchecked';
}

export interface DecodedToken {
  header: Record<string, unknown> | null;
  payload: Record<string, unknown> | null;
  /** Why it could not be decoded (the same words the assertion-well-formed step uses). */
  error?: string;
}

export interface AudView {
  present: boolean;
  /** The claim exactly as in the token (a string, an array, anything) — null when absent. */
  value: unknown;
  shape: 'string' | 'array' | 'missing' | 'invalid';
  /** The values a recipient may find itself in. */
  values: string[];
  rule: string;
  /** What the kind of token says about its aud, with no configuration needed. */
  advice: string[];
}

export interface FailureView {
  step: string;
  /** The behaviour-profile key (`aud.mismatch` …). */
  key: string;
  reason: string;
  fix?: string;
  /** The wire answer a real exchange would get. */
  exception: string;
  status: number;
  error: string;
}

/** A refused run as explain and the workbench show it: the step, the lab's reason and fix, and the wire answer. */
export const failureView = (f: RunFailure): FailureView => ({
  step: f.step,
  key: f.key,
  reason: f.reason,
  ...(f.fix ? { fix: f.fix } : {}),
  exception: f.behaviour.exception,
  status: f.behaviour.status,
  error: f.behaviour.error,
});

export interface ApplicationExplanation {
  applicationArn: string;
  /** Null when the ARN names no application (the trace says why). */
  name: string | null;
  instanceArn: string | null;
  outcome: 'accepted' | 'refused';
  failure?: FailureView;
  /** Every step of the grant's pipeline, run read-only. */
  trace: TraceEntry[];
  aud: ApplicationAud;
  /** Present when the run used audiences other than the application's (the aud lesson's what-if). */
  whatIf?: { authorizedAudiences: string[] };
}

export interface ApplicationAud {
  /** The audience-authorized step's verdict in this run. */
  verdict: Verdict;
  trustedTokenIssuer: string | null;
  trustedTokenIssuerArn: string | null;
  /** What this application's grant authorizes for the token's issuer ([] when it trusts no such issuer). */
  authorizedAudiences: string[];
  /** The step's own reason (or why it did not run). */
  reason: string;
  /** Concrete fixes, most likely first: the token-kind advice, then the step's fix. */
  fixes: string[];
}

export interface NoApplication {
  reason: string;
  fix?: string;
  /** For each application with a jwt-bearer grant: what its issuer-trusted step said. */
  byApplication: { applicationArn: string; name: string; reason: string; fix?: string }[];
}

export interface TrustedIssuerView {
  name: string;
  trustedTokenIssuerArn: string;
  instanceArn: string;
  issuerUrl: string;
  claimAttributePath: string;
  identityStoreAttributePath: string;
  /** The applications whose jwt-bearer grant authorizes this issuer, with the audiences each lists. */
  authorizedBy: { applicationArn: string; name: string; authorizedAudiences: string[] }[];
}
