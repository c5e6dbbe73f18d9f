import { BoundedMap } from '../../../util/bounded-map.js';
import type { IssuedTokens } from '../tokens/token-service.js';
import { randomBase64url } from '../../../util/random-base64url.js';

/** Who an authorization code was issued to: an application (CreateTokenWithIAM) or a public client (CreateToken). */
export type ClientKind = 'application' | 'public';

export interface AuthorizationCodeRecord {
  code: string;
  clientKind: ClientKind;
  /** The application ARN or the public client id. */
  clientId: string;
  instanceArn: string;
  userId: string;
  /** The redirect_uri of the authorization request; the token request must repeat it. */
  redirectUri: string;
  /** The S256 code_challenge, absent only when the profile does not require PKCE and none was sent. */
  codeChallenge?: string;
  /** Scopes asked for at authorize (validated there); absent when none were asked for. */
  scopes?: string[];
  /** Epoch seconds of the sign-in on the login page (the idToken's auth_time). */
  authTime: number;
  issuedAt: number;
  expiresAt: number;
  /** Set by the first redemption: a code is good once (RFC 6749 §4.1.2). */
  usedAt?: number;
  /** The tokens the redemption produced, revoked if the code is presented again. */
  issued?: IssuedTokens;
}

/** The authorization codes the authorize endpoint issued, in memory and bounded. */
export class AuthorizationCodes {
  readonly #codes = new BoundedMap<string, AuthorizationCodeRecord>(10_000);

  issue(record: Omit<AuthorizationCodeRecord, 'code'>): AuthorizationCodeRecord {
    const full = { ...record, code: randomBase64url(32) };
    this.#codes.set(full.code, full);
    if (this.#codes.size % 256 === 0) this.#codes.sweep((c) => c.expiresAt + 3600_000 <= record.issuedAt);
    return full;
  }

  get(code: string): AuthorizationCodeRecord | undefined {
    return this.#codes.get(code);
  }
}
