import { systemClock } from '../../shared/clock.js';
import { KeyStore } from '../../keys/key-store.js';
import type { Scenario } from '../scenario/scenario.js';
import { LocalIssuer } from '../issuer/local-issuer.js';
import type { IssuerHandle, ServiceName, Target, TargetSession } from './target.js';

const ACCOUNT = '111122223333';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-dryrun0000000000';

/**
 * `--dry-run`: nothing is sent. Every call is recorded and answered with a made-up value of the
 * right shape, so later calls can refer to it; the run's call list (symbolised) is what the real
 * target would receive.
 */
export class DryRunTarget implements Target {
  readonly kind: 'mock' | 'aws';
  readonly name: string;
  readonly concurrent = true;
  readonly description: string;

  constructor(of: { name: string; kind: 'mock' | 'aws'; instanceArn?: string; roleArn?: string; issuerUrl?: (issuer: string, ns: string) => string }) {
    this.name = of.name;
    this.kind = of.kind;
    this.description = `dry run for ${of.name}: calls listed, none sent`;
    this.#of = of;
  }

  readonly #of: { instanceArn?: string; roleArn?: string; issuerUrl?: (issuer: string, ns: string) => string };

  unsupported(): string | undefined {
    return undefined;
  }

  async open(sc: Scenario, ns: string): Promise<TargetSession> {
    let n = 0;
    const id = () => `${ns}-${(++n).toString().padStart(4, '0')}`;
    const instanceArn = this.#of.instanceArn ?? INSTANCE;
    const instanceId = instanceArn.split('/').pop()!;
    const keys = new KeyStore({ dir: null, clock: systemClock });
    const issuers = new Map<string, IssuerHandle>();
    for (const i of sc.setup.issuers) {
      const issuer = new LocalIssuer(i.name, this.#of.issuerUrl?.(i.name, ns) ?? `https://issuer.example.com/${ns}/${i.name}`, keys, i.algorithm);
      issuers.set(i.name, { url: issuer.url, mint: (req) => issuer.mint(req), rotate: () => issuer.rotate() });
    }
    const answers: Record<string, () => Record<string, unknown>> = {
      CreateInstance: () => ({ InstanceArn: `arn:aws:sso:::instance/ssoins-dry${id()}` }),
      DescribeInstance: () => ({ Status: 'ACTIVE', IdentityStoreId: `d-dry${id()}` }),
      CreateUser: () => ({ UserId: `user-${id()}` }),
      CreateGroup: () => ({ GroupId: `group-${id()}` }),
      CreateGroupMembership: () => ({ MembershipId: `membership-${id()}` }),
      CreateTrustedTokenIssuer: () => ({ TrustedTokenIssuerArn: `arn:aws:sso::${ACCOUNT}:trustedTokenIssuer/${instanceId}/tti-${id()}` }),
      CreateApplication: () => ({ ApplicationArn: `arn:aws:sso::${ACCOUNT}:application/${instanceId}/apl-${id()}` }),
      CreateTokenWithIAM: () => ({ accessToken: `access-${id()}`, refreshToken: `refresh-${id()}`, tokenType: 'Bearer', awsAdditionalDetails: { identityContext: `context-${id()}` } }),
      AssumeRole: () => ({ Credentials: { AccessKeyId: `ASIA${id()}`, SecretAccessKey: `secret-${id()}`, SessionToken: `session-${id()}` } }),
      CreateAccessGrantsInstance: () => ({ AccessGrantsInstanceArn: `arn:aws:s3:us-east-1:${ACCOUNT}:access-grants/default` }),
      CreateAccessGrantsLocation: () => ({ AccessGrantsLocationId: `location-${id()}` }),
      CreateAccessGrant: () => ({ AccessGrantId: `grant-${id()}` }),
      GetDataAccess: () => ({ Credentials: { AccessKeyId: `ASIA${id()}` }, MatchedGrantTarget: 's3://dry-run/*' }),
    };
    return {
      send: async (_service: ServiceName, operation: string) => answers[operation]?.() ?? {},
      sendAs: async (_credentials, _service: ServiceName, operation: string) => answers[operation]?.() ?? {},
      account: ACCOUNT,
      instance: { arn: instanceArn, identityStoreId: 'd-dryrun0000' },
      issuer: (name) => issuers.get(name)!,
      roleArn: (name) => this.#of.roleArn ?? `arn:aws:iam::${ACCOUNT}:role/tti-harness-${name}`,
      now: () => Date.now(),
      close: async () => {},
    };
  }

  async close(): Promise<void> {}
}
