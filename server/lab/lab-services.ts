import type { Clock } from '../../shared/clock.js';
import type { LabConfig } from '../config/lab-config.js';
import type { KeyStore } from '../../keys/key-store.js';
import type { RequestLog } from '../log/request-log.js';
import type { IssuerRuntime } from '../issuer/issuer-runtime.js';
import type { AwsRegistry } from '../aws/aws-registry.js';
import type { IdentityCenter } from '../identity-center/identity-center.js';
import type { SsoOidc } from '../identity-center/sso-oidc/sso-oidc.js';
import type { ControlToken } from '../security/control-token.js';
import type { HostRule } from '../security/allowed-hosts.js';

/**
 * What every feature of the lab shares, decorated on the fastify instance as `app.lab`.
 * Built once by startLab (or by a test) and passed to buildApp.
 */
export interface LabServices {
  config: LabConfig;
  clock: Clock;
  keys: KeyStore;
  requestLog: RequestLog;
  /** Folder for keys and state, or null for in-memory. */
  dataDir: string | null;
  /** The lab's base URL as clients reach it (`http://127.0.0.1:4750`); known once listening. */
  baseUrl(): string;
  issuers: Map<string, IssuerRuntime>;
  /** When false (the default), mint and control routes answer only loopback clients. */
  openControl: boolean;
  /** When set, a non-loopback client that presents it may use the mint and control routes. */
  controlToken: ControlToken | null;
  /** Which Host values every route answers (server/security/allowed-hosts.ts). Default: loopback names only. */
  hostRule?: HostRule;
  /** The AWS services on the lab's endpoint and the credentials it accepts. */
  aws: AwsRegistry;
  /** The Identity Center emulator's state. */
  identityCenter: IdentityCenter;
  /** SSO OIDC: the token exchange, its behaviour profile, tokens and exchange log. */
  ssoOidc: SsoOidc;
}

declare module 'fastify' {
  interface FastifyInstance {
    lab: LabServices;
  }
}
