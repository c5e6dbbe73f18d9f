import type { LabServices } from '../lab/lab-services.js';
import type { Principal } from '../aws/aws-credentials.js';
import type { ApplicationRecord, AuthorizedTokenIssuer, IdentityCenterState } from '../identity-center/state/model.js';
import type { TraceEntry } from '../identity-center/sso-oidc/exchange/trace.js';
import { ExchangeFailure } from '../identity-center/sso-oidc/exchange/exchange-failure.js';
import { wellFormedAssertion } from '../identity-center/sso-oidc/steps/check-assertion-well-formed.js';
import { checkIssuerTrusted, trustedIssuerFor, type TrustedIssuerMatch } from '../identity-center/sso-oidc/steps/check-issuer-trusted.js';
import { checkAudience } from '../identity-center/sso-oidc/steps/check-audience.js';
import { describeToken, type TokenDescription } from './describe-token.js';
import {
  EXPLAIN_REPORT_VERSION,
  type ApplicationAud,
  type ApplicationExplanation,
  type ExplainReport,
  failureView,
  type FailureView,
  type NoApplication,
  type TrustedIssuerView,
} from './explain-report.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** What `POST /_lab/explain` takes. */
export interface ExplainRequest {
  /** The JWT, as a client would send it as `assertion`. */
  token: string;
  /** Check against this application only; default: every application whose grant trusts the token's issuer. */
  applicationArn?: string;
  /** An IAM principal ARN (or a 12-digit account) to check the ActorPolicy for; default: not checked. */
  caller?: string;
  /** The scopes a CreateTokenWithIAM call would request. */
  scope?: string[];
  /** Run as if the application's jwt-bearer grant listed these audiences for each of its issuers. */
  whatIf?: { authorizedAudiences: string[] };
}

type Outcome = { trace: TraceEntry[]; failure?: FailureView };

const jwtBearerIssuers = (app: ApplicationRecord): AuthorizedTokenIssuer[] =>
  (app.Grants[JWT_BEARER] as { JwtBearer?: { AuthorizedTokenIssuers?: AuthorizedTokenIssuer[] } } | undefined)?.JwtBearer?.AuthorizedTokenIssuers ?? [];

/** The principal `caller` names: an IAM ARN as it is, an account id as its root. */
export function callerPrincipal(caller: string | undefined): Principal | null {
  if (caller === undefined) return null;
  const arn = /^\d{12}$/.test(caller) ? `arn:aws:iam::${caller}:root` : caller;
  return { accessKeyId: 'EXPLAIN', accountId: arn.split(':')[4] ?? '', arn };
}

function trustedIssuerViews(state: Readonly<IdentityCenterState>): TrustedIssuerView[] {
  const apps = Object.values(state.applications).sort((a, b) => a.Name.localeCompare(b.Name));
  return Object.values(state.trustedTokenIssuers)
    .sort((a, b) => a.Name.localeCompare(b.Name))
    .map((tti) => {
      const c = tti.TrustedTokenIssuerConfiguration.OidcJwtConfiguration;
      return {
        name: tti.Name,
        trustedTokenIssuerArn: tti.TrustedTokenIssuerArn,
        instanceArn: tti.InstanceArn,
        issuerUrl: c.IssuerUrl,
        claimAttributePath: c.ClaimAttributePath,
        identityStoreAttributePath: c.IdentityStoreAttributePath,
        authorizedBy: apps.flatMap((app) =>
          jwtBearerIssuers(app)
            .filter((a) => a.TrustedTokenIssuerArn === tti.TrustedTokenIssuerArn)
            .map((a) => ({ applicationArn: app.ApplicationArn, name: app.Name, authorizedAudiences: [...a.AuthorizedAudiences] })),
        ),
      };
    });
}

/**
 * Whether an application's jwt-bearer grant trusts the token's issuer, and which trusted token
 * issuer with which audiences: the issuer-trusted step's own answer, run on its own (so it is known
 * even when a pipeline stops before that step).
 */
function issuerMatch(lab: LabServices, desc: TokenDescription, app: ApplicationRecord): TrustedIssuerMatch | { failure: ExchangeFailure } {
  const state = lab.identityCenter.state.read;
  const instance = state.instances[app.InstanceArn];
  if (!instance) return { failure: new ExchangeFailure('client.unknown', `application ${app.ApplicationArn} belongs to no live instance`) };
  try {
    return trustedIssuerFor(desc.decoded?.payload.iss, { state, application: app, instance, profile: lab.ssoOidc.profile });
  } catch (err) {
    if (!(err instanceof ExchangeFailure)) throw err;
    return { failure: err };
  }
}

