import { join } from 'node:path';
import { systemClock } from '../../shared/clock.js';
import type { SigningAlgorithm } from '../../shared/signing-algorithm.js';
import type { MintRequest } from '../../server/issuer/mint/mint-token.js';
import { KeyStore } from '../../keys/key-store.js';
import { labRequest, LabRequestError } from '../../server/cli/lab-client.js';
import type { Scenario } from '../scenario/scenario.js';
import { LocalIssuer } from '../issuer/local-issuer.js';
import { bucketIssuerUrl, deleteDocuments, publishDocuments, s3Client, type BucketLocation } from '../issuer/publish-issuer.js';
import { errorFacts, errorHeader, errorLabReason, HarnessError, sdkSender, type SdkClientOptions, type SdkSender } from '../../server/sdk/sdk-sender.js';
import type { IssuerHandle, Target, TargetSession } from './target.js';
import { emulatorGap } from './capabilities.js';

/** Where the issuers' documents live, so the target's Identity Center can fetch them. */
export type IssuerSource =
  /** The harness publishes each scenario's issuers to this bucket itself, with fresh keys, under `<prefix>/<ns>/<issuer>/`, and removes them after. */
  | { kind: 'bucket'; location: BucketLocation; profile?: string; credentials?: SdkClientOptions['credentials'] }
  /** An issuer already published (`tti-lab publish-issuer`, or the user's own URL); tokens signed with its keys from the data dir. */
  | { kind: 'published'; url: string; issuer: string; dataDir: string; algorithm?: SigningAlgorithm }
  /** A running lab's issuers, by name: minted and rotated through the lab's own routes. */
  | { kind: 'lab'; url: string };

export interface AwsTargetOptions {
  /** Default `aws`. */
  name?: string;
  /** `mock` for a running lab reached over the network (tti-lab harness run --target mock --endpoint). */
  kind?: 'mock' | 'aws';
  sdk: SdkClientOptions;
  /** The instance `existing` scenarios use; for a running lab, default: its first instance. */
  instanceArn?: string;
  /** The role AssumeRole steps use: its trust policy must allow the caller sts:AssumeRole and sts:SetContext. */
  roleArn?: string;
  issuers: IssuerSource;
}

/** The bucket prefix the harness publishes under when it publishes issuers itself. */
export const HARNESS_PREFIX = 'tti-lab-harness';

/**
 * A real account (or, with an endpoint, anything that speaks its protocols, such as a lab posing as
 * AWS): the SDK's standard credential chain or a named profile, an existing instance, and issuers
 * Identity Center can reach. The harness creates what each scenario needs there, tagged, and
 * removes it afterwards.
 */
export class AwsTarget implements Target {
  readonly kind: 'mock' | 'aws';
  readonly name: string;
  readonly concurrent: boolean;
  readonly description: string;
  readonly #sender: SdkSender;
  #prepared: Promise<{ account: string; instance: { arn: string; identityStoreId: string } }> | undefined;
  #keys: KeyStore | undefined;

  constructor(private readonly opts: AwsTargetOptions) {
    this.kind = opts.kind ?? 'aws';
    this.name = opts.name ?? this.kind;
    this.#sender = sdkSender(opts.sdk);
    // Scenarios share an IssuerUrl unless the harness publishes one per scenario; an instance holds one issuer per URL.
    this.concurrent = opts.issuers.kind === 'bucket';
    const where = opts.sdk.endpoint ? `endpoint ${opts.sdk.endpoint}` : `region ${opts.sdk.region}${opts.sdk.profile ? `, profile ${opts.sdk.profile}` : ''}`;
    const issuers = opts.issuers.kind === 'bucket' ? `issuers published to ${bucketIssuerUrl({ ...opts.issuers.location, prefix: HARNESS_PREFIX })}/…` : opts.issuers.kind === 'published' ? `issuer ${opts.issuers.url}` : `the lab's issuers`;
    this.description = `${this.kind === 'mock' ? 'a running lab' : 'AWS'} (${where}${opts.instanceArn ? `, instance ${opts.instanceArn}` : ''}; ${issuers})`;
  }

