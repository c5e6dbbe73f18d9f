import { Agent } from 'node:http';
import { LAB_REASON_HEADER, readLabReason } from '../aws/protocols/lab-reason-header.js';
import { localhostSubdomainLookup } from '../aws/localhost-subdomain-lookup.js';

/** The AWS services the harness and the tour talk to, by the SDK package that serves each. */
export type ServiceName = 'sso-admin' | 'identitystore' | 'sso-oidc' | 'sts' | 's3-control';

/** How SDK clients are made: the standard provider chain unless credentials are given. */
export interface SdkClientOptions {
  region: string;
  /** One endpoint for every service (a lab, or a lab posing as AWS). Default: AWS's own. */
  endpoint?: string;
  /** A named profile of the shared config files (~/.aws/config, ~/.aws/credentials). */
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

const PACKAGES: Record<ServiceName, { pkg: string; client: string }> = {
  'sso-admin': { pkg: '@aws-sdk/client-sso-admin', client: 'SSOAdminClient' },
  identitystore: { pkg: '@aws-sdk/client-identitystore', client: 'IdentitystoreClient' },
  'sso-oidc': { pkg: '@aws-sdk/client-sso-oidc', client: 'SSOOIDCClient' },
  sts: { pkg: '@aws-sdk/client-sts', client: 'STSClient' },
  's3-control': { pkg: '@aws-sdk/client-s3-control', client: 'S3ControlClient' },
};

/**
 * S3 Control's endpoint rules send every call to `<AccountId>.<endpoint host>`: a loopback endpoint
 * (a lab) is reached as `localhost`, whose `<account>.localhost` subdomains the lookup resolves to
 * loopback (docs/s3-access-grants.md, "Reaching S3 Control").
 */
function s3ControlEndpoint(endpoint: string | undefined): Record<string, unknown> {
  if (!endpoint) return {};
  const url = new URL(endpoint);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return { endpoint };
  url.hostname = 'localhost';
  return { endpoint: url.toString().replace(/\/$/, ''), requestHandler: { httpAgent: new Agent({ lookup: localhostSubdomainLookup }) } };
}

/** An error the CLI prints as it is: the harness's run that cannot start (missing SDK, bad instance), or the tour's missing SDK. */
export class HarnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessError';
  }
}

type SdkModule = Record<string, new (arg: unknown) => { send(cmd: unknown, opts?: unknown): Promise<Record<string, unknown>>; destroy(): void }>;

/** Loads an SDK package on first use, so the rest of the CLI works without the AWS SDK installed. */
async function load(service: ServiceName): Promise<SdkModule> {
  const { pkg } = PACKAGES[service];
  try {
    return (await import(pkg)) as SdkModule;
  } catch {
    throw new HarnessError(`the harness needs ${pkg}; install the AWS SDK clients: npm install @aws-sdk/client-sso-admin @aws-sdk/client-identitystore @aws-sdk/client-sso-oidc @aws-sdk/client-sts @aws-sdk/client-s3-control`);
  }
}

export interface SdkSender {
  send(service: ServiceName, operation: string, input: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>>;
  /** A sender to the same place with other credentials (a role session's), destroyed with this one. */
  as(credentials: NonNullable<SdkClientOptions['credentials']>): SdkSender;
  destroy(): void;
}

/**
 * One client per service, one attempt per call (a retried CreateTokenWithIAM would be a second
 * exchange, and a retried assertion a replay). Every call goes through `send`, by operation name:
 * the same choke point for every target.
 */
export function sdkSender(opts: SdkClientOptions): SdkSender {
  const clients = new Map<ServiceName, Promise<{ mod: SdkModule; client: InstanceType<SdkModule[string]> }>>();
  const client = (service: ServiceName) => {
    let c = clients.get(service);
    if (!c) {
      c = load(service).then((mod) => {
        const Client = mod[PACKAGES[service].client]!;
        return {
          mod,
          client: new Client({
            region: opts.region,
            maxAttempts: 1,
            ...(service === 's3-control' ? s3ControlEndpoint(opts.endpoint) : opts.endpoint ? { endpoint: opts.endpoint } : {}),
            ...(opts.profile ? { profile: opts.profile } : {}),
            ...(opts.credentials ? { credentials: opts.credentials } : {}),
          }),
        };
      });
      clients.set(service, c);
    }
    return c;
  };
  const others = new Map<string, SdkSender>();
  return {
    async send(service, operation, input, signal) {
      const { mod, client: c } = await client(service);
      const Command = mod[`${operation}Command`];
      if (!Command) throw new HarnessError(`${PACKAGES[service].pkg} has no ${operation} operation`);
      return c.send(new Command(input), signal ? { abortSignal: signal } : undefined);
    },
    as(credentials) {
      const key = `${credentials.accessKeyId}:${credentials.sessionToken ?? ''}`;
      let other = others.get(key);
      if (!other) others.set(key, (other = sdkSender({ region: opts.region, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}), credentials })));
      return other;
    },
    destroy() {
      for (const c of clients.values()) void c.then((x) => x.client.destroy(), () => undefined);
      for (const o of others.values()) o.destroy();
    },
  };
}

/** The parts of an SDK error the harness compares: exception name, HTTP status, OAuth `error`. */
export function errorFacts(err: unknown): { exception: string; status: number | null; error: string | null; message: string } {
  const e = err as { name?: string; message?: string; error?: unknown; Code?: string; $metadata?: { httpStatusCode?: number } };
  return {
    exception: e?.name ?? 'Error',
    status: e?.$metadata?.httpStatusCode ?? null,
    error: typeof e?.error === 'string' ? e.error : null,
    message: e?.message ?? String(err),
  };
}

/** The lab's `x-tti-lab-reason` of a failed SDK call, decoded the one way the lab encodes it; undefined when absent. */
export function errorLabReason(err: unknown): string | undefined {
  const raw = (err as { $response?: { headers?: Record<string, string> } })?.$response?.headers?.[LAB_REASON_HEADER];
  return raw === undefined ? undefined : readLabReason(raw);
}

/** A response header of a failed SDK call. */
export function errorHeader(err: unknown, name: string): string | undefined {
  const raw = (err as { $response?: { headers?: Record<string, string> } })?.$response?.headers?.[name];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
