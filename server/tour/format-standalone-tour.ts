import type { StandaloneTour, TourCall, TourRefusal } from './standalone-tour.js';

const q = (v: unknown) => JSON.stringify(v);
const pad = (n: number) => ' '.repeat(n);
/** An opaque token, shortened for reading; the JSON output has it whole. */
const short = (token: string) => (token.length > 16 ? `${token.slice(0, 12)}… (${token.length} characters)` : token);
/** Claims as JSON, long values (the identity context) shortened: the JSON output has them whole. */
const claimsBlock = (claims: Record<string, unknown>, indent: number) =>
  JSON.stringify(claims, (_k, v: unknown) => (typeof v === 'string' && v.length > 72 ? `${v.slice(0, 40)}… (${v.length} characters)` : v), 2)
    .split('\n')
    .map((l) => pad(indent) + l);

function refusalLines(r: TourRefusal, indent: string): string[] {
  return [
    `${indent}refused at  ${r.step} (${r.key})${r.step === 'issuer-trusted' ? `; issuer-keys-fetched ${r.keysFetched ? 'ran' : 'was not reached: no request left the lab'}` : ''}`,
    `${indent}why         ${r.reason}`,
    ...(r.fix ? [`${indent}fix         ${r.fix}`] : []),
  ];
}

function calls(list: TourCall[]): string[] {
  const width = Math.max(...list.map((c) => c.call.length));
  const indent = pad(3 + width + 2);
  return list.flatMap((c) => [`   ${c.call.padEnd(width)}  ${c.detail}`, ...(c.note ? [`${indent}${c.note}`] : []), ...(c.refusal ? refusalLines(c.refusal, indent) : [])]);
}

/** `tti-lab standalone`'s text: the four parts, each call with what it did, then the result. */
export function formatStandaloneTour(t: StandaloneTour): string {
  const out: string[] = [
    'tti-lab standalone — Identity Center on an account ("standalone") instance, end to end',
    `A lab in this process at ${t.lab}, in memory: every call goes through the AWS SDK, as it would to AWS.`,
    '',
    '1. An account instance and a customer managed application with the authorization code grant',
    ...calls(t.setup.calls),
    '',
    '2. Sign in with Identity Center: authorization code with PKCE',
    `   GET  the authorize endpoint  ${t.signIn.authorizeUrl.split('?')[0]}?client_id=<application ARN>&redirect_uri=…&code_challenge=…&code_challenge_method=S256&state=…`,
    `        → ${t.signIn.loginPage.status}, the login page: ${t.signIn.loginPage.buttons.map((b) => q(b)).join(', ')}`,
    `   POST the form "Sign in as Alice Example"`,
    `        → 302 ${t.signIn.redirect}${t.signIn.stateMatches ? ' (state matches)' : ' (STATE DIFFERS)'}`,
    '   CreateTokenWithIAM  grantType authorization_code, code, redirectUri, codeVerifier',
    `        → tokenType ${t.signIn.tokens.tokenType}, expiresIn ${t.signIn.tokens.expiresIn}, scope ${t.signIn.tokens.scope.join(' ')}`,
    `          accessToken  ${short(t.signIn.tokens.accessToken)}, opaque`,
    '          idToken claims',
    ...claimsBlock(t.signIn.tokens.idTokenClaims, 12),
    `   aud of this idToken: ${q(t.signIn.aud.value)} — ${t.signIn.aud.explanation}`,
    '',
    '3. Identity Center as its own trusted token issuer? Refused',
    ...calls(t.identityCenterAsIssuer.calls),
    `   In short: ${t.identityCenterAsIssuer.why}`,
    '',
    '4. What the aud field of a trusted token issuer expects',
    `   ${t.trustedIssuerAud.explanation}`,
    `   An ID token from the lab's Okta-shaped issuer ${t.trustedIssuerAud.issuer.url}:`,
    ...claimsBlock(t.trustedIssuerAud.idToken.claims, 5),
    `   its aud ${q(t.trustedIssuerAud.idToken.aud)} is the value for AuthorizedAudiences`,
    ...calls(t.trustedIssuerAud.calls),
    '',
    t.ok
      ? 'Result: OK — on an account instance, sign users in with the authorization code grant; a trusted token issuer is an external IdP, and its ID token\'s aud goes into AuthorizedAudiences.'
      : `Result: UNEXPECTED — ${t.problems.join('; ')}`,
  ];
  return out.join('\n');
}
