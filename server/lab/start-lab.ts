import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../../shared/clock.js';
import type { LabConfig } from '../config/lab-config.js';
import { loadConfig, parseLabConfig } from '../config/load-config.js';
import { KeyStore, type KeySummary } from '../../keys/key-store.js';
import { loadSecret } from '../../keys/load-secret.js';
import { RequestLog, type RequestLogEntry, type RequestLogQuery } from '../log/request-log.js';
import { IssuerRuntime } from '../issuer/issuer-runtime.js';
import { mintToken, type MintRequest, type MintResult } from '../issuer/mint/mint-token.js';
import type { IssuerFaults } from '../config/lab-config.js';
import { buildApp } from '../app/build-app.js';
import { loadTls, type TlsMaterial } from '../tls/load-tls.js';
import type { LabServices } from './lab-services.js';
import { ListenError } from './listen-error.js';
import { AwsRegistry } from '../aws/aws-registry.js';
import { CredentialRegistry, DEFAULT_CREDENTIALS, type CredentialRecord } from '../aws/aws-credentials.js';
import { IdentityCenter } from '../identity-center/identity-center.js';
import { ssoAdminService } from '../identity-center/sso-admin/sso-admin-service.js';
import { identityStoreService } from '../identity-center/identity-store/identity-store-service.js';
import { SsoOidc } from '../identity-center/sso-oidc/sso-oidc.js';
import { registerSsoOidc } from '../identity-center/sso-oidc/sso-oidc-service.js';
import { registerS3Control } from '../s3-access-grants/s3-control-service.js';
import { stsService } from '../identity-center/sts/sts-service.js';
import { applySetup } from '../identity-center/setup/apply-setup.js';
import { loadBehaviourProfile } from '../identity-center/profile/behaviour-profile.js';
import type { ExchangeLogEntry } from '../identity-center/sso-oidc/exchange/exchange-log.js';
import { checkBindHost, isLoopbackHost } from '../security/bind-host.js';
import { normaliseHostNames } from '../security/allowed-hosts.js';
import { ControlToken } from '../security/control-token.js';
import { DataDirLock } from '../state/data-dir-lock.js';
import { removeTempLeftovers } from '../util/remove-temp-leftovers.js';
import type { LogDestination } from '../log/server-error-log.js';

/** The default port of `tti-lab serve`. */
export const DEFAULT_PORT = 4750;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = '.tti-lab';
/**
 * How long after listening the lab builds the issuers' oidc-provider instances that no request has
 * needed yet: late enough that a client asking for discovery right after the start is not kept
 * waiting by the builds, soon enough that the first token request seldom pays for one.
 */
const PROVIDER_WARM_UP_MS = 300;

export interface StartLabOptions {
  /** A validated or raw config object, or the path of a YAML file. Default: no issuers. */
  config?: LabConfig | Record<string, unknown> | string;
  /** Default: the config's host, else 127.0.0.1. */
  host?: string;
  /**
   * Default 0: any free port, so a suite's labs never collide with each other or with a running
   * `tti-lab serve`; the config's `port` applies only with `useConfigPort`. A port that is taken
   * fails with a ListenError naming it and the fix.
   */
  port?: number;
  /** Listen on the config's `port` (else `defaults.port`) when `port` is not given: what `tti-lab serve` does. Default false. */
  useConfigPort?: boolean;
  /** Keys and state folder. Default: in memory (startLab); `tti-lab serve` defaults to `.tti-lab/`. */
  dataDir?: string;
  /** Keep everything in memory even if a data dir is configured. */
  inMemory?: boolean;
  clock?: Clock;
  /** Serve mint and control routes to non-loopback clients too, without a token. Default false. */
  openControl?: boolean;
  /** Allow binding to a non-loopback host. Default: the config's allow_remote, else false. */
  allowRemote?: boolean;
  /**
   * Host names (or addresses) the lab answers besides the loopback ones, added to the config's
   * allowed_hosts: every other `Host` is refused on every route (DNS rebinding).
   */
  allowedHosts?: string[];
  /** Lets non-loopback clients that present it use mint and control routes. Default: the config's control_token. */
  controlToken?: string;
  /** A behaviour profile file (YAML or JSON) merged over the default; overrides the config's. */
  behaviourProfile?: string;
  /** The server's log (JSON lines): every 5xx answer with its error's stack. Default stderr. */
  log?: LogDestination;
  /** Used when neither the options nor the config set them (`tti-lab serve` sets 4750, with useConfigPort, and `.tti-lab`). */
  defaults?: { port?: number; dataDir?: string };
  /** Told what the lab did on its own at start (a stale lock taken over, leftovers removed …). Default: stderr. */
  onNotice?: (message: string) => void;
}

export interface LabIssuer {
  name: string;
  url: string;
  discoveryUrl: string;
  jwksUrl: string;
  mint(req?: MintRequest): Promise<MintResult>;
  rotateKey(): Promise<KeySummary>;
  retireKey(kid: string): Promise<KeySummary>;
  keys(): Promise<KeySummary[]>;
  setFaults(faults: IssuerFaults): IssuerFaults;
  resetFaults(): void;
}