  unsupported(sc: Scenario): string | undefined {
    if (this.opts.issuers.kind === 'published') {
      if (sc.setup.issuers.length > 1) return `needs --bucket: it signs with ${sc.setup.issuers.length} issuers, and --issuer-url gives one`;
      if (sc.steps.some((s) => s.kind === 'rotate_key')) return 'needs --bucket: rotating a key means publishing a new JWKS, which the harness can only do to its own bucket';
    }
    if (sc.setup.roles.length && !this.opts.roleArn) return 'needs --role-arn: a role whose trust policy allows sts:AssumeRole and sts:SetContext (docs/harness.md)';
    if (this.kind === 'mock') return emulatorGap(sc);
    return undefined;
  }

  async prepare(scenarios: Scenario[] = []): Promise<void> {
    await this.whoAndWhere();
    if (this.opts.issuers.kind === 'lab') await this.#labHasIssuers(this.opts.issuers.url, scenarios);
  }

  /** A running lab must declare the issuers the scenarios sign with (the catalog's: idp); say so before any scenario starts. */
  async #labHasIssuers(url: string, scenarios: Scenario[]): Promise<void> {
    const base = url.replace(/\/$/, '');
    const needed = [...new Set(scenarios.filter((sc) => !this.unsupported(sc)).flatMap((sc) => sc.setup.issuers.map((i) => i.name)))].sort();
    const missing: string[] = [];
    for (const name of needed) {
      try {
        await labRequest(base, 'GET', `/_lab/issuers/${encodeURIComponent(name)}/keys`);
      } catch (err) {
        if (err instanceof LabRequestError && err.code === 'unknown_issuer') missing.push(name);
        else throw new HarnessError(`--endpoint ${base}: ${(err as Error).message}`);
      }
    }
    if (missing.length) {
      throw new HarnessError(
        `the lab at ${base} has no issuer named ${missing.map((m) => `"${m}"`).join(', ')}, which the scenarios sign with: ` +
          `run the harness against a lab started with its config (npx tti-lab serve --config examples/harness-lab.yaml --port 4751 --in-memory, then --endpoint http://127.0.0.1:4751), ` +
          `or declare issuers with those names in yours (docs/harness.md, Targets)`,
      );
    }
  }

  /** Who the caller is and which instance: once per run. */
  whoAndWhere(): Promise<{ account: string; instance: { arn: string; identityStoreId: string } }> {
    this.#prepared ??= (async () => {
      let who: Record<string, unknown>;
      try {
        who = await this.#sender.send('sts', 'GetCallerIdentity', {});
      } catch (err) {
        throw new HarnessError(`cannot tell who the caller is (sts:GetCallerIdentity): ${errorFacts(err).exception}: ${errorFacts(err).message}. Check the credentials (--profile, AWS_PROFILE, AWS_ACCESS_KEY_ID …) and --region.`);
      }
      let arn = this.opts.instanceArn;
      if (!arn) {
        const list = await this.#sender.send('sso-admin', 'ListInstances', {});
        arn = (list.Instances as { InstanceArn?: string }[] | undefined)?.[0]?.InstanceArn;
        if (!arn) throw new HarnessError('no Identity Center instance: pass --instance-arn');
      }
      let d: Record<string, unknown>;
      try {
        d = await this.#sender.send('sso-admin', 'DescribeInstance', { InstanceArn: arn });
      } catch (err) {
        throw new HarnessError(`--instance-arn ${arn}: DescribeInstance refused it: ${errorFacts(err).exception}: ${errorFacts(err).message}`);
      }
      return { account: String(who.Account), instance: { arn, identityStoreId: String(d.IdentityStoreId) } };
    })();
    return this.#prepared;
  }

  async open(sc: Scenario, ns: string): Promise<TargetSession> {
    const { account, instance } = await this.whoAndWhere();
    const handles = new Map<string, IssuerHandle>();
    const published: { keys: string[]; bucket: string }[] = [];
    let s3: Awaited<ReturnType<typeof s3Client>> | undefined;
    const src = this.opts.issuers;
    const unpublish = async () => {
      if (!s3) return;
      try {
        for (const p of published) await deleteDocuments(s3.s3, s3.mod, p.bucket, p.keys);
      } finally {
        s3.s3.destroy();
      }
    };
    if (src.kind === 'bucket') {
      s3 = await s3Client(src.location, { ...(src.profile ? { profile: src.profile } : {}), ...(src.credentials ? { credentials: src.credentials } : {}) });
      const keys = new KeyStore({ dir: null, clock: systemClock });
      // A scenario's second issuer failing to publish must not leave its first one behind.
      try {
        for (const i of sc.setup.issuers) {
          const location = { ...src.location, prefix: `${HARNESS_PREFIX}/${ns}/${i.name}` };
          const issuer = new LocalIssuer(i.name, bucketIssuerUrl(location), keys, i.algorithm);
          const publish = async () => {
            const put = await publishDocuments(s3!.s3, s3!.mod, location, issuer.url, await issuer.publicJwks(), [i.algorithm]);
            if (!published.some((p) => p.keys.join() === put.join())) published.push({ keys: put, bucket: src.location.bucket });
          };
          await publish();
          handles.set(i.name, { url: issuer.url, mint: (req) => issuer.mint(req), rotate: async () => {
            const kid = await issuer.rotate();
            await publish();
            return kid;
          } });
        }
      } catch (err) {
        await unpublish().catch(() => undefined);
        throw err;
      }
    } else if (src.kind === 'published') {
      if (!this.#keys) {
        const keys = new KeyStore({ dir: join(src.dataDir, 'keys'), clock: systemClock });
        // Signing with a key made now would sign with one nobody published.
        if (!(await keys.list(src.issuer)).length) throw new HarnessError(`no keys for issuer "${src.issuer}" in ${join(src.dataDir, 'keys')}: publish it first (tti-lab publish-issuer --issuer ${src.issuer}), or pass the --data-dir it was published from`);
        this.#keys = keys;
      }
      const issuer = new LocalIssuer(src.issuer, src.url.replace(/\/$/, ''), this.#keys, src.algorithm ?? 'RS256');
      for (const i of sc.setup.issuers) handles.set(i.name, { url: issuer.url, mint: (req) => issuer.mint(req), rotate: () => issuer.rotate() });
    } else {
      const base = src.url.replace(/\/$/, '');
      for (const i of sc.setup.issuers) {
        handles.set(i.name, {
          url: `${base}/issuers/${i.name}`,
          mint: (req: MintRequest) => labRequest<{ token: string }>(base, 'POST', `/issuers/${encodeURIComponent(i.name)}/mint`, req),
          rotate: async () => (await labRequest<{ key: { kid: string } }>(base, 'POST', `/_lab/issuers/${encodeURIComponent(i.name)}/keys/rotate`)).key.kid,
        });
      }
    }
    const labUrl = src.kind === 'lab' ? src.url.replace(/\/$/, '') : undefined;
    return {
      send: (service, operation, input) => this.#sender.send(service, operation, input),
      sendAs: (credentials, service, operation, input) => this.#sender.as(credentials).send(service, operation, input),
      account,
      instance,
      issuer: (name) => {
        const h = handles.get(name);
        if (!h) throw new HarnessError(`no issuer "${name}" on ${this.name}`);
        return h;
      },
      roleArn: (name) => {
        if (!this.opts.roleArn) throw new HarnessError(`role "${name}" needs --role-arn`);
        return this.opts.roleArn;
      },
      now: () => Date.now(),
      ...(labUrl
        ? {
            diagnose: async (err: unknown) => {
              const id = errorHeader(err, 'x-tti-lab-exchange');
              const reason = errorLabReason(err);
              const entry = id ? await labRequest<{ failure?: { key?: string } }>(labUrl, 'GET', `/_lab/exchanges/${encodeURIComponent(id)}`).catch(() => undefined) : undefined;
              return { ...(entry?.failure?.key ? { failureKey: entry.failure.key } : {}), ...(reason ? { reason } : {}) };
            },
          }
        : {}),
      close: unpublish,
    };
  }

  async close(): Promise<void> {
    this.#sender.destroy();
  }
}
