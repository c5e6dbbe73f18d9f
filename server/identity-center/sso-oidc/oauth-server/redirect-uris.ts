import type { ApplicationRecord, Grant } from '../../state/model.js';
import type { PublicClientRecord } from './public-clients.js';

/** The redirect URIs a client registered: its AuthorizationCode grant's, or RegisterClient's. */
export function registeredRedirectUris(client: { application?: ApplicationRecord; publicClient?: PublicClientRecord }): string[] {
  if (client.publicClient) return client.publicClient.redirectUris;
  const grant = client.application?.Grants.authorization_code as Extract<Grant, { AuthorizationCode: unknown }> | undefined;
  return grant?.AuthorizationCode.RedirectUris ?? [];
}

const LOOPBACK_IPS = new Set(['127.0.0.1', '[::1]']);

const parse = (uri: string): URL | undefined => {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
};

/**
 * Does a redirect_uri match a registered one? Exactly, as strings (RFC 6749 §3.1.2.3) — except that
 * for a loopback IP literal over http the port may differ (RFC 8252 §7.3: native apps listen on
 * whatever port is free). The AWS CLI relies on it: it registers `http://127.0.0.1/oauth/callback`
 * and signs in at `http://127.0.0.1:<port>/oauth/callback`.
 */
export function redirectUriMatches(registered: string, given: string): boolean {
  if (registered === given) return true;
  const r = parse(registered);
  const g = parse(given);
  if (!r || !g || r.protocol !== 'http:' || g.protocol !== 'http:' || !LOOPBACK_IPS.has(r.hostname) || r.hostname !== g.hostname) return false;
  return r.pathname === g.pathname && r.search === g.search && r.username === g.username && r.password === g.password && !r.hash && !g.hash;
}

/** A near miss worth naming in the reason: a trailing slash, letter case, localhost for 127.0.0.1. */
export function nearMiss(registered: string[], given: string): string | undefined {
  for (const r of registered) {
    if (r.replace(/\/$/, '') === given.replace(/\/$/, '')) return `it differs from the registered ${r} only by a trailing slash`;
    if (r.toLowerCase() === given.toLowerCase()) return `it differs from the registered ${r} only in letter case`;
    if (r.replace('://localhost', '://127.0.0.1') === given.replace('://localhost', '://127.0.0.1')) return `${r} is registered: localhost and 127.0.0.1 are different redirect URIs`;
  }
  return undefined;
}
