import { base64url } from 'jose';

/** A compact JWS split and decoded, not verified. */
export interface DecodedJwt {
  raw: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Uint8Array;
}

export class JwtDecodeError extends Error {}

/**
 * Each segment must be canonical base64url (RFC 7515 §2, RFC 4648 §5 and §3.5): only the URL-safe
 * alphabet, no padding, and the unused low bits of the last character zero. A lenient decoder reads
 * `...Q` and `...R` as the same bytes, so a non-canonical segment is a second spelling of one token.
 */
function checkCanonical(part: string, what: string): void {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw new JwtDecodeError(`the ${what} is not base64url (only A-Z a-z 0-9 - _, no padding)`);
  if (part.length % 4 === 1) throw new JwtDecodeError(`the ${what} is not base64url: ${part.length} characters encode no whole number of bytes`);
  if (Buffer.from(part, 'base64url').toString('base64url') !== part) {
    throw new JwtDecodeError(`the ${what} is not canonical base64url: its last character carries bits that encode nothing (RFC 4648 §3.5), so it is another spelling of other bytes`);
  }
}

const decodeJsonPart = (part: string, what: string): Record<string, unknown> => {
  checkCanonical(part, what);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(part));
  } catch {
    throw new JwtDecodeError(`the ${what} is not base64url-encoded UTF-8`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JwtDecodeError(`the ${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new JwtDecodeError(`the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
};

/** Splits and decodes a compact JWS (RFC 7515 §7.1) without verifying it. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length === 5) throw new JwtDecodeError('this is a JWE (5 parts), not a signed JWT; Identity Center needs a JWS');
  if (parts.length !== 3) throw new JwtDecodeError(`a JWT has 3 dot-separated parts, this has ${parts.length}`);
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJsonPart(h, 'header');
  const payload = decodeJsonPart(p, 'payload');
  checkCanonical(s, 'signature');
  return { raw: token, header, payload, signingInput: `${h}.${p}`, signature: base64url.decode(s) };
}
