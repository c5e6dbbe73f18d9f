import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Shortest control token the lab accepts: a guessable one would open minting to the network. */
export const MIN_CONTROL_TOKEN_LENGTH = 16;

export class ControlTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlTokenError';
  }
}

/**
 * The secret that lets a non-loopback client use the mint and control routes (`--control-token`,
 * config `control_token`, or TTI_LAB_CONTROL_TOKEN). Only its SHA-256 is kept; a presented token is
 * hashed the same way and compared with timingSafeEqual, so the comparison takes the same time
 * whatever the token, its length included. It is never logged or printed.
 */
export class ControlToken {
  readonly #digest: Buffer;

  constructor(secret: string) {
    if (secret.length < MIN_CONTROL_TOKEN_LENGTH) {
      throw new ControlTokenError(`the control token must be at least ${MIN_CONTROL_TOKEN_LENGTH} characters (generate one with: openssl rand -hex 32)`);
    }
    this.#digest = createHash('sha256').update(secret).digest();
  }

  matches(presented: string): boolean {
    return timingSafeEqual(createHash('sha256').update(presented).digest(), this.#digest);
  }

  toJSON(): string {
    return '[control token]';
  }
}

/** The token a request presents: `Authorization: Bearer <token>` or `x-tti-lab-control-token: <token>`. */
export function presentedControlToken(headers: IncomingHttpHeaders): string | undefined {
  const own = headers['x-tti-lab-control-token'];
  if (typeof own === 'string' && own !== '') return own;
  const auth = headers.authorization;
  const m = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return m ? m[1] : undefined;
}