/**
 * Which applications trust the token's issuer, decided by the `issuer-trusted` step itself, run
 * for each application that has a jwt-bearer grant.
 */
function applicationsTrustingIssuer(lab: LabServices, desc: TokenDescription, token: string): { targets: string[]; none?: NoApplication } {
  const state = lab.identityCenter.state.read;
  const withGrant = Object.values(state.applications)
    .filter((a) => a.Grants[JWT_BEARER] !== undefined && state.instances[a.InstanceArn])
    .sort((a, b) => a.Name.localeCompare(b.Name));
  if (!desc.decoded) {
    // The assertion-well-formed step says why in its own words.
    try {
      wellFormedAssertion(token, lab.ssoOidc.profile);
    } catch (err) {
      if (!(err instanceof ExchangeFailure)) throw err;
      return { targets: [], none: { reason: err.reason, ...(err.fix ? { fix: err.fix } : {}), byApplication: [] } };
    }
    return { targets: [], none: { reason: desc.token.error ?? 'the token could not be decoded', byApplication: [] } };
  }
  if (withGrant.length === 0) {
    return {
      targets: [],
      none: {
        reason: 'no application in this lab has a jwt-bearer grant, so Identity Center accepts no external token at all',
        fix: 'PutApplicationGrant with GrantType urn:ietf:params:oauth:grant-type:jwt-bearer, authorizing your trusted token issuer and its audience (or declare it under identity_center in the lab config)',
        byApplication: [],
      },
    };
  }
  const targets: string[] = [];
  const byApplication: NoApplication['byApplication'] = [];
  for (const app of withGrant) {
    const match = issuerMatch(lab, desc, app);
    if ('record' in match) targets.push(app.ApplicationArn);
    else byApplication.push({ applicationArn: app.ApplicationArn, name: app.Name, reason: match.failure.reason, ...(match.failure.fix ? { fix: match.failure.fix } : {}) });
  }
  if (targets.length) return { targets };
  const reasons = [...new Set(byApplication.map((b) => b.reason))];
  const iss = desc.decoded?.payload.iss;
  return {
    targets,
    none: {
      reason:
        reasons.length === 1
          ? reasons[0]!
          : `iss ${JSON.stringify(iss)} is not trusted by any application: none of the ${byApplication.length} applications with a jwt-bearer grant authorizes a trusted token issuer with that IssuerUrl`,
      ...(byApplication[0]?.fix && byApplication.every((b) => b.fix === byApplication[0]!.fix) ? { fix: byApplication[0].fix } : {}),
      byApplication,
    },
  };
}

/** The state with one application's jwt-bearer audiences replaced: the what-if of the aud lesson. */
function withAudiences(state: Readonly<IdentityCenterState>, applicationArn: string, audiences: string[]): Readonly<IdentityCenterState> {
  const app = state.applications[applicationArn];
  if (!app || !app.Grants[JWT_BEARER]) return state;
  const variant = structuredClone(app);
  variant.Grants[JWT_BEARER] = { JwtBearer: { AuthorizedTokenIssuers: jwtBearerIssuers(app).map((a) => ({ TrustedTokenIssuerArn: a.TrustedTokenIssuerArn, AuthorizedAudiences: [...audiences] })) } };
  return { ...state, applications: { ...state.applications, [applicationArn]: variant } };
}

async function runPipeline(lab: LabServices, req: ExplainRequest, applicationArn: string, principal: Principal | null): Promise<Outcome> {
  const request = { clientId: applicationArn, grantType: JWT_BEARER, assertion: req.token, ...(req.scope ? { scope: req.scope } : {}) };
  // The what-if runs the same pipeline against a variant of the state; both runs are read-only.
  const state = req.whatIf ? withAudiences(lab.identityCenter.state.read, applicationArn, req.whatIf.authorizedAudiences) : undefined;
  const outcome = await lab.ssoOidc.run(request, { principal, readOnly: true, ...(state ? { state } : {}) });
  if (!outcome.failure) return { trace: outcome.trace };
  return { trace: outcome.trace, failure: failureView(outcome.failure) };
}

/**
 * The token-kind advice that applies to a failed aud check, in the words of a fix, when the step's
 * own fix does not already give it: a Cognito-style access token with no aud at all. (For an access
 * token with an aud, the audience-authorized step's fix itself leads with "exchange your
 * application's ID token instead".)
 */
