import t from 'tap';
import { classifyToken } from '../../server/explain/token-kind.js';
import { audAdvice, readAud } from '../../server/explain/describe-token.js';

/**
 * The token-kind heuristics on payloads shaped like the real IdPs' (docs/aud.md says where each
 * shape comes from). They only choose advice; no check depends on them.
 */
const now = 1780000000;
const CASES: { name: string; header?: Record<string, unknown>; payload: Record<string, unknown>; kind: string; vendor: string | null }[] = [
  {
    name: 'Okta ID token (custom authorization server)',
    payload: { ver: 1, iss: 'https://dev-123.okta.com/oauth2/default', aud: '0oa1b2c3d4e5f6g7h8i9', sub: '00u1', iat: now, exp: now + 3600, amr: ['pwd'], idp: '00o1', nonce: 'n-0S6', auth_time: now, at_hash: 'x' },
    kind: 'id_token',
    vendor: 'okta',
  },
  {
    name: 'Okta access token',
    payload: { ver: 1, iss: 'https://dev-123.okta.com/oauth2/default', aud: 'api://default', sub: 'alice@example.com', cid: '0oa1b2c3d4e5f6g7h8i9', uid: '00u1', scp: ['openid', 'email'], iat: now, exp: now + 3600 },
    kind: 'access_token',
    vendor: 'okta',
  },
  {
    name: 'Entra ID v1.0 access token',
    payload: { aud: 'api://11111111-2222-3333-4444-555555555555', iss: 'https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad/', appid: 'aaaa-bbbb', appidacr: '1', scp: 'access_as_user', ver: '1.0', iat: now, exp: now + 3600 },
    kind: 'access_token',
    vendor: 'entra-v1',
  },
  {
    name: 'Entra ID v2.0 ID token',
    payload: { aud: '11111111-2222-3333-4444-555555555555', iss: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0', nonce: 'abc', oid: 'x', tid: 'y', ver: '2.0', iat: now, exp: now + 3600 },
    kind: 'id_token',
    vendor: 'entra-v2',
  },
  {
    name: 'Entra ID v2.0 access token',
    payload: { aud: '22222222-2222-3333-4444-555555555555', iss: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0', azp: '11111111-2222-3333-4444-555555555555', azpacr: '1', scp: 'access_as_user', ver: '2.0', iat: now, exp: now + 3600 },
    kind: 'access_token',
    vendor: 'entra-v2',
  },
  {
    name: 'Auth0 access token with the userinfo audience',
    payload: { iss: 'https://example.eu.auth0.com/', sub: 'auth0|1', aud: ['https://api.example.com', 'https://example.eu.auth0.com/userinfo'], azp: 'XByZ', scope: 'openid profile read:reports', iat: now, exp: now + 86400 },
    kind: 'access_token',
    vendor: 'auth0',
  },
  {
    name: 'Cognito ID token',
    payload: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123', aud: '1example23456789', token_use: 'id', 'cognito:username': 'alice', iat: now, exp: now + 3600 },
    kind: 'id_token',
    vendor: 'cognito',
  },
  {
    name: 'Cognito access token (no aud)',
    payload: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123', client_id: '1example23456789', token_use: 'access', scope: 'openid', username: 'alice', iat: now, exp: now + 3600 },
    kind: 'access_token',
    vendor: 'cognito',
  },
  {
    name: 'Keycloak access token',
    payload: { iss: 'https://kc.example.com/realms/demo', aud: 'account', azp: 'web', typ: 'Bearer', scope: 'openid email', iat: now, exp: now + 300 },
    kind: 'access_token',
    vendor: 'keycloak',
  },
  {
    name: 'Keycloak ID token',
    payload: { iss: 'https://kc.example.com/realms/demo', aud: 'web', azp: 'web', typ: 'ID', nonce: 'n', iat: now, exp: now + 300 },
    kind: 'id_token',
    vendor: 'keycloak',
  },
  {
    name: 'RFC 9068 JWT access token (typ at+jwt)',
    header: { alg: 'RS256', typ: 'at+jwt' },
    payload: { iss: 'https://as.example.com', aud: 'https://rs.example.com', client_id: 'c', iat: now, exp: now + 60 },
    kind: 'access_token',
    vendor: null,
  },
  {
    name: 'Identity Center idToken',
    payload: { iss: 'https://identitycenter.amazonaws.com/ssoins-1111222233334444', aud: 'opaque', sub: 'u', 'aws:instance_arn': 'arn', iat: now, exp: now + 3600 },
    kind: 'identity_center',
    vendor: 'identity-center',
  },
  {
    name: 'a bare minted token',
    payload: { iss: 'http://127.0.0.1:4750/issuers/okta', aud: 'x', sub: 's', iat: now, exp: now + 60 },
    kind: 'unknown',
    vendor: null,
  },
];

for (const c of CASES) {
  t.test(c.name, async (t) => {
    const kind = classifyToken(c.header ?? { alg: 'RS256' }, c.payload);
    t.equal(kind.kind, c.kind);
    t.equal(kind.vendor, c.vendor);
    if (c.kind !== 'unknown') t.ok(kind.evidence.length > 0, `evidence: ${kind.evidence.join('; ')}`);
  });
}

t.test('advice follows the kind and the shape of aud', async (t) => {
  const adviceFor = (payload: Record<string, unknown>, header = { alg: 'RS256' }) => audAdvice(classifyToken(header, payload), readAud(payload), payload);
  t.match(adviceFor(CASES[1]!.payload)[0], /^This is an access token \(has scp; has cid\): its aud "api:\/\/default" is the API identifier, not your client id\./);
  t.match(adviceFor(CASES[1]!.payload)[1], /default audience of Okta's "default" custom authorization server/);
  t.match(adviceFor(CASES[0]!.payload)[0], /^This looks like an ID token .*The value for AuthorizedAudiences \(the console's "Aud claim"\) is "0oa1b2c3d4e5f6g7h8i9"\.$/);
  t.match(adviceFor(CASES[7]!.payload)[0], /Cognito access tokens carry no aud, only client_id \("1example23456789"\).*Exchange the Cognito ID token instead/);
  t.match(adviceFor(CASES[5]!.payload).join('\n'), /aud is an array of 2: it is enough that one of them is authorized\.\n"https:\/\/example\.eu\.auth0\.com\/userinfo" is the IdP's own userinfo audience/);
  t.match(adviceFor(CASES[11]!.payload)[0], /^This is an Identity Center idToken/);
  t.same(readAud({ aud: 42 }), { present: true, value: 42, shape: 'invalid', values: [] });
  t.match(adviceFor({ iss: 'x', aud: [] })[0], /empty array/);
  t.match(adviceFor({ iss: 'x' })[0], /^The token has no aud claim/);
});
