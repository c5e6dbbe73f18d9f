export const MINT_VARIANTS = ['valid', 'alg_none', 'unknown_key', 'tampered', 'hs256_public_key'] as const;
export type MintVariant = (typeof MINT_VARIANTS)[number];

/** What a test asks for. Every field is optional; a claim set to null is left out of the token. */
export interface MintRequest {
  /** Claims, merged over the defaults (iss, iat, exp, jti) and the chosen user's claims; null removes one. */
  claims?: Record<string, unknown>;
  /** The `sub` of a configured user whose claims go into the token. */
  user?: string;
  /** Time claims: epoch seconds, ISO date, or relative ("+1h", "-5m"); null leaves the claim out. */
  iat?: number | string | null;
  nbf?: number | string | null;
  exp?: number | string | null;
  /** Header overrides (alg, kid, typ, any other member); null removes a member (but alg). */
  header?: Record<string, unknown>;
  variant?: MintVariant;
  /** For `tampered`: the claims changed after signing. Default `{ "tampered": true }`. */
  tamper?: Record<string, unknown>;
}

/** A mint request that cannot be honoured; the HTTP route answers it with 400 `invalid_mint_request`. */
export class MintError extends Error {
  readonly code = 'invalid_mint_request';
  constructor(message: string) {
    super(message);
    this.name = 'MintError';
  }
}

const FIELDS = ['claims', 'user', 'iat', 'nbf', 'exp', 'header', 'variant', 'tamper'] as const;

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a mint request as it comes off the wire (or from `lab.mint`) and returns it typed, or throws
 * a MintError naming the field. Unknown fields are refused: a typo (`claim` for `claims`) must not
 * silently mint a token without the claims the test meant to set.
 */
export function checkMintRequest(input: unknown): MintRequest {
  if (input === undefined) return {};
  if (!isObject(input)) throw new MintError(`expected a JSON object, got ${describe(input)}`);
  for (const key of Object.keys(input)) {
    if (!(FIELDS as readonly string[]).includes(key)) throw new MintError(`${key}: unknown field; expected one of ${FIELDS.join(', ')}`);
  }
  for (const field of ['claims', 'header', 'tamper'] as const) {
    const v = input[field];
    if (v !== undefined && !isObject(v)) throw new MintError(`${field}: expected a JSON object, got ${describe(v)}`);
  }
  if (input.user !== undefined && typeof input.user !== 'string') throw new MintError(`user: expected the sub of a configured user, got ${describe(input.user)}`);
  for (const field of ['iat', 'nbf', 'exp'] as const) {
    const v = input[field];
    if (v !== undefined && v !== null && typeof v !== 'number' && typeof v !== 'string') {
      throw new MintError(`${field}: expected epoch seconds, an ISO-8601 date, a relative time such as "+1h", or null, got ${describe(v)}`);
    }
  }
  if (input.variant !== undefined && !(MINT_VARIANTS as readonly unknown[]).includes(input.variant)) {
    throw new MintError(`variant: expected one of ${MINT_VARIANTS.join(', ')}, got ${JSON.stringify(input.variant)}`);
  }
  const alg = (input.header as Record<string, unknown> | undefined)?.alg;
  if (alg !== undefined && typeof alg !== 'string') {
    throw new MintError(`header.alg: expected an algorithm name, got ${describe(alg)}; the alg cannot be removed (use variant alg_none)`);
  }
  return input as MintRequest;
}
