import type Provider from 'oidc-provider';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import type { IssuerConfig } from '../config/lab-config.js';
import type { KeyStore } from '../../keys/key-store.js';
import { MemoryAdapterStore } from './provider/memory-adapter.js';
import { IssuerFaultState } from './faults/issuer-fault-state.js';
import type { MintSource } from './mint/mint-token.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * One named issuer at run time: its config, its keys (through the key store), its faults, and the
 * `oidc-provider` instance that serves its OIDC flows. The provider is built on first use (its module,
 * in the CLI its own bundle, loaded then too; startLab also builds it in the background shortly after
 * the start) and built again after the issuer's key ring changes, so rotation shows up in its signatures.
 */
export class IssuerRuntime {
  readonly faults: IssuerFaultState;
  /** Made with the first provider and kept by the rebuilds, so sign-in cookies survive a key rotation. */
  #cookieKeys: string[] | undefined;
  /** This issuer's sessions, grants and tokens: its own, and kept when the provider is rebuilt. */
  readonly #store = new MemoryAdapterStore();
  #built: Promise<{ provider: Provider; handler: Handler }> | undefined;

  constructor(
    readonly config: IssuerConfig,
    private readonly keys: KeyStore,
    private readonly baseUrl: () => string,
  ) {
    this.faults = new IssuerFaultState(config.faults);
    keys.onChange((name) => {
      if (name === config.name) this.#built = undefined;
    });
  }

  get name(): string {
    return this.config.name;
  }

  /** `<lab URL>/issuers/<name>`: what goes into `iss` and into a trusted token issuer's IssuerUrl. */
  get url(): string {
    return `${this.baseUrl()}/issuers/${this.config.name}`;
  }

  get discoveryUrl(): string {
    return `${this.url}/.well-known/openid-configuration`;
  }

  get jwksUrl(): string {
    return `${this.url}/jwks`;
  }

  /** The published JWKS, less any key ids a fault drops. */
  async publicJwks(): Promise<{ keys: JWK[] }> {
    const jwks = await this.keys.publicJwks(this.config.name, this.config.algorithm);
    const dropped = this.faults.droppedKids();
    return { keys: jwks.keys.filter((k) => !dropped.has(k.kid ?? '')) };
  }

  /** What the minting code needs from this issuer. */
  mintSource(): MintSource {
    return {
      url: this.url,
      config: this.config,
      signingKey: () => this.keys.signingKey(this.config.name, this.config.algorithm),
      publicJwk: async (kid) => (await this.keys.publicJwks(this.config.name, this.config.algorithm)).keys.find((k) => k.kid === kid),
    };
  }

  async provider(): Promise<{ provider: Provider; handler: Handler }> {
    if (!this.#built) {
      const building = (async () => {
        // Loaded on first use: oidc-provider (and koa) are a third of the CLI's start-up, and commands
        // that never serve an OIDC flow (mint --offline, keys, explain …) never load them, nor print
        // its Node-version notice (docs/benchmarks.md).
        const { createProvider, newCookieKeys } = await import('./provider/create-provider.js');
        const jwks = await this.keys.privateJwks(this.config.name, this.config.algorithm);
        this.#cookieKeys ??= newCookieKeys();
        const provider = createProvider({ issuer: this.config, issuerUrl: this.url, jwks, cookieKeys: this.#cookieKeys, adapter: this.#store.adapter });
        return { provider, handler: provider.callback() as Handler };
      })();
      this.#built = building;
      building.catch(() => {
        if (this.#built === building) this.#built = undefined;
      });
    }
    return this.#built;
  }
}