export interface Lab {
  /** `http(s)://host:port` */
  url: string;
  issuers: Record<string, LabIssuer>;
  issuer(name: string): LabIssuer;
  mint(issuer: string, req?: MintRequest): Promise<MintResult>;
  requests(q?: RequestLogQuery): RequestLogEntry[];
  /** The exchange log: every CreateTokenWithIAM attempt with its step-by-step trace. */
  exchanges(opts?: { limit?: number; clientId?: string; outcome?: 'success' | 'failure' }): ExchangeLogEntry[];
  tls: TlsMaterial | null;
  dataDir: string | null;
  /** Named service URLs beyond the issuers (the AWS endpoint, the control API …), for display. */
  endpoints: Record<string, string>;
  /** What the start changed or wants fixed in the saved state (a trusted token issuer reconciled to a new port …), one line each. */
  notices: string[];
  services: LabServices;
  app: FastifyInstance;
  close(): Promise<void>;
}

function labIssuer(rt: IssuerRuntime, services: LabServices): LabIssuer {
  return {
    name: rt.name,
    get url() {
      return rt.url;
    },
    get discoveryUrl() {
      return rt.discoveryUrl;
    },
    get jwksUrl() {
      return rt.jwksUrl;
    },
    mint: (req = {}) => mintToken(rt.mintSource(), req, services.clock),
    rotateKey: () => services.keys.rotate(rt.name, rt.config.algorithm),
    retireKey: (kid) => services.keys.retire(rt.name, kid),
    keys: async () => {
      await rt.mintSource().signingKey();
      return services.keys.list(rt.name);
    },
    setFaults: (f) => rt.faults.set(f),
    resetFaults: () => rt.faults.reset(),
  };
}

const hostForUrl = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host);

/**
 * Starts a lab in this process: config validated first (nothing starts half-configured), keys and
 * state opened, the app built and listening. What `tti-lab serve` runs, and what test suites import.
 */
export async function startLab(opts: StartLabOptions = {}): Promise<Lab> {
  let config: LabConfig;
  let source = 'config';
  let baseDir = process.cwd();
  if (typeof opts.config === 'string') {
    config = await loadConfig(opts.config);
    source = basename(opts.config);
    baseDir = dirname(resolve(opts.config));
  } else {
    config = parseLabConfig(opts.config ?? {});
  }
  const clock = opts.clock ?? systemClock;
  const host = opts.host ?? config.host ?? DEFAULT_HOST;
  checkBindHost(host, opts.allowRemote ?? config.allow_remote ?? false);
  const controlTokenSecret = opts.controlToken ?? config.control_token;
  const controlToken = controlTokenSecret === undefined ? null : new ControlToken(controlTokenSecret);
  const port = opts.port ?? (opts.useConfigPort ? config.port ?? opts.defaults?.port : undefined) ?? 0;
  const dataDirOpt = opts.dataDir ?? config.data_dir ?? opts.defaults?.dataDir;
  const dataDir = opts.inMemory || !dataDirOpt ? null : resolve(baseDir, dataDirOpt);
  const notice = opts.onNotice ?? ((message: string) => process.stderr.write(`tti-lab: ${message}\n`));
  let lock: DataDirLock | null = null;
  if (dataDir) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    lock = await DataDirLock.acquire(dataDir, clock, notice);
  }
  try {
    return await openLab(opts, { config, source, baseDir, clock, host, controlToken, port, dataDir, notice, lock });
  } catch (err) {
    await lock?.release();
    throw err;
  }
}

interface LabStart {
  config: LabConfig;
  source: string;
  baseDir: string;
  clock: Clock;
  host: string;
  controlToken: ControlToken | null;
  port: number;
  dataDir: string | null;
  notice: (message: string) => void;
  lock: DataDirLock | null;
}

