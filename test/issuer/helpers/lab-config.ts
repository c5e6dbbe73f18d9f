import type { SigningAlgorithm } from '../../../shared/signing-algorithm.js';

export const REDIRECT_URI = 'http://localhost:3000/callback';
export const POST_LOGOUT_URI = 'http://localhost:3000/signed-out';

export const WEB_CLIENT = { client_id: '0oa-web-app', client_secret: 'web-secret' } as const;
/** No default audience: its access tokens are opaque, good for userinfo, introspection and revocation. */
export const PORTAL_CLIENT = { client_id: 'portal', client_secret: 'portal-secret' } as const;
export const SPA_CLIENT = { client_id: 'spa-public' } as const;
export const DEFAULT_AUDIENCE = 'api://default';
export const REPORTS_RESOURCE = { indicator: 'https://api.example.com/reports', audience: 'reports-api' } as const;

export const ALICE = {
  sub: '00u1alice',
  email: 'alice@example.com',
  email_verified: true,
  name: 'Alice Example',
  preferred_username: 'alice@example.com',
  groups: ['engineering'],
  // Custom claims: named by no standard scope.
  department: 'R&D',
  employee_id: 4711,
};
export const BOB = { sub: '00u2bob', email: 'bob@example.com', name: 'Bob Example' };

/** One issuer shaped like Okta: two confidential web apps, a public SPA, two resources, two users. */
export function issuerConfig(name: string, algorithm: SigningAlgorithm = 'RS256'): Record<string, unknown> {
  return {
    name,
    algorithm,
    clients: [
      {
        ...WEB_CLIENT,
        redirect_uris: [REDIRECT_URI],
        post_logout_redirect_uris: [POST_LOGOUT_URI],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        default_audience: DEFAULT_AUDIENCE,
      },
      { ...PORTAL_CLIENT, redirect_uris: [REDIRECT_URI], post_logout_redirect_uris: [POST_LOGOUT_URI] },
      { ...SPA_CLIENT, redirect_uris: [REDIRECT_URI] },
    ],
    resources: [
      { indicator: DEFAULT_AUDIENCE, scopes: ['read', 'write'] },
      { ...REPORTS_RESOURCE, scopes: ['read:reports'] },
    ],
    users: [ALICE, BOB],
  };
}
