import { importJWK, type JWK } from 'jose';
import type { Clock } from '../../../../shared/clock.js';
import { fetchJson, FetchJsonError } from '../../../util/fetch-json.js';
import { ExchangeFailure } from '../exchange/exchange-failure.js';
import { keyAlgMismatch } from './key-alg-mismatch.js';

export interface IssuerKeysSettings {
  ttlSeconds: number;
  refetchMinIntervalSeconds: number;
  timeoutMs: number;
}

interface Entry {
  jwksUri: string;
  keys: JWK[];
  fetchedAt: number;
}

export interface KeyLookup {
  jwk: JWK;
  /** How the key was found, for the trace. */
  source: 'cache' | 'fetched' | 'refetched';
  jwksUri: string;
}

const describe = (err: unknown) => (err instanceof FetchJsonError ? err.message : (err as Error).message);
/** A fetch the lab refused because the URL is AWS's own: what to do instead. */
const AWS_DOMAIN_FIX = 'trust a lab issuer standing in for that IdP (issuers: in the lab config; examples/lab.yaml has one with Cognito\'s conventions), or, for Identity Center itself, see docs/identity-center-as-issuer.md';
const awsDomainFix = (err: unknown) => (err instanceof FetchJsonError && err.kind === 'aws_domain' ? AWS_DOMAIN_FIX : undefined);

/**
 * A trusted token issuer's keys, as Identity Center gets them (JwksRetrievalOption
 * OPEN_ID_DISCOVERY): `<IssuerUrl>/.well-known/openid-configuration` → `jwks_uri` → JWKS. Cached per
 * issuer for a TTL (on the injected clock); an unknown kid triggers one refetch, at most once per
 * interval. Every fetch is bounded in time and size. Failures are ExchangeFailures with profile keys.
 */
export class IssuerKeyCache {
  readonly #entries = new Map<string, Entry>();
  readonly #lastRefetch = new Map<string, number>();
  readonly #inflight = new Map<string, Promise<Entry>>();
  /** Imported keys, by the JWK object they came from (a refetch makes new objects, so no staleness). */
  readonly #imported = new WeakMap<JWK, Map<string, Promise<CryptoKey | Uint8Array>>>();

  constructor(
    private readonly clock: Clock,
    private readonly settings: () => IssuerKeysSettings,
    private readonly ca: () => string | null,
  ) {}

  clear(): void {
    this.#entries.clear();
    this.#lastRefetch.clear();
  }

  /**
   * Drops one issuer's cached keys, so the next exchange fetches its JWKS again. The lab's own
   * issuers call this at once when their key ring changes (rotation, retirement): a retired key
   * stops verifying at once. External issuers' keys follow the TTL (jwks_cache_ttl_seconds).
   */
  forget(issuerUrl: string): void {
    this.#entries.delete(issuerUrl);
    this.#lastRefetch.delete(issuerUrl);
  }

