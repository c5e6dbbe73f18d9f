import type { Clock } from '../../shared/clock.js';

/** Who signed a request, as IAM would see it. */
export interface Principal {
  accessKeyId: string;
  accountId: string;
  /** `arn:aws:iam::<account>:user/<name>`, `…:role/<name>`, `…:root`, or an assumed-role session ARN. */
  arn: string;
  /** For temporary credentials: the role session's identity context (trusted identity propagation). */
  sessionContext?: Record<string, unknown>;
}

export interface CredentialRecord extends Principal {
  secretAccessKey: string;
  /** Present on temporary credentials: the request must carry it as `x-amz-security-token`. */
  sessionToken?: string;
  /** Epoch ms after which temporary credentials are refused. */
  expiresAt?: number;
}

/** The local-emulator convention: access key `test`, secret `test`, account 000000000000. */
export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_CREDENTIALS: CredentialRecord = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
  accountId: DEFAULT_ACCOUNT_ID,
  arn: `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:root`,
};

/**
 * Every access key the lab accepts: configured principals (long-term keys) and temporary
 * credentials the lab's STS hands out. Temporary ones are bounded and expire on the injected clock.
 */
export class CredentialRegistry {
  readonly #byKey = new Map<string, CredentialRecord>();
  readonly #temporaryOrder: string[] = [];

  constructor(
    private readonly clock: Clock,
    longTerm: CredentialRecord[] = [DEFAULT_CREDENTIALS],
    private readonly maxTemporary = 100_000,
  ) {
    for (const c of longTerm) this.#byKey.set(c.accessKeyId, { ...c });
  }

  lookup(accessKeyId: string): CredentialRecord | undefined {
    const c = this.#byKey.get(accessKeyId);
    if (c?.expiresAt !== undefined && c.expiresAt <= this.clock.now()) return { ...c };
    return c;
  }

  isExpired(c: CredentialRecord): boolean {
    return c.expiresAt !== undefined && c.expiresAt <= this.clock.now();
  }

  /** Adds temporary credentials (from STS), dropping the oldest beyond the bound. */
  addTemporary(c: CredentialRecord): void {
    this.#byKey.set(c.accessKeyId, { ...c });
    this.#temporaryOrder.push(c.accessKeyId);
    while (this.#temporaryOrder.length > this.maxTemporary) this.#byKey.delete(this.#temporaryOrder.shift()!);
  }

  longTerm(): CredentialRecord[] {
    return [...this.#byKey.values()].filter((c) => c.sessionToken === undefined);
  }
}
