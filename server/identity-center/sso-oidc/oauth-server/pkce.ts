import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../../util/sha256.js';

/** RFC 7636 §4.1: a code_verifier is 43–128 unreserved characters. */
export const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 code_challenge: BASE64URL(SHA256(verifier)), 43 characters without padding (RFC 7636 §4.2). */
export const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** RFC 7636 §4.2: code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
export const s256Challenge = (verifier: string): string => sha256(verifier, 'base64url');

/** RFC 7636 §4.6: does this verifier produce that challenge? (Compared in constant time.) */
export function verifierMatches(verifier: string, challenge: string): boolean {
  const expected = Buffer.from(s256Challenge(verifier));
  const given = Buffer.from(challenge);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
