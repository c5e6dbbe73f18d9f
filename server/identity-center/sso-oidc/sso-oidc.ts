import type { Clock } from '../../../shared/clock.js';
import type { KeyStore } from '../../../keys/key-store.js';
import type { Principal } from '../../aws/aws-credentials.js';
import type { BehaviourProfile, FailureBehaviour, FailureKey } from '../profile/behaviour-profile.js';
import type { IdentityCenter } from '../identity-center.js';
import type { IdentityCenterState } from '../state/model.js';
import type { BaseContext, ExchangeContext, TokenRequest } from './exchange/exchange-context.js';
import { ExchangeLog, type ExchangeLogEntry } from './exchange/exchange-log.js';
import type { FlowContext, FlowInput, Pipeline } from './exchange/pipeline.js';
import { runSteps } from './exchange/run-steps.js';
import type { TraceEntry } from './exchange/trace.js';
import { iamFlowFor } from './grants/grant-pipelines.js';
import { IssuerKeyCache } from './issuer-keys/issuer-key-cache.js';
import { TokenService, type TokenLimits, type TokenResponse } from './tokens/token-service.js';

/** A refused run: the profile key, the wire answer it maps to, and the failed step's reason and fix. */
export interface RunFailure {
  key: string;
  behaviour: FailureBehaviour;
  step: string;
  reason: string;
  fix?: string;
}

interface OutcomeBase {
  trace: TraceEntry[];
  /** The exchange log entry (absent for read-only runs, which are not logged). */
  entry?: ExchangeLogEntry;
}

/** How a run ended: refused by a step (with what the steps before it established), or passed with the flow's whole context `C`. */
export type ExchangeOutcome<C = ExchangeContext> =
  | (OutcomeBase & { failure: RunFailure; ctx: ExchangeContext; result?: undefined; output?: undefined })
  | (OutcomeBase & {
      failure?: undefined;
      /** What the steps established (the pages read it: the client, the user, the issued code …). */
      ctx: C;
      /** CreateTokenWithIAM's response (absent from a read-only run: issuing is an effect). */
      result?: TokenResponse;
      /** A public operation's response (RegisterClient, StartDeviceAuthorization, CreateToken). */
      output?: Record<string, unknown>;
    });

/** How to run a CreateTokenWithIAM request. */
export type RunOptions = {
  /** Who signed the request (null or absent: unchecked, as explain without a caller). */
  principal?: Principal | null;
  /** The name the exchange log gives the operation (CreateTokenWithIAM). */
  operation?: string;
} & (
  | { readOnly?: false; state?: undefined }
  | {
      /** Check without changing anything (no token issued, replay only looked at) and without logging: explain. */
      readOnly: true;
      /** The Identity Center state to read instead of the lab's (explain's what-if); the lab's is never changed. */
      state?: Readonly<IdentityCenterState>;
    }
);

/**
 * The SSO OIDC data plane: runs a token request through its grant's named steps, with the
 * behaviour profile deciding every wire answer, and logs each attempt with its trace. The OAuth
 * server's operations (authorize, RegisterClient, StartDeviceAuthorization, CreateToken, device
 * verification) run the same way, each as its own flow.
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

  /** The wire answer the profile in force gives a failure key (every key has one: the profile loader checks). */
  failure(key: FailureKey | string): FailureBehaviour {
    const behaviour = this.profile.failures[key];
    if (!behaviour) throw new Error(`the behaviour profile has no failure ${key}`); // the lab's bug: an InternalServerException
    return behaviour;
  }

  /**
   * Runs one CreateTokenWithIAM request through its grant's flow — for the SDK's call, the
   * workbench, and explain (`readOnly`, optionally against a variant of the state).
   */
  run(request: TokenRequest, opts: RunOptions = {}): Promise<ExchangeOutcome> {
    return this.#run(opts.operation ?? 'CreateTokenWithIAM', iamFlowFor(request.grantType), request, {}, opts.principal ?? null, opts);
  }

  /**
   * Runs one operation of the OAuth server (RegisterClient, StartDeviceAuthorization, CreateToken,
   * authorize, device verification) as its flow, for real, and logs it with its trace.
   */
  perform<P extends Pipeline<never, never, never>>(
    operation: string,
    flow: P,
    input: FlowInput<P> & { request?: TokenRequest; baseUrl?: string },
  ): Promise<ExchangeOutcome<FlowContext<P>>> {
    const { request = {}, baseUrl, ...established } = input;
    return this.#run(operation, flow, request, established, null, baseUrl === undefined ? {} : { baseUrl }) as Promise<ExchangeOutcome<FlowContext<P>>>;
  }

  async #run(
    operation: string,
    flow: Pipeline<never, never, never>,
    request: TokenRequest,
    established: Partial<ExchangeContext>,
    principal: Principal | null,
    opts: { readOnly?: boolean; state?: Readonly<IdentityCenterState> | undefined; baseUrl?: string },
  ): Promise<ExchangeOutcome> {
    const readOnly = opts.readOnly ?? false;
    const base = new RunBase(request, principal, this.clock.now(), readOnly, this.ic, this.profile, this.issuerKeys, this.tokens, opts.baseUrl, opts.state);
    const ctx: ExchangeContext = Object.assign(base, established);
    const { trace, failure } = await runSteps(flow.steps, ctx, { readOnly });
    let outcome: ExchangeOutcome;
    if (failure) {
      const step = trace.find((t) => t.verdict === 'fail')?.step ?? operation;
      outcome = { trace, ctx, failure: { key: failure.key, behaviour: this.failure(failure.key), step, reason: failure.reason, ...(failure.fix ? { fix: failure.fix } : {}) } };
    } else {
      outcome = { trace, ctx, ...(ctx.result ? { result: ctx.result } : ctx.output ? { output: ctx.output } : {}) };
    }
    if (!readOnly) {
      const f = outcome.failure;
      outcome.entry = this.exchanges.record({
        time: new Date(ctx.now).toISOString(),
        operation,
        grantType: request.grantType ?? null,
        clientId: request.clientId ?? ctx.authorize?.params.client_id ?? ctx.publicClient?.clientId ?? ctx.device?.client.id ?? null,
        caller: principal?.arn ?? null,
        outcome: f ? 'failure' : 'success',
        ...(f ? { failure: { key: f.key, exception: f.behaviour.exception, status: f.behaviour.status, error: f.behaviour.error, step: f.step, reason: f.reason, ...(f.fix ? { fix: f.fix } : {}) } } : {}),
        trace,
      });
    }
    return outcome;
  }
}

/**
 * What every run's context starts from. A class, so every run's context begins with one shape (the
 * steps' members are added to it) and `state` is read through the prototype.
 */
class RunBase implements BaseContext {
  constructor(
    readonly request: TokenRequest,
    readonly principal: Principal | null,
    readonly now: number,
    readonly readOnly: boolean,
    readonly ic: IdentityCenter,
    readonly profile: BehaviourProfile,
    readonly issuerKeys: IssuerKeyCache,
    readonly tokens: TokenService,
    readonly baseUrl: string | undefined,
    /** Explain's what-if: the state to read instead of the lab's. */
    readonly variant: Readonly<IdentityCenterState> | undefined,
  ) {}

  /** The lab's state as it is when each step reads it, or explain's variant. */
  get state(): Readonly<IdentityCenterState> {
    return this.variant ?? this.ic.state.read;
  }
}
