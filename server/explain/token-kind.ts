/**
 * What kind of token a JWT looks like — an ID token, an access token, or an Identity Center idToken —
 * and which IdP shaped it, read from its header and claims. A heuristic for advice only: no check
 * of the exchange depends on it (the pipeline's steps decide), it only explains why an `aud` that
 * fails is the wrong kind of value.
 */

export type TokenKindName = 'id_token' | 'access_token' | 'identity_center' | 'unknown';

export interface TokenKind {
  kind: TokenKindName;
  /** The IdP the issuer URL or claims point to, when they point to one. */
  vendor: 'okta' | 'entra-v1' | 'entra-v2' | 'auth0' | 'cognito' | 'keycloak' | 'identity-center' | null;
  /** Each clue, in words ("typ is at+jwt", "has nonce"). */
  evidence: string[];
  /** One sentence for people. */
  summary: string;
}

const IDENTITY_CENTER_ISS = /^https:\/\/identitycenter\.amazonaws\.com\/ssoins-/;

const has = (p: Record<string, unknown>, claim: string) => Object.hasOwn(p, claim) && p[claim] !== undefined;

function vendorOf(iss: unknown, payload: Record<string, unknown>): TokenKind['vendor'] {
  if (typeof iss !== 'string') return null;
  if (IDENTITY_CENTER_ISS.test(iss)) return 'identity-center';
  if (/^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\//.test(iss)) return 'cognito';
  if (/^https:\/\/sts\.windows\.net\//.test(iss) || (/login\.microsoftonline\.com\//.test(iss) && payload.ver === '1.0')) return 'entra-v1';
  if (/^https:\/\/login\.microsoftonline\.com\/[^/]+\/v2\.0\/?$/.test(iss)) return 'entra-v2';
  if (/\.auth0\.com\/$/.test(iss)) return 'auth0';
  if (/\.(okta|oktapreview|okta-emea)\.com(\/oauth2\/[^/]+)?\/?$/.test(iss)) return 'okta';
  if (/\/realms\/[^/]+\/?$/.test(iss)) return 'keycloak';
  return null;
}

/** Reads the kind of token from its decoded header and payload. */
export function classifyToken(header: Record<string, unknown>, payload: Record<string, unknown>): TokenKind {
  const vendor = vendorOf(payload.iss, payload);
  if (vendor === 'identity-center') {
    return {
      kind: 'identity_center',
      vendor,
      evidence: [`iss ${String(payload.iss)} is Identity Center itself`],
      summary: 'an idToken that Identity Center issued (CreateTokenWithIAM), not a token from an external IdP',
    };
  }
  const access: string[] = [];
  const id: string[] = [];
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : undefined;
  if (typ === 'at+jwt' || typ === 'application/at+jwt') access.push(`header typ is ${String(header.typ)} (RFC 9068: a JWT access token)`);
  if (payload.token_use === 'access') access.push('token_use is "access" (Cognito access token)');
  if (payload.token_use === 'id') id.push('token_use is "id" (Cognito ID token)');
  if (payload.typ === 'Bearer') access.push('typ claim is "Bearer" (Keycloak access token)');
  if (payload.typ === 'ID') id.push('typ claim is "ID" (Keycloak ID token)');
  if (has(payload, 'appid')) access.push('has appid (Entra ID v1.0 access token)');
  for (const claim of ['scp', 'scope', 'client_id', 'cid']) if (has(payload, claim)) access.push(`has ${claim}`);
  for (const claim of ['nonce', 'at_hash', 'c_hash']) if (has(payload, claim)) id.push(`has ${claim} (only ID tokens carry it)`);
  // scp/scope/client_id say "access token" only when nothing says "ID token".
  const strongAccess = access.some((e) => !/^has (scp|scope|client_id|cid)$/.test(e));
  let kind: TokenKindName;
  if (id.length && !strongAccess) kind = 'id_token';
  else if (access.length && (strongAccess || id.length === 0)) kind = 'access_token';
  else if (typeof payload.azp === 'string' && payload.aud === payload.azp) {
    id.push('aud equals azp (the client the token was issued to)');
    kind = 'id_token';
  } else kind = 'unknown';
  const evidence = kind === 'id_token' ? id : kind === 'access_token' ? access : [...id, ...access];
  const summary =
    kind === 'id_token'
      ? 'looks like an ID token: its aud is the client id of the application that signed the user in'
      : kind === 'access_token'
        ? vendor === 'cognito' || payload.token_use === 'access'
          ? 'looks like a Cognito access token: it has no aud at all, only client_id'
          : 'looks like an access token: its aud names the API (resource) it is for, not your application'
        : 'nothing in it says whether it is an ID token or an access token';
  return { kind, vendor, evidence, summary };
}
