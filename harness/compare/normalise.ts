import { base64url } from 'jose';
import { FILTERS } from '../scenario/template.js';

/**
 * Normalised outcomes: what is compared between targets. Values a target assigns (ARNs, ids, URLs,
 * tokens) are replaced by the `${…}` reference that names them, so `arn:aws:sso::…/apl-1a2b…` on one
 * target and `arn:aws:sso::…/apl-9z8y…` on the other both read `${app.web.arn}`.
 */

export type Outcome =
  | ({ outcome: 'success' } & Record<string, unknown>)
  | { outcome: 'failure'; exception: string; status: number | null; error: string | null; call?: string }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'done' };

/** idToken claims whose values are compared (after symbolising); the others only by name. */
export const STABLE_ID_TOKEN_CLAIMS = ['iss', 'sub', 'aws:identity_store_id', 'aws:identity_store_arn', 'aws:instance_arn', 'aws:instance_account', 'act'];

/** Replaces target-assigned values by their references; longest first, so an ARN wins over the id inside it. */
export class Symbols {
  #exact = new Map<string, string>();
  #substrings: [string, string][] = [];
  /** Token times: the epoch second a harness-minted token was made at, by token. */
  readonly mintedAt = new Map<string, number>();

  /**
   * A value that is replaced wherever it appears inside a string; so are its variants through the
   * template filters (`${ns|upper}`, `${issuer.idp.url|flip_scheme}`), which scenarios send on purpose.
   */
  add(value: string | undefined, ref: string): void {
    if (!value || value.length < 4) return;
    this.#substrings.push([value, `\${${ref}}`]);
    for (const f of ['upper', 'lower', 'flip_scheme'] as const) {
      const variant: string = FILTERS[f](value);
      if (variant !== value) this.#substrings.push([variant, `\${${ref}|${f}}`]);
    }
    this.#substrings.sort((a, b) => b[0].length - a[0].length);
  }

  /** A value (a token) replaced only when it is the whole string. */
  addExact(value: string | undefined, ref: string): void {
    if (value) this.#exact.set(value, `\${${ref}}`);
  }

  string(s: string): string {
    const exact = this.#exact.get(s);
    if (exact) return exact;
    let out = s;
    for (const [value, ref] of this.#substrings) if (out.includes(value)) out = out.split(value).join(ref);
    return out;
  }

  /** Deep: strings symbolised, JWTs the harness minted decoded (their times relative to when they were made). */
  value(v: unknown): unknown {
    if (typeof v === 'string') {
      if (this.#exact.has(v)) return this.#exact.get(v);
      const jwt = decodeJwt(v);
      if (jwt) return { jwt: this.#jwt(v, jwt) };
      return this.string(v);
    }
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x)]));
    return v;
  }

  #jwt(token: string, jwt: { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string }) {
    const at = this.mintedAt.get(token);
    const payload: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(jwt.payload)) {
      payload[k] = at !== undefined && ['iat', 'nbf', 'exp'].includes(k) && typeof x === 'number' ? `\${now${x - at >= 0 ? '+' : ''}${x - at}}` : this.value(x);
    }
    const header = Object.fromEntries(Object.entries(jwt.header).map(([k, x]) => [k, k === 'kid' ? '${kid}' : this.value(x)]));
    return { header, payload, signature: jwt.signature ? '${signature}' : '' };
  }
}

/** A compact JWS's header and payload, or undefined if the string is not one. */
export function decodeJwt(s: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string } | undefined {
  if (!/^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(s)) return undefined;
  const [h, p, sig] = s.split('.');
  try {
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(h!))) as unknown;
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p!))) as unknown;
    if (!header || typeof header !== 'object' || !('alg' in header) || !payload || typeof payload !== 'object') return undefined;
    return { header: header as Record<string, unknown>, payload: payload as Record<string, unknown>, signature: sig ?? '' };
  } catch {
    return undefined;
  }
}

const present = (v: unknown) => (v === undefined || v === null || v === '' ? 'absent' : 'present');

/** A CreateTokenWithIAM success, normalised: token types, scopes (sorted), expiresIn, idToken claim names and stable values. */
export function normaliseTokenResponse(out: Record<string, unknown>, symbols: Symbols): Outcome {
  const idToken = typeof out.idToken === 'string' ? decodeJwt(out.idToken) : undefined;
  const claims: Record<string, unknown> = {};
  for (const name of Object.keys(idToken?.payload ?? {}).sort()) {
    claims[name] = STABLE_ID_TOKEN_CLAIMS.includes(name) ? symbols.value(idToken!.payload[name]) : '<present>';
  }
  const details = out.awsAdditionalDetails as { identityContext?: string } | undefined;
  return {
    outcome: 'success',
    tokenType: out.tokenType ?? null,
    issuedTokenType: out.issuedTokenType ?? null,
    expiresIn: out.expiresIn ?? null,
    scope: Array.isArray(out.scope) ? [...(out.scope as string[])].sort() : null,
    accessToken: present(out.accessToken),
    refreshToken: present(out.refreshToken),
    idToken: out.idToken === undefined ? 'absent' : idToken ? 'jwt' : 'not a JWT',
    identityContext: present(details?.identityContext),
    ...(idToken ? { idTokenClaims: claims } : {}),
  };
}

/** An AssumeRole success, normalised. */
export function normaliseAssumeRole(out: Record<string, unknown>, symbols: Symbols): Outcome {
  const creds = out.Credentials as { AccessKeyId?: string } | undefined;
  const user = out.AssumedRoleUser as { Arn?: string } | undefined;
  return { outcome: 'success', credentials: present(creds?.AccessKeyId), assumedRoleArn: user?.Arn ? symbols.string(user.Arn) : null };
}

/**
 * A GetDataAccess success, normalised: the matched grant's scope and grantee (symbolised: the
 * scenario's names and ids read as references), and whether each credential part is there. The
 * vended credentials and their Expiration are volatile: only their presence is compared.
 */
export function normaliseDataAccess(out: Record<string, unknown>, symbols: Symbols): Outcome {
  const creds = out.Credentials as { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: unknown } | undefined;
  const grantee = out.Grantee as { GranteeType?: string; GranteeIdentifier?: string } | undefined;
  return {
    outcome: 'success',
    credentials: { accessKeyId: present(creds?.AccessKeyId), secretAccessKey: present(creds?.SecretAccessKey), sessionToken: present(creds?.SessionToken), expiration: present(creds?.Expiration) },
    matchedGrantTarget: typeof out.MatchedGrantTarget === 'string' ? symbols.string(out.MatchedGrantTarget) : null,
    grantee: grantee ? { type: grantee.GranteeType ?? null, identifier: grantee.GranteeIdentifier ? symbols.string(grantee.GranteeIdentifier) : null } : null,
  };
}

/** Stable JSON: keys sorted, for comparing and hashing. */
export function stableJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
