import { randomUUID } from 'node:crypto';
import { base64url, exportSPKI, importJWK, SignJWT, type JWK, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { createHmac } from 'node:crypto';
import { epochSeconds, type Clock } from '../../clock/clock.js';
import { generateSigningJwk, type SigningKey } from '../../../keys/key-store.js';
import type { IssuerConfig, SigningAlgorithm } from '../../config/lab-config.js';
import { resolveTime } from './resolve-time.js';

export const MINT_VARIANTS = ['valid', 'alg_none', 'unknown_key', 'tampered', 'hs256_public_key'] as const;
export type MintVariant = (typeof MINT_VARIANTS)[number];

/** What a test asks for. Every field is optional; a claim set to null is left out of the token. */
export interface MintRequest {
  /** Claims, merged over the defaults (iss, iat, exp, jti) and the chosen user's claims. */
  claims?: Record<string, unknown>;
  /** The `sub` of a configured user whose claims go into the token. */
  user?: string;
  /** Time claims: epoch seconds, ISO date, or relative ("+1h", "-5m"); null leaves the claim out. */
  iat?: number | string | null;
  nbf?: number | string | null;
  exp?: number | string | null;
  /** Header overrides (alg, kid, typ, any other member). */
  header?: Record<string, unknown>;
  variant?: MintVariant;
  /** For `tampered`: the claims changed after signing. Default `{ "tampered": true }`. */
  tamper?: Record<string, unknown>;
}

export interface MintResult {
  token: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  variant: MintVariant;
  /** Whether a correct verifier using the issuer's published JWKS accepts the signature. */
  signatureValid: boolean;
  note: string;
}

export class MintError extends Error {
  readonly code = 'invalid_mint_request';
  constructor(message: string) {
    super(message);
    this.name = 'MintError';
  }
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
  for (const field of ['iat', 'nbf', 'exp'] as const) {
    const given = req[field];
    if (given === null) continue;
    const fallback = field === 'iat' ? 0 : field === 'exp' ? `+${src.config.id_token_ttl}` : undefined;
    const value = given ?? fallback;
    if (value === undefined) continue;
    try {
      payload[field] = resolveTime(value === 0 && given === undefined ? '0' : value, now, field);
    } catch (err) {
      throw new MintError((err as Error).message);
    }
  }
  for (const [k, v] of Object.entries(req.claims ?? {})) {
    if (v === null) delete payload[k];
    else payload[k] = v;
  }
  return payload;
}

/**
 * Mints a JWT for an issuer: valid, or deliberately broken in one of the ways a verifier must catch.
 * Time comes from the injected clock.
 */
export async function mintToken(src: MintSource, req: MintRequest, clock: Clock): Promise<MintResult> {
  const variant = req.variant ?? 'valid';
  if (!MINT_VARIANTS.includes(variant)) throw new MintError(`variant: expected one of ${MINT_VARIANTS.join(', ')}`);
  const payload = buildPayload(req, src, epochSeconds(clock));
  const active = await src.signingKey();
  const overrides = { ...(req.header ?? {}) };

  if (variant === 'alg_none') {
    const header = { typ: 'JWT', ...overrides, alg: 'none' };
    return { token: `${enc(header)}.${enc(payload)}.`, header, payload, variant, signatureValid: false, note: NOTES[variant] };
  }

  if (variant === 'hs256_public_key') {
    const jwk = await src.publicJwk(active.kid);
    if (!jwk) throw new MintError('the issuer\'s active key is not published');
    const pem = await exportSPKI((await importJWK(jwk, active.alg, { extractable: true })) as CryptoKey);
    const header = { typ: 'JWT', kid: active.kid, ...overrides, alg: 'HS256' };
    const input = `${enc(header)}.${enc(payload)}`;
    const sig = createHmac('sha256', pem).update(input).digest('base64url');
    return { token: `${input}.${sig}`, header, payload, variant, signatureValid: false, note: NOTES[variant] };
  }

  let key: SigningKey = active;
  if (variant === 'unknown_key') {
    const rogue = await rogueKey(active.alg);
    key = { kid: rogue.kid, alg: active.alg, key: await importJWK(rogue, active.alg) };
  }
  const header: JWTHeaderParameters = { typ: 'JWT', kid: key.kid, ...overrides, alg: key.alg } as JWTHeaderParameters;
  if (typeof overrides.alg === 'string' && overrides.alg !== key.alg) {
    throw new MintError(
      `header.alg: "${overrides.alg}" cannot be made with the issuer's ${key.alg} key; set the issuer's algorithm, or use variant alg_none / hs256_public_key`,
    );
  }
  const token = await new SignJWT(payload as JWTPayload).setProtectedHeader(header).sign(key.key);
  if (variant === 'tampered') {
    const [h, , s] = token.split('.');
    const changed = { ...payload, ...(req.tamper ?? { tampered: true }) };
    return { token: `${h}.${enc(changed)}.${s}`, header: { ...header }, payload: changed, variant, signatureValid: false, note: NOTES[variant] };
  }
  const signatureValid = variant === 'valid' && (overrides.kid === undefined || overrides.kid === active.kid);
  return { token, header: { ...header }, payload, variant, signatureValid, note: NOTES[variant] };
}
