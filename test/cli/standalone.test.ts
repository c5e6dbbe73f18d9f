import t from 'tap';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import type { StandaloneTour } from '../../server/tour/standalone-tour.js';
import { formatStandaloneTour } from '../../server/tour/format-standalone-tour.js';
import { cli } from './helpers/cli-run.js';

/**
 * `tti-lab standalone` (issue #14 item 2), run in this process: the account instance, the PKCE
 * sign-in through the login page, the tokens, Identity Center refused as its own trusted token
 * issuer, and the aud a trusted token issuer's grant expects — in text, in JSON, and as the cookbook
 * shows it.
 */

t.test('--json: every part, in fields', async (t) => {
  const { code, out, err } = await cli('standalone', '--json');
  t.equal(code, 0, err);
  t.equal(err, '');
  const tour = JSON.parse(out) as StandaloneTour;
  t.equal(tour.version, 1);
  t.equal(tour.ok, true);
  t.same(tour.problems, []);
  t.match(tour.lab, /^http:\/\/127\.0\.0\.1:\d+$/);

  t.equal(tour.setup.instance.type, 'ACCOUNT', 'an account instance, made by CreateInstance');
  t.match(tour.setup.instance.instanceArn, /^arn:aws:sso:::instance\/ssoins-[a-f0-9]{16}$/);
  t.equal(tour.setup.instance.ownerAccountId, '000000000000');
  t.match(tour.setup.application.applicationArn, /^arn:aws:sso::000000000000:application\/ssoins-[a-f0-9]{16}\/apl-/);
  t.same(tour.setup.calls.map((c) => c.call), ['CreateInstance', 'CreateUser', 'CreateApplication', 'PutApplicationGrant', 'PutApplicationAuthenticationMethod', 'CreateApplicationAssignment']);

  const s = tour.signIn;
  t.match(s.authorizeUrl, new RegExp(`^${tour.lab}/identity-center/ssoins-[a-f0-9]{16}/authorize\\?client_id=arn`));
  t.match(new URL(s.authorizeUrl).searchParams.get('code_challenge_method'), 'S256');
  t.same(s.loginPage, { status: 200, buttons: ['Sign in as Alice Example', 'Cancel'] });
  t.equal(s.stateMatches, true);
  t.match(s.redirect, /^http:\/\/127\.0\.0\.1:8400\/callback\?code=.{6}…&state=[a-f0-9]{16}$/);
  t.equal(s.tokens.tokenType, 'Bearer');
  t.same(s.tokens.scope, ['openid', 'aws', 'sts:identity_context']);
  t.match(s.tokens.accessToken, /^aoa/);
  const claims = decodeJwt(s.tokens.idToken);
  t.same(s.tokens.idTokenClaims, claims, 'the claims shown are the idToken\'s');
  t.equal(claims.iss, `https://identitycenter.amazonaws.com/${tour.setup.instance.instanceArn.split('/').pop()}`);
  t.equal(claims.sub, tour.setup.user.userId);
  t.notOk('act' in claims, 'signed in to Identity Center itself: no trusted token issuer vouched');
  t.equal(s.aud.value, claims.aud);
  t.match(s.aud.explanation, /^an opaque value Identity Center chose for application my-web-app/);

  const ic = tour.identityCenterAsIssuer;
  t.equal(ic.issuerUrl, claims.iss, 'Identity Center\'s own URL was registered');
  t.match(ic.trustedTokenIssuerArn, /:trustedTokenIssuer\/ssoins-/);
  t.match(ic.refusal, { exception: 'InvalidGrantException', status: 400, error: 'invalid_grant', step: 'issuer-trusted', key: 'issuer.identity_center', keysFetched: false });
  t.match(ic.refusal!.reason, /is Identity Center itself, registered as trusted token issuer "identity-center-itself" and authorized by the grant: Identity Center cannot be its own trusted token issuer/);
  t.match(ic.refusal!.fix, /^to sign users in with Identity Center, give the application an authorization_code grant/);
  t.same(ic.calls.map((c) => c.call), ['CreateTrustedTokenIssuer', 'PutApplicationGrant', 'CreateTokenWithIAM', 'DeleteTrustedTokenIssuer']);
  t.match(ic.calls[1]!.detail, `AuthorizedAudiences ${JSON.stringify([claims.aud])}`, 'even with the idToken\'s own aud authorized');

  const a = tour.trustedIssuerAud;
  t.equal(a.issuer.url, `${tour.lab}/issuers/okta`);
  t.same(a.idToken.claims, decodeJwt(a.idToken.token));
  t.equal(a.idToken.aud, '0oa1b2c3d4e5f6g7h8i9', 'an Okta ID token: aud is the client id');
  t.same(a.authorizedAudiences, [a.idToken.aud], 'the value authorized is the one read from the token');
  t.ok(a.accepted, 'the Okta ID token is exchanged');
  t.match((a.accepted!.idTokenClaims.act as { sub: string }).sub, /^arn:aws:sso::000000000000:trustedTokenIssuer\/ssoins-[a-f0-9]{16}\/tti-/);
  t.equal(a.accepted!.idTokenClaims.sub, tour.setup.user.userId);
  t.equal(decodeJwt(a.accessToken.token).aud, 'api://default');
  t.match(a.accessToken.refusal, { exception: 'InvalidGrantException', step: 'audience-authorized', key: 'aud.mismatch' });
  t.match(a.accessToken.refusal!.fix, /^exchange your application's ID token instead: this is an access token/);

  // The text says so when a part did not go as described (the command then exits 1).
  const off = formatStandaloneTour({ ...tour, ok: false, problems: ['Identity Center\'s own idToken was accepted as a jwt-bearer assertion'] });
  t.match(off, /\nResult: UNEXPECTED — Identity Center's own idToken was accepted as a jwt-bearer assertion$/);
});

t.test('text: readable, and what the cookbook shows is what it prints', async (t) => {
  const { code, out, err } = await cli('standalone');
  t.equal(code, 0, err);
  t.equal(err, '');
  t.match(out, /^tti-lab standalone — Identity Center on an account \("standalone"\) instance, end to end$/m);
  t.match(out, /^Result: OK — /m);
  t.notMatch(out, /UNEXPECTED/);
  t.notMatch(out, /"sts:identity_context": "[^"]{80,}"/, 'long claims are shortened for reading');

  const cookbook = await readFile(fileURLToPath(new URL('../../docs/cookbook.md', import.meta.url)), 'utf8');
  const start = cookbook.indexOf('```console\n$ tti-lab standalone\n');
  t.not(start, -1, 'the cookbook has the example');
  const body = cookbook.indexOf('\n', cookbook.indexOf('\n', start) + 1) + 1;
  const example = cookbook.slice(body, cookbook.indexOf('\n```', body));
  let checked = 0;
  for (const line of example.split('\n')) {
    for (const fragment of line.split('…').map((f) => f.trim()).filter(Boolean)) {
      t.ok(out.includes(fragment), `shown: ${fragment.slice(0, 90)}`);
      checked++;
    }
  }
  t.ok(checked > 20, 'the example has lines to check');
});
