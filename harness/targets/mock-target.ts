import { startLab, type Lab } from '../../server/lab/start-lab.js';
import type { Scenario } from '../scenario/scenario.js';
import { emulatorGap } from './capabilities.js';
import { errorHeader, errorLabReason, sdkSender, type SdkSender } from '../../server/sdk/sdk-sender.js';
import type { Target, TargetSession } from './target.js';

export const LAB_ACCOUNT = '000000000000';
const LAB_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The role name the mock gives a scenario role, and the trust policy a TIP role (and an access grants location's role) needs. */
export const harnessRoleName = (name: string) => `tti-harness-${name}`;
export const tipTrustPolicy = (account: string) => ({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ['sts:AssumeRole', 'sts:SetContext'] },
    // The same role serves as an S3 Access Grants location's role, assumed by GetDataAccess.
    { Effect: 'Allow', Principal: { Service: 'access-grants.s3.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:SetContext', 'sts:SetSourceIdentity'], Condition: { StringEquals: { 'aws:SourceAccount': account } } },
  ],
});

export interface MockTargetOptions {
  /** Shown in reports. Default `mock`. */
  name?: string;
  /** A behaviour profile file merged over the default (startLab's behaviourProfile). */
  behaviourProfile?: string;
}

/** A scenario issuer's name in a shared lab: namespaced, so each scenario has its own keys and URL. */
export const labIssuerName = (ns: string, issuer: string) => `${ns}-${issuer}`;

/**
 * The emulator, in this process: one in-memory lab for the run, started with every scenario's
 * issuers (namespaced, so each scenario has its own keys and URL, and rotating one touches no other)
 * and the roles they use. Scenarios share it as they would share an account: every name they create
 * carries their namespace. Calls go over HTTP through the real SDK, as they would to AWS. A scenario
 * opened without prepare() gets a lab of its own.
 */
export class MockTarget implements Target {
  readonly kind = 'mock' as const;
  readonly name: string;
  readonly concurrent = true;
  readonly description: string;
  #shared: Promise<Lab> | undefined;
  /** SDK clients for the shared lab: made once, as their first call is the slow one. */
  #sharedSender: SdkSender | undefined;

  constructor(private readonly opts: MockTargetOptions = {}) {
    this.name = opts.name ?? 'mock';
    this.description = `the emulator in this process${opts.behaviourProfile ? ` (behaviour profile ${opts.behaviourProfile})` : ''}`;
  }

  unsupported(sc: Scenario): string | undefined {
    return emulatorGap(sc);
  }

  #start(entries: { sc: Scenario; ns: string }[]): Promise<Lab> {
    const roles = [...new Set(entries.flatMap((e) => e.sc.setup.roles))];
    return startLab({
      inMemory: true,
      ...(this.opts.behaviourProfile ? { behaviourProfile: this.opts.behaviourProfile } : {}),
      config: {
        issuers: entries.flatMap((e) => e.sc.setup.issuers.map((i) => ({ name: labIssuerName(e.ns, i.name), algorithm: i.algorithm }))),
        aws: { roles: roles.map((r) => ({ arn: `arn:aws:iam::${LAB_ACCOUNT}:role/${harnessRoleName(r)}`, trust_policy: tipTrustPolicy(LAB_ACCOUNT) })) },
      },
    });
  }

  async prepare(scenarios: Scenario[], runId: string): Promise<void> {
    const { namespaceOf } = await import('../run/run-harness.js');
    this.#shared = this.#start(scenarios.filter((sc) => !this.unsupported(sc)).map((sc) => ({ sc, ns: namespaceOf(runId, sc.name) })));
    await this.#shared;
  }

  async open(sc: Scenario, ns: string): Promise<TargetSession> {
    const shared = this.#shared ? await this.#shared : undefined;
    const lab = shared && shared.issuers[labIssuerName(ns, sc.setup.issuers[0]!.name)] ? shared : await this.#start([{ sc, ns }]);
    const sender = lab === shared ? (this.#sharedSender ??= sdkSender({ region: 'us-east-1', endpoint: lab.url, credentials: LAB_CREDENTIALS })) : sdkSender({ region: 'us-east-1', endpoint: lab.url, credentials: LAB_CREDENTIALS });
    const instance = lab.services.identityCenter.defaultInstance();
    return {
      send: (service, operation, input) => sender.send(service, operation, input),
      sendAs: (credentials, service, operation, input) => sender.as(credentials).send(service, operation, input),
      account: LAB_ACCOUNT,
      instance: { arn: instance.InstanceArn, identityStoreId: instance.IdentityStoreId },
      issuer: (name) => {
        const issuer = lab.issuer(labIssuerName(ns, name));
        return { url: issuer.url, mint: (req) => issuer.mint(req), rotate: async () => (await issuer.rotateKey()).kid };
      },
      roleArn: (name) => `arn:aws:iam::${LAB_ACCOUNT}:role/${harnessRoleName(name)}`,
      now: () => lab.services.clock.now(),
      diagnose: async (err) => {
        const id = errorHeader(err, 'x-tti-lab-exchange');
        const entry = id ? lab.exchanges().find((e) => e.id === id) : undefined;
        const reason = errorLabReason(err);
        return { ...(entry?.failure ? { failureKey: entry.failure.key } : {}), ...(reason ? { reason } : {}) };
      },
      close: async () => {
        if (lab === shared) return;
        sender.destroy();
        await lab.close();
      },
    };
  }

  async close(): Promise<void> {
    const shared = this.#shared;
    this.#shared = undefined;
    this.#sharedSender?.destroy();
    this.#sharedSender = undefined;
    if (shared) await (await shared.catch(() => undefined))?.close();
  }
}