  async #fetch(issuerUrl: string): Promise<Entry> {
    const { timeoutMs } = this.settings();
    const discoveryUrl = `${issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let discovery: unknown;
    try {
      discovery = await fetchJson(discoveryUrl, { timeoutMs, ca: this.ca() });
    } catch (err) {
      throw new ExchangeFailure('issuer.discovery_failed', `could not get the issuer's discovery document ${discoveryUrl}: ${describe(err)}`, awsDomainFix(err) ?? 'make the issuer answer its discovery URL (is the issuer running, without a fault injected?)', { discoveryUrl });
    }
    const doc = discovery as { issuer?: unknown; jwks_uri?: unknown };
    if (!doc || typeof doc !== 'object' || typeof doc.jwks_uri !== 'string') {
      throw new ExchangeFailure('issuer.discovery_failed', `the discovery document at ${discoveryUrl} has no jwks_uri`, undefined, { discoveryUrl });
    }
    if (doc.issuer !== issuerUrl) {
      throw new ExchangeFailure(
        'issuer.discovery_failed',
        `the discovery document says issuer ${JSON.stringify(doc.issuer)}, but it was fetched for ${JSON.stringify(issuerUrl)} (OpenID Connect Discovery §4.3 requires them to be identical)`,
        'set the trusted token issuer\'s IssuerUrl to exactly the issuer value of the discovery document',
        { discoveryUrl, discoveryIssuer: doc.issuer },
      );
    }
    let jwks: unknown;
    try {
      jwks = await fetchJson(doc.jwks_uri, { timeoutMs, ca: this.ca() });
    } catch (err) {
      throw new ExchangeFailure('issuer.jwks_failed', `could not get the issuer's JWKS ${doc.jwks_uri}: ${describe(err)}`, awsDomainFix(err), { jwksUri: doc.jwks_uri });
    }
    const keys = (jwks as { keys?: unknown })?.keys;
    if (!Array.isArray(keys)) throw new ExchangeFailure('issuer.jwks_failed', `the JWKS at ${doc.jwks_uri} has no "keys" list`, undefined, { jwksUri: doc.jwks_uri });
    return { jwksUri: doc.jwks_uri, keys: keys.filter((k): k is JWK => !!k && typeof k === 'object'), fetchedAt: this.clock.now() };
  }

  /** One fetch at a time per issuer; concurrent callers share it. */
  #load(issuerUrl: string): Promise<Entry> {
    let p = this.#inflight.get(issuerUrl);
    if (!p) {
      p = this.#fetch(issuerUrl).then((entry) => {
        this.#entries.set(issuerUrl, entry);
        return entry;
      });
      p.finally(() => this.#inflight.delete(issuerUrl)).catch(() => undefined);
      this.#inflight.set(issuerUrl, p);
    }
    return p;
  }

  /** The JWK as a key object for `alg`, imported once per fetched key. */
  importKey(jwk: JWK, alg: string): Promise<CryptoKey | Uint8Array> {
    let byAlg = this.#imported.get(jwk);
    if (!byAlg) this.#imported.set(jwk, (byAlg = new Map()));
    let key = byAlg.get(alg);
    if (!key) {
      key = importJWK({ ...jwk, alg }, alg);
      byAlg.set(alg, key);
      key.catch(() => byAlg.delete(alg));
    }
    return key;
  }

  /** Finds the key for `kid` (or the only key of a matching type when the token has no kid). */
  async key(issuerUrl: string, kid: string | undefined, alg: string): Promise<KeyLookup> {
    const now = this.clock.now();
    const s = this.settings();
    let entry = this.#entries.get(issuerUrl);
    let source: KeyLookup['source'] = 'cache';
    if (!entry || now - entry.fetchedAt >= s.ttlSeconds * 1000) {
      entry = await this.#load(issuerUrl);
      source = 'fetched';
    }
    let jwk = pick(entry.keys, kid, alg);
    if (!jwk && source === 'cache') {
      const last = this.#lastRefetch.get(issuerUrl) ?? -Infinity;
      if (now - last >= s.refetchMinIntervalSeconds * 1000) {
        this.#lastRefetch.set(issuerUrl, now);
        entry = await this.#load(issuerUrl);
        source = 'refetched';
        jwk = pick(entry.keys, kid, alg);
      }
    }
    if (!jwk) {
      throw new ExchangeFailure(
        'signature.unknown_kid',
        kid === undefined
          ? `the assertion has no kid and the issuer's JWKS (${entry.jwksUri}) has no single key for ${alg}`
          : `no key with kid ${JSON.stringify(kid)} in the issuer's JWKS (${entry.jwksUri}); it has ${entry.keys.map((k) => k.kid).join(', ') || 'no keys'}`,
        'sign with a key the issuer publishes (a retired or rotated-out key no longer verifies)',
        { kid, published: entry.keys.map((k) => k.kid), jwksUri: entry.jwksUri, source },
      );
    }
    return { jwk, source, jwksUri: entry.jwksUri };
  }
}

const KTY_FOR_ALG = (alg: string) => (alg.startsWith('RS') || alg.startsWith('PS') ? 'RSA' : alg.startsWith('ES') ? 'EC' : alg === 'EdDSA' || alg === 'Ed25519' ? 'OKP' : '');

function pick(keys: JWK[], kid: string | undefined, alg: string): JWK | undefined {
  const usable = keys.filter((k) => (k.use === undefined || k.use === 'sig') && k.kty === KTY_FOR_ALG(alg));
  // With a kid, the key it names (the signature step refuses it if bound to another alg); without, the one key that may verify alg.
  if (kid !== undefined) return usable.find((k) => k.kid === kid);
  const fitting = usable.filter((k) => keyAlgMismatch(k, alg) === undefined);
  return fitting.length === 1 ? fitting[0] : undefined;
}
