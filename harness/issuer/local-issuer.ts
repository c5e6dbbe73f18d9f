import type { JWK } from 'jose';
import { systemClock, type Clock } from '../../shared/clock.js';
import type { IssuerConfig } from '../../server/config/lab-config.js';
import type { SigningAlgorithm } from '../../shared/signing-algorithm.js';
import { mintToken, type MintRequest, type MintResult } from '../../server/issuer/mint/mint-token.js';
import type { KeyStore } from '../../keys/key-store.js';

/**
 * A lab issuer without a lab: its keys from a KeyStore (the data dir's, as `mint --offline` uses, or
 * in memory), its URL wherever it is published. Tokens are signed here, with the lab's own mint code.
 */
export class LocalIssuer {
  readonly config: IssuerConfig;

  constructor(
    readonly name: string,
    readonly url: string,
    readonly keys: KeyStore,
    algorithm: SigningAlgorithm = 'RS256',
    private readonly clock: Clock = systemClock,
  ) {
    this.config = { name, algorithm, id_token_ttl: 3600, access_token_ttl: 3600, clients: [], resources: [], users: [] };
  }

  mint(req: MintRequest): Promise<MintResult> {
    const source = {
      url: this.url,
      config: this.config,
      signingKey: () => this.keys.signingKey(this.name, this.config.algorithm),
      publicJwk: async (kid: string) => (await this.publicJwks()).keys.find((k) => k.kid === kid),
    };
    return mintToken(source, req, this.clock);
  }

  /** The published JWKS: public members only (keys/public-jwk.ts). Makes the first key if there is none. */
  async publicJwks(): Promise<{ keys: JWK[] }> {
    await this.keys.signingKey(this.name, this.config.algorithm);
    return this.keys.publicJwks(this.name, this.config.algorithm);
  }

  async rotate(): Promise<string> {
    return (await this.keys.rotate(this.name, this.config.algorithm)).kid;
  }
}