/** startLab once the data dir is this lab's: leftovers removed, keys and state opened, listening. */
async function openLab(opts: StartLabOptions, { config, source, baseDir, clock, host, controlToken, port, dataDir, notice, lock }: LabStart): Promise<Lab> {
  if (dataDir) {
    // Temporary files of a writer killed mid-write (atomicWrite, createExclusive); the lock makes them nobody's.
    for (const dir of [dataDir, join(dataDir, 'state'), join(dataDir, 'keys')]) {
      const removed = await removeTempLeftovers(dir);
      if (removed.length > 0) notice(`removed ${removed.length} temporary file${removed.length === 1 ? '' : 's'} left in ${dir} by an interrupted write: ${removed.join(', ')}`);
    }
  }
  const tls = config.tls ? await loadTls(config.tls, { baseDir, dataDir, source }) : null;
  let baseUrl = '';
  const longTerm: CredentialRecord[] = [
    ...(config.aws.default_credentials ? [DEFAULT_CREDENTIALS] : []),
    ...config.aws.principals.map((p) => ({ accessKeyId: p.access_key_id, secretAccessKey: p.secret_access_key, arn: p.arn, accountId: p.arn.split(':')[4]! })),
  ];
  const aws = new AwsRegistry(new CredentialRegistry(clock, longTerm), config.aws.region);
  const identityCenter = await IdentityCenter.open({ dataDir, clock, region: config.aws.region, notice });
  aws.addJsonService(ssoAdminService(identityCenter));
  aws.addJsonService(identityStoreService(identityCenter));
  registerSsoOidc(aws);
  aws.addQueryService(stsService());
  registerS3Control(aws);
  const profileFile = opts.behaviourProfile ?? (typeof config.identity_center?.behaviour_profile === 'string' ? resolve(baseDir, config.identity_center.behaviour_profile) : undefined);
  const keys = new KeyStore({ dir: dataDir ? join(dataDir, 'keys') : null, clock });
  const contextSecret = await loadSecret(dataDir ? join(dataDir, 'keys', 'identity-context.secret') : null);
  const ssoOidc = new SsoOidc(identityCenter, keys, clock, await loadBehaviourProfile(profileFile), () => tls?.cert ?? null, contextSecret, {
    tokenTableSize: config.token_table_size,
    replayCacheSize: config.replay_cache_size,
  });
  // Accepted assertions survive a restart: their own append-only file beside the state.
  if (dataDir) await ssoOidc.tokens.replay.persistTo(join(dataDir, 'replay-cache.log'), clock.now());
  const services: LabServices = {
    config,
    clock,
    keys,
    requestLog: new RequestLog(config.request_log_size, clock),
    dataDir,
    baseUrl: () => baseUrl,
    issuers: new Map(),
    openControl: opts.openControl ?? false,
    controlToken,
    hostRule: { remote: !isLoopbackHost(host), names: normaliseHostNames([...(config.allowed_hosts ?? []), ...(opts.allowedHosts ?? [])]) },
    aws,
    identityCenter,
    ssoOidc,
  };
  for (const issuer of config.issuers) {
    services.issuers.set(issuer.name, new IssuerRuntime(issuer, services.keys, services.baseUrl));
  }
  // A lab issuer's key change reaches the exchange's key cache at once (a retired key must not
  // verify for up to a TTL more); external issuers' keys follow jwks_cache_ttl_seconds.
  keys.onChange((name) => {
    const issuer = services.issuers.get(name);
    if (issuer) ssoOidc.issuerKeys.forget(issuer.url);
  });
  const app = await buildApp(services, { https: tls ? { key: tls.key, cert: tls.cert } : null, ...(opts.log ? { log: opts.log } : {}) });
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    await identityCenter.state.close();
    await ssoOidc.tokens.replay.close();
    if (ListenError.CODES.includes((err as NodeJS.ErrnoException).code ?? '')) throw new ListenError(err as NodeJS.ErrnoException, host, port);
    throw err;
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  baseUrl = `${tls ? 'https' : 'http'}://${hostForUrl(host)}:${boundPort}`;
  // Each issuer's keys are made (or loaded), then the config's Identity Center setup is applied (it
  // needs the issuers' URLs). The issuers' oidc-provider instances are not built here: discovery and
  // JWKS (all an exchange's key fetch reads) need none, so the lab answers them at once; a provider is
  // built by the first request that needs it (token, authorization, login …), or in the background
  // once the lab has been listening for PROVIDER_WARM_UP_MS, whichever comes first (docs/benchmarks.md).
  let notices: string[];
  try {
    await Promise.all([...services.issuers.values()].map((i) => i.publicJwks()));
    notices = await applySetup(services, config.identity_center, source);
  } catch (err) {
    await app.close();
    await identityCenter.state.close();
    await ssoOidc.tokens.replay.close();
    throw err;
  }

  const issuers = Object.fromEntries([...services.issuers.values()].map((rt) => [rt.name, labIssuer(rt, services)]));
  const issuer = (name: string): LabIssuer => {
    const found = issuers[name];
    if (!found) throw new Error(`no issuer named "${name}"; configured: ${Object.keys(issuers).join(', ') || 'none'}`);
    return found;
  };
  let closing: Promise<void> | undefined;
  const warmUp = setTimeout(() => {
    for (const rt of services.issuers.values()) {
      // A build that fails is forgotten (IssuerRuntime.provider) and fails again, with its error in
      // the server's log, on the request that needs it.
      rt.provider().catch(() => undefined);
    }
  }, PROVIDER_WARM_UP_MS);
  warmUp.unref();
  return {
    url: baseUrl,
    issuers,
    issuer,
    mint: (name, req) => issuer(name).mint(req),
    requests: (q) => services.requestLog.entries(q),
    exchanges: (o) => services.ssoOidc.exchanges.list(o),
    tls,
    dataDir,
    endpoints: { aws: `${baseUrl} (AWS_ENDPOINT_URL; access key test / secret test)`, control: `${baseUrl}/_lab` },
    notices,
    services,
    app,
    close: () =>
      (closing ??= (async () => {
        clearTimeout(warmUp);
        await app.close();
        await ssoOidc.tokens.replay.close();
        await identityCenter.state.close();
        await lock?.release();
      })()),
  };
}
