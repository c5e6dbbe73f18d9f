import type { MintRequest } from '../../server/issuer/mint/mint-token.js';
import type { Scenario } from '../scenario/scenario.js';

import type { ServiceName } from '../../server/sdk/sdk-sender.js';

export type { ServiceName };

/** Temporary credentials an AssumeRole step gave. */
export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** One issuer a scenario signs with, as a target provides it. */
export interface IssuerHandle {
  /** The URL in `iss` and in the trusted token issuer's IssuerUrl. */
  url: string;
  /** Signs a token. Times in `req` are absolute epoch seconds (the runner resolves them). */
  mint(req: MintRequest): Promise<{ token: string }>;
  /** Makes a new active key and publishes it (the old one stays published); returns the new kid. */
  rotate(): Promise<string>;
}

/** What a failed call looked like on the wire, and, from a lab, why it failed. */
export interface Diagnosis {
  /** The behaviour-profile failure key the emulator raised (lab targets only). */
  failureKey?: string;
  /** The `x-tti-lab-reason` header (lab targets only). */
  reason?: string;
}

/** One scenario's view of a target: the place its calls go, for the time the scenario runs. */
export interface TargetSession {
  /** Sends one SDK call, with exactly this input; returns the SDK's output or throws its error. */
  send(service: ServiceName, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The same, signed with other credentials: a role session an earlier AssumeRole step gave (GetDataAccess). */
  sendAs(credentials: RoleCredentials, service: ServiceName, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The caller's account id (GetCallerIdentity). */
  account: string;
  /** The instance `existing` scenarios use. */
  instance: { arn: string; identityStoreId: string };
  issuer(name: string): IssuerHandle;
  /** The ARN of the role an AssumeRole step names. */
  roleArn(name: string): string;
  /** The target's clock (ms), for token times: the lab's, or this machine's. */
  now(): number;
  diagnose?(err: unknown): Promise<Diagnosis>;
  /** Undoes what open() did (a lab closed, published issuer documents removed). */
  close(): Promise<void>;
}

export interface Target {
  /** Shown in reports and cassettes: `mock`, `aws`. */
  name: string;
  kind: 'mock' | 'aws';
  /** One line: where the calls go. */
  description: string;
  /**
   * Whether scenarios may run at the same time. False when they share an issuer URL, since an
   * instance holds one trusted token issuer per IssuerUrl.
   */
  concurrent: boolean;
  /** Why this target cannot run the scenario (a grant it does not emulate, an issuer it cannot rotate), or undefined. */
  unsupported(scenario: Scenario): string | undefined;
  /** Called once before a run with every scenario it will open (and the run id their namespaces come from). */
  prepare?(scenarios: Scenario[], runId: string): Promise<void>;
  open(scenario: Scenario, ns: string, signal: AbortSignal): Promise<TargetSession>;
  close(): Promise<void>;
}
