import { createRemoteJWKSet, jwtVerify, type JWTVerifyOptions } from 'jose';

/**
 * Verifies a token as a careful relying party would: against the issuer's published JWKS, fetched
 * afresh (no cache carried between calls), with the algorithms the issuer may use.
 * Resolves to the error code on failure, so a test asserts exactly how it failed.
 */
export async function verifyAgainstJwks(
  jwksUrl: string,
  token: string,
  opts: JWTVerifyOptions = {},
): Promise<{ ok: true; payload: Record<string, unknown>; header: Record<string, unknown> } | { ok: false; code: string }> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(jwksUrl)), opts);
    return { ok: true, payload, header: protectedHeader };
  } catch (err) {
    return { ok: false, code: (err as { code?: string }).code ?? String(err) };
  }
}

/** POSTs JSON and returns status and parsed body. */
export async function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
