import type { Clock } from '../../../shared/clock.js';
import type { KeyStore } from '../../../keys/key-store.js';
import type { Principal } from '../../aws/aws-credentials.js';
import type { BehaviourProfile, FailureBehaviour } from '../profile/behaviour-profile.js';
import type { IdentityCenter } from '../identity-center.js';
import type { ClientRegistrationRequest, ExchangeContext, TokenRequest } from './exchange/exchange-context.js';
import { ExchangeLog, type ExchangeLogEntry } from './exchange/exchange-log.js';
import { runSteps } from './exchange/run-steps.js';
import type { Step } from './exchange/step.js';
import type { TraceEntry } from './exchange/trace.js';
import { stepsFor } from './grants/grant-pipelines.js';
import { IssuerKeyCache } from './issuer-keys/issuer-key-cache.js';
import { TokenService, type TokenLimits, type TokenResponse } from './tokens/token-service.js';
import type { AuthorizeRequest } from './oauth-server/authorize-request.js';

export interface ExchangeOutcome {
  trace: TraceEntry[];
  /** CreateTokenWithIAM's response. */
  result?: TokenResponse;
  /** A public operation's response (RegisterClient, StartDeviceAuthorization, CreateToken). */
  output?: Record<string, unknown>;
  failure?: { key: string; behaviour: FailureBehaviour; step: string; reason: string; fix?: string };
  /** The exchange log entry (absent for read-only runs, which are not logged). */
  entry?: ExchangeLogEntry;
  /** What the steps established (the pages read it: the client, the user, the issued code …). */
  ctx: ExchangeContext;
}

/** What a run starts from: the request, its caller, and the inputs only some operations have. */
export interface RunInput {
  request?: TokenRequest;
  principal?: Principal | null;
  registration?: ClientRegistrationRequest;
  authorize?: AuthorizeRequest;
  verification?: ExchangeContext['verification'];
  /** The lab's base URL as the caller reached it (verification and authorize URLs are built on it). */
  baseUrl?: string;
}

/**
 * The SSO OIDC data plane: runs a token request through its grant's named steps, with the
 * behaviour profile deciding every wire answer, and logs each attempt with its trace. The OAuth
 * server's operations (authorize, RegisterClient, StartDeviceAuthorization, CreateToken, device
 * verification) run the same way, each as its own list of steps.
 */
export class SsoOidc {
  readonly issuerKeys: IssuerKeyCache;
  readonly tokens: TokenService;
  readonly exchanges: ExchangeLog;

  constructor(
    readonly ic: IdentityCenter,
    keys: KeyStore,
    private readonly clock: Clock,
    public profile: BehaviourProfile,
    ca: () => string | null,
    contextSecret: Buffer,
    limits: TokenLimits,
  ) {
    this.issuerKeys = new IssuerKeyCache(
      clock,
      () => ({
        ttlSeconds: this.profile.settings.jwks_cache_ttl_seconds.value,
        refetchMinIntervalSeconds: this.profile.settings.jwks_refetch_min_interval_seconds.value,
        timeoutMs: this.profile.settings.fetch_timeout_ms.value,
      }),
      ca,
    );
    this.tokens = new TokenService(keys, clock, contextSecret, limits);
    this.exchanges = new ExchangeLog();
  }

  /**
   * Runs one CreateTokenWithIAM request. `readOnly` (explain) checks without changing anything
   * and without logging.
   */
  exchange(request: TokenRequest, principal: Principal | null, opts: { readOnly?: boolean; operation?: string } = {}): Promise<ExchangeOutcome> {
    return this.run(opts.operation ?? 'CreateTokenWithIAM', stepsFor(request.grantType), { request, principal }, opts);
  }

  /** Runs one operation as a list of named steps, and logs it (unless read-only) with its trace. */
  async run(operation: string, steps: Step[], input: RunInput, opts: { readOnly?: boolean } = {}): Promise<ExchangeOutcome> {
    const readOnly = opts.readOnly ?? false;
    const request = input.request ?? {};
    const principal = input.principal ?? null;
    const ctx: ExchangeContext = {
      request,
      principal,
      now: this.clock.now(),
      readOnly,
      ic: this.ic,
      profile: this.profile,
      issuerKeys: this.issuerKeys,
      tokens: this.tokens,
      ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
      ...(input.registration ? { registration: input.registration } : {}),
      ...(input.authorize ? { authorize: input.authorize } : {}),
      ...(input.verification ? { verification: input.verification } : {}),
    };
    const { trace, failure } = await runSteps(steps, ctx, { readOnly });
    const outcome: ExchangeOutcome = { trace, ctx };
    if (failure) {
      const step = trace.find((t) => t.verdict === 'fail')!;
      outcome.failure = { key: failure.key, behaviour: this.profile.failures[failure.key]!, step: step.step, reason: failure.reason, ...(failure.fix ? { fix: failure.fix } : {}) };
    } else if (ctx.result) {
      outcome.result = ctx.result;
    } else if (ctx.output) {
      outcome.output = ctx.output;
    }
    if (!readOnly) {
      outcome.entry = this.exchanges.record({
        time: new Date(ctx.now).toISOString(),
        operation,
        grantType: request.grantType ?? null,
        clientId: request.clientId ?? input.authorize?.params.client_id ?? ctx.publicClient?.clientId ?? ctx.device?.clientId ?? null,
        caller: principal?.arn ?? null,
        outcome: failure ? 'failure' : 'success',
        ...(outcome.failure
          ? {
              failure: {
                key: outcome.failure.key,
                exception: outcome.failure.behaviour.exception,
                status: outcome.failure.behaviour.status,
                error: outcome.failure.behaviour.error,
                step: outcome.failure.step,
                reason: outcome.failure.reason,
                ...(outcome.failure.fix ? { fix: outcome.failure.fix } : {}),
              },
            }
          : {}),
        trace,
      });
    }
    return outcome;
  }
}