function kindFix(desc: TokenDescription): string | undefined {
  return desc.kind.kind === 'access_token' && desc.aud.shape === 'missing' ? desc.aud.advice[0] : undefined;
}

function applicationAud(lab: LabServices, req: ExplainRequest, desc: TokenDescription, applicationArn: string, trace: TraceEntry[]): ApplicationAud {
  const audStep = trace.find((t) => t.step === checkAudience.name);
  const issuerStep = trace.find((t) => t.step === checkIssuerTrusted.name);
  const state = lab.identityCenter.state.read;
  const app = state.applications[applicationArn];
  let ttiArn: string | null = typeof issuerStep?.facts?.trustedTokenIssuerArn === 'string' ? issuerStep.facts.trustedTokenIssuerArn : null;
  if (!ttiArn && issuerStep?.verdict === 'skip' && app && desc.decoded && state.instances[app.InstanceArn]) {
    // The pipeline stopped before issuer-trusted: ask that step on its own which issuer it would match.
    const match = issuerMatch(lab, desc, app);
    if ('record' in match) ttiArn = match.record.TrustedTokenIssuerArn;
  }
  const tti = ttiArn ? state.trustedTokenIssuers[ttiArn] : undefined;
  const configured = ttiArn && app ? (jwtBearerIssuers(app).find((a) => a.TrustedTokenIssuerArn === ttiArn)?.AuthorizedAudiences ?? []) : [];
  const authorizedAudiences = Array.isArray(audStep?.facts?.authorizedAudiences)
    ? (audStep.facts.authorizedAudiences as string[])
    : ttiArn
      ? (req.whatIf?.authorizedAudiences ?? configured)
      : [];
  const verdict = audStep?.verdict ?? 'skip';
  const fixes: string[] = [];
  if (verdict === 'fail') {
    const k = kindFix(desc);
    if (k) fixes.push(k);
    if (audStep?.fix) fixes.push(audStep.fix);
  }
  return {
    verdict,
    trustedTokenIssuer: tti?.Name ?? null,
    trustedTokenIssuerArn: ttiArn,
    authorizedAudiences: [...authorizedAudiences],
    reason: audStep ? audStep.reason : 'the pipeline has no audience step for this request',
    fixes,
  };
}

/**
 * Runs a token through the lab's own exchange pipeline, read-only, against the lab's configuration
 * (one application, or every application that trusts its issuer), and explains every step.
 */
export async function explainWithLab(lab: LabServices, req: ExplainRequest): Promise<ExplainReport> {
  const desc = describeToken(req.token);
  const principal = callerPrincipal(req.caller);
  const selection = req.applicationArn !== undefined ? { targets: [req.applicationArn] } : applicationsTrustingIssuer(lab, desc, req.token);
  const applications: ApplicationExplanation[] = [];
  for (const arn of selection.targets) {
    const { trace, failure } = await runPipeline(lab, req, arn, principal);
    const state = lab.identityCenter.state.read;
    const app = state.applications[arn];
    applications.push({
      applicationArn: arn,
      name: app?.Name ?? null,
      instanceArn: app?.InstanceArn ?? null,
      outcome: failure ? 'refused' : 'accepted',
      ...(failure ? { failure } : {}),
      trace,
      aud: applicationAud(lab, req, desc, arn, trace),
      ...(req.whatIf ? { whatIf: { authorizedAudiences: [...req.whatIf.authorizedAudiences] } } : {}),
    });
  }
  return {
    version: EXPLAIN_REPORT_VERSION,
    checked: true,
    lab: lab.baseUrl(),
    token: desc.token,
    kind: desc.kind,
    aud: desc.aud,
    applications,
    ...(selection.none ? { noApplication: selection.none } : {}),
    trustedTokenIssuers: trustedIssuerViews(lab.identityCenter.state.read),
    verdict: applications.some((a) => a.outcome === 'accepted') ? 'accepted' : 'refused',
  };
}

/** Decodes and advises with no lab: says plainly that nothing was checked against a configuration. */
export function explainOffline(token: string, why: string): ExplainReport {
  const desc = describeToken(token);
  return {
    version: EXPLAIN_REPORT_VERSION,
    checked: false,
    lab: null,
    notChecked: `${why}. The token was only decoded: nothing was checked against a configuration — not its signature, issuer, times, audience or user.`,
    token: desc.token,
    kind: desc.kind,
    aud: desc.aud,
    applications: [],
    trustedTokenIssuers: [],
    verdict: 'unchecked',
  };
}
