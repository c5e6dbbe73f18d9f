import { randomUUID } from 'node:crypto';
import { base64url, exportSPKI, importJWK, SignJWT, type JWK, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { createHmac } from 'node:crypto';
import { epochSeconds, type Clock } from '../../../shared/clock.js';
import { generateSigningJwk, type SigningKey } from '../../../keys/key-store.js';
import type { IssuerConfig } from '../../config/lab-config.js';
import type { SigningAlgorithm } from '../../../shared/signing-algorithm.js';
import { resolveTime } from './resolve-time.js';
import { checkMintRequest, MintError, type MintRequest, type MintVariant } from './mint-request.js';

export { MINT_VARIANTS, MintError, type MintRequest, type MintVariant } from './mint-request.js';

export interface MintResult {
  token: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  variant: MintVariant;
  /** Whether a correct verifier using the issuer's published JWKS accepts the signature. */
  signatureValid: boolean;
  note: string;
}

/** What minting needs from an issuer; the runtime provides it, tests can too. */
export interface MintSource {
  url: string;
  config: IssuerConfig;
  signingKey(): Promise<SigningKey>;
  publicJwk(kid: string): Promise<JWK | undefined>;
}

const NOTES: Record<MintVariant, string> = {
  valid: 'Signed by the issuer\'s active key; verifies against its JWKS.',
  alg_none: 'Unsigned (alg "none", empty signature). Every verifier must refuse it.',
  unknown_key: 'Signed by a key that is not in the issuer\'s JWKS. Verification must fail.',
  tampered: 'Signed correctly, then the payload was changed; the signature no longer matches.',
  hs256_public_key: 'HS256 with the issuer\'s public key (SPKI PEM) as the HMAC secret: the key-confusion attack. Must be refused.',
};

const rogueKeys = new Map<SigningAlgorithm, Promise<JWK & { kid: string }>>();
/** One throw-away key per algorithm and process: never stored, never published. */
const rogueKey = (alg: SigningAlgorithm) => {
  let k = rogueKeys.get(alg);
  if (!k) {
    k = generateSigningJwk(alg);
    rogueKeys.set(alg, k);
  }
  return k;
};

const enc = (v: unknown) => base64url.encode(JSON.stringify(v));

/** Sets a claim as an own property whatever its name: `payload['__proto__'] = v` would replace the prototype instead. */
const setClaim = (payload: Record<string, unknown>, name: string, value: unknown) =>
  Object.defineProperty(payload, name, { value, enumerable: true, writable: true, configurable: true });

function buildPayload(req: MintRequest, src: MintSource, now: number): Record<string, unknown> {
  let user: Record<string, unknown> = {};
  if (req.user !== undefined) {
    const found = src.config.users.find((u) => u.sub === req.user);
    if (!found) {
      throw new MintError(`issuer "${src.config.name}" has no user with sub "${req.user}"; known: ${src.config.users.map((u) => u.sub).join(', ') || 'none'}`);
    }
    user = structuredClone(found);
  }
  const payload: Record<string, unknown> = { iss: src.url, ...user, jti: randomUUID() };
  // Defaults: iat now, exp after the issuer's ID token lifetime, no nbf. null leaves a claim out.
  const defaults = { iat: '0', nbf: undefined, exp: `+${src.config.id_token_ttl}` };
  for (const field of ['iat', 'nbf', 'exp'] as const) {
    const value = req[field] === undefined ? defaults[field] : req[field];
    if (value === null || value === undefined) continue;
    try {
      payload[field] = resolveTime(value, now, field);
    } catch (err) {
      throw new MintError((err as Error).message);
    }
  }
  for (const [k, v] of Object.entries(req.claims ?? {})) {
    if (v === null) delete payload[k];
    else setClaim(payload, k, v);
  }
  return payload;
}

/** The header: defaults, then the caller's overrides (null removes a member), then the forced alg. */
function buildHeader(defaults: Record<string, unknown>, overrides: Record<string, unknown>, alg: string): Record<string, unknown> {
  const header: Record<string, unknown> = { ...defaults, ...overrides, alg };
  for (const [k, v] of Object.entries(header)) if (v === null) delete header[k];
  return header;
}

/**
 * Mints a JWT for an issuer: valid, or deliberately broken in one of the ways a verifier must catch.
 * Time comes from the injected clock. Throws MintError for a request that cannot be honoured.
 */
export async function mintToken(src: MintSource, input: MintRequest, clock: Clock): Promise<MintResult> {
  const req = checkMintRequest(input);
  const variant = req.variant ?? 'valid';
  const payload = buildPayload(req, src, epochSeconds(clock));
  const active = await src.signingKey();
  const overrides = { ...(req.header ?? {}) };

  if (variant === 'alg_none') {
    const header = buildHeader({ typ: 'JWT' }, overrides, 'none');
    return { token: `${enc(header)}.${enc(payload)}.`, header, payload, variant, signatureValid: false, note: NOTES[variant] };
  }

  if (variant === 'hs256_public_key') {
    const jwk = await src.publicJwk(active.kid);
    if (!jwk) throw new MintError('the issuer\'s active key is not published');
    const pem = await exportSPKI((await importJWK(jwk, active.alg, { extractable: true })) as CryptoKey);
    const header = buildHeader({ typ: 'JWT', kid: active.kid }, overrides, 'HS256');
    const input = `${enc(header)}.${enc(payload)}`;
    const sig = createHmac('sha256', pem).update(input).digest('base64url');
    return { token: `${input}.${sig}`, header, payload, variant, signatureValid: false, note: NOTES[variant] };
  }

  let key: SigningKey = active;
  if (variant === 'unknown_key') {
    const rogue = await rogueKey(active.alg);
    key = { kid: rogue.kid, alg: active.alg, key: await importJWK(rogue, active.alg) };
  }
  if (typeof overrides.alg === 'string' && overrides.alg !== key.alg) {
    throw new MintError(
      `header.alg: "${overrides.alg}" cannot be made with the issuer's ${key.alg} key; set the issuer's algorithm, or use variant alg_none / hs256_public_key`,
    );
  }
  const header = buildHeader({ typ: 'JWT', kid: key.kid }, overrides, key.alg);
  const token = await new SignJWT(payload as JWTPayload).setProtectedHeader(header as JWTHeaderParameters).sign(key.key);
  if (variant === 'tampered') {
    const [h, p, s] = token.split('.');
    const changed = { ...payload, ...(req.tamper ?? { tampered: true }) };
    if (enc(changed) === p) throw new MintError('tamper: changes nothing in the payload, so the signature would still verify');
    return { token: `${h}.${enc(changed)}.${s}`, header, payload: changed, variant, signatureValid: false, note: NOTES[variant] };
  }
  // A kid the JWKS does not have fails; no kid at all is fine (the verifier tries the keys that fit).
  const signatureValid = variant === 'valid' && (header.kid === undefined || header.kid === active.kid);
  return { token, header, payload, variant, signatureValid, note: NOTES[variant] };
}
