import type { Clock } from '../../clock/clock.js';
import type { KeyStore } from '../../../keys/key-store.js';
import type { Principal } from '../../aws/aws-credentials.js';
import type { BehaviourProfile, FailureBehaviour } from '../profile/behaviour-profile.js';
import type { IdentityCenter } from '../identity-center.js';
import type { ExchangeContext, TokenRequest } from './exchange/exchange-context.js';
import { ExchangeLog, type ExchangeLogEntry } from './exchange/exchange-log.js';
import { runSteps } from './exchange/run-steps.js';
import type { TraceEntry } from './exchange/trace.js';
import { stepsFor } from './grants/grant-pipelines.js';
import { IssuerKeyCache } from './issuer-keys/issuer-key-cache.js';
import { TokenService, type TokenResponse } from './tokens/token-service.js';

export interface ExchangeOutcome {
  trace: TraceEntry[];
  result?: TokenResponse;
  failure?: { key: string; behaviour: FailureBehaviour; step: string; reason: string; fix?: string };
  /** The exchange log entry (absent for read-only runs, which are not logged). */
  entry?: ExchangeLogEntry;
}

/**
 * The SSO OIDC data plane: runs a token request through its grant's named steps, with the
 * behaviour profile deciding every wire answer, and logs each attempt with its trace.
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
    this.tokens = new TokenService(keys, clock, contextSecret);
    this.exchanges = new ExchangeLog();
  }

  /**
   * Runs one CreateTokenWithIAM request. `readOnly` (explain) checks without changing anything
   * and without logging.
   */
  async exchange(request: TokenRequest, principal: Principal | null, opts: { readOnly?: boolean; operation?: string } = {}): Promise<ExchangeOutcome> {
    const readOnly = opts.readOnly ?? false;
    const ctx: ExchangeContext = {
      request,
      principal,
      now: this.clock.now(),
      readOnly,
      ic: this.ic,
      profile: this.profile,
      issuerKeys: this.issuerKeys,
      tokens: this.tokens,
    };
    const { trace, failure } = await runSteps(stepsFor(request.grantType), ctx, { readOnly });
    const outcome: ExchangeOutcome = { trace };
    if (failure) {
      const step = trace.find((t) => t.verdict === 'fail')!;
      outcome.failure = { key: failure.key, behaviour: this.profile.failures[failure.key]!, step: step.step, reason: failure.reason, ...(failure.fix ? { fix: failure.fix } : {}) };
    } else if (ctx.result) {
      outcome.result = ctx.result;
    }
    if (!readOnly) {
      outcome.entry = this.exchanges.record({
        time: new Date(ctx.now).toISOString(),
        operation: opts.operation ?? 'CreateTokenWithIAM',
        grantType: request.grantType ?? null,
        clientId: request.clientId ?? null,
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
