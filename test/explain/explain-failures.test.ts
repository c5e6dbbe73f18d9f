import t from 'tap';
import { EXPLAIN_EXIT } from '../../server/cli/explain-command.js';
import { ALICE, BOB, CLIENT_ID, labReason } from '../exchange/helpers/tip-lab.js';
import { OTHER_CALLER, startExplainLab } from './helpers/explain-lab.js';

/**
 * `tti-lab explain` for every failure of the jwt-bearer pipeline: the text names the failed step,
 * its profile key, the wire answer and the step's own reason and fix; the JSON says the same in
 * fields. Every case runs with --application, so exactly one pipeline runs.
 */
const lab = await startExplainLab();
t.teardown(() => lab.lab.close());
const okta = lab.lab.issuer('okta');

interface Case {
  name: string;
  token: () => Promise<string>;
  args?: string[];
  application?: string;
  step: string;
  key: string;
  exception?: string;
  /** The step's reason, as printed. */
  reason: RegExp;
  fix?: RegExp;
}

const mint = lab.mint;
const replayed = async () => {
  const token = await mint();
  await lab.exchange({ assertion: token });
  return token;
};

const CASES: Case[] = [
  { name: 'clientId is not an ARN', token: () => mint(), application: CLIENT_ID, step: 'client-is-application', key: 'client.malformed', reason: /is not an application ARN/, fix: /pass the ApplicationArn/ },
  { name: 'no such application', token: () => mint(), application: 'arn:aws:sso::000000000000:application/ssoins-0000000000000000/apl-0000000000000000', step: 'client-is-application', key: 'client.unknown', reason: /no application .* exists in this lab/ },
  { name: 'no IAM authentication method', token: () => mint(), application: 'noMethod', step: 'caller-allowed-by-actor-policy', key: 'auth.no_method', exception: 'AccessDeniedException', reason: /has no IAM authentication method/, fix: /PutApplicationAuthenticationMethod/ },
  { name: 'caller not allowed by the ActorPolicy', token: () => mint(), args: ['--caller', OTHER_CALLER], step: 'caller-allowed-by-actor-policy', key: 'auth.denied', exception: 'AccessDeniedException', reason: /does not let arn:aws:iam::111122223333:role\/Other call sso-oauth:CreateTokenWithIAM/ },
  { name: 'no jwt-bearer grant', token: () => mint(), application: 'noGrant', step: 'grant-type-configured', key: 'grant.not_configured', reason: /has no urn:ietf:params:oauth:grant-type:jwt-bearer grant; it has: refresh_token/, fix: /PutApplicationGrant/ },
  { name: 'not a JWT', token: async () => 'Bearer abc', step: 'assertion-well-formed', key: 'assertion.malformed', reason: /the assertion is not a JWT: a JWT has 3 dot-separated parts, this has 1/, fix: /not a Bearer header/ },
  { name: 'unsigned (alg none)', token: () => mint({ variant: 'alg_none' }), step: 'assertion-well-formed', key: 'assertion.alg_not_allowed', reason: /unsigned \(alg "none"\)/ },
  { name: 'HS256 key confusion', token: () => mint({ variant: 'hs256_public_key' }), step: 'assertion-well-formed', key: 'assertion.alg_not_allowed', reason: /shared-secret algorithm/ },
  { name: 'no iss', token: () => mint({ claims: { iss: null } }), step: 'issuer-trusted', key: 'issuer.missing', reason: /has no iss claim/ },
  { name: 'untrusted iss', token: () => mint({ claims: { iss: 'https://evil.example.com' } }), step: 'issuer-trusted', key: 'issuer.untrusted', reason: /is not the IssuerUrl of any trusted token issuer the grant authorizes/, fix: /CreateTrustedTokenIssuer/ },
  { name: 'iss with a trailing slash', token: () => mint({ claims: { iss: `${okta.url}/` } }), step: 'issuer-trusted', key: 'issuer.untrusted', reason: /differ only by a trailing slash/ },
  { name: 'discovery down', token: () => lab.lab.mint('discovery-down', { user: ALICE.sub, claims: { aud: CLIENT_ID } }).then((m) => m.token), application: 'broken', step: 'issuer-keys-fetched', key: 'issuer.discovery_failed', reason: /discovery/ },
  { name: 'JWKS down', token: () => lab.lab.mint('jwks-down', { user: ALICE.sub, claims: { aud: CLIENT_ID } }).then((m) => m.token), application: 'broken', step: 'issuer-keys-fetched', key: 'issuer.jwks_failed', reason: /JWKS|jwks/ },
  { name: 'signed by a key not in the JWKS', token: () => mint({ variant: 'unknown_key' }), step: 'issuer-keys-fetched', key: 'signature.unknown_kid', reason: /kid/ },
  { name: 'tampered payload', token: () => mint({ variant: 'tampered', tamper: { email: BOB.email } }), step: 'signature-valid', key: 'signature.invalid', reason: /the signature does not verify/, fix: /do not edit a signed token/ },
  { name: 'expired', token: () => mint({ iat: '-2h', exp: '-1h' }), step: 'token-times-valid', key: 'time.expired', reason: /expired at 2026-06-01T11:00:00.000Z/ },
  { name: 'not yet valid', token: () => mint({ nbf: '+10m' }), step: 'token-times-valid', key: 'time.not_yet_valid', reason: /not valid before 2026-06-01T12:10:00.000Z/ },
  { name: 'issued in the future', token: () => mint({ iat: '+10m' }), step: 'token-times-valid', key: 'time.iat_future', reason: /in the future/ },
  { name: 'no exp', token: () => mint({ exp: null }), step: 'token-times-valid', key: 'time.exp_missing', reason: /has no exp claim/ },
  { name: 'no aud', token: () => mint({ claims: { aud: null } }), step: 'audience-authorized', key: 'aud.missing', reason: /has no aud claim/, fix: /its aud must be one of "0oa-tip-app"/ },
  { name: 'aud neither string nor array', token: () => mint({ claims: { aud: 42 } }), step: 'audience-authorized', key: 'aud.invalid', reason: /aud must be a string or an array of strings/ },
  { name: 'aud of an access token', token: () => mint({ claims: { aud: 'api://default', scp: ['openid'] } }), step: 'audience-authorized', key: 'aud.mismatch', reason: /shares no value with the AuthorizedAudiences \["0oa-tip-app"\]/, fix: /exchange your application's ID token instead: this is an access token, and its aud "api:\/\/default" names an API, not your client id; an ID token's aud is your client id, which is what AuthorizedAudiences lists \(here: "0oa-tip-app"\)\. Only if this token really is meant for your application: add "api:\/\/default" to AuthorizedAudiences/ },
  { name: 'aud in another letter case', token: () => mint({ claims: { aud: '0OA-TIP-APP' } }), step: 'audience-authorized', key: 'aud.mismatch', reason: /"0OA-TIP-APP" and "0oa-tip-app" differ only in letter case; aud is compared exactly$/, fix: /add "0OA-TIP-APP" to AuthorizedAudiences .*, if this token really is meant for your application/ },
  { name: 'aud with a trailing slash', token: () => mint({ claims: { aud: '0oa-tip-app/' } }), step: 'audience-authorized', key: 'aud.mismatch', reason: /"0oa-tip-app\/" and "0oa-tip-app" differ only by a trailing slash; aud is compared exactly$/ },
  { name: 'aud with one character wrong', token: () => mint({ claims: { aud: '0oa-tip-apq' } }), step: 'audience-authorized', key: 'aud.mismatch', reason: /"0oa-tip-apq" and "0oa-tip-app" differ only by one character, at position 11: the token has "q" where AuthorizedAudiences has "p" — a typo\? aud is compared exactly$/ },
  { name: 'aud with one character missing', token: () => mint({ claims: { aud: '0oa-tip-ap' } }), step: 'audience-authorized', key: 'aud.mismatch', reason: /"0oa-tip-ap" and "0oa-tip-app" differ only by one character, at position 11: AuthorizedAudiences has "p", which the token's aud lacks — a typo\?/ },
  { name: 'aud with one character too many', token: () => mint({ claims: { aud: '0oa-tipx-app' } }), step: 'audience-authorized', key: 'aud.mismatch', reason: /"0oa-tipx-app" and "0oa-tip-app" differ only by one character, at position 8: the token's aud has an extra "x" — a typo\?/ },
  { name: 'aud with two characters swapped', token: () => mint({ claims: { aud: '0oa-tpi-app' } }), step: 'audience-authorized', key: 'aud.mismatch', reason: /"0oa-tpi-app" and "0oa-tip-app" differ only by two adjacent characters swapped, at positions 6–7: the token has "pi" where AuthorizedAudiences has "ip" — a typo\?/ },
  { name: 'aud two characters off: no near-miss hint', token: () => mint({ claims: { aud: '0oa-tip-aqq', nonce: 'n' } }), step: 'audience-authorized', key: 'aud.mismatch', reason: /that application "tip-app" trusts for issuer "okta"$/, fix: /add "0oa-tip-aqq" to AuthorizedAudiences/ },
  { name: 'no sub', token: () => mint({ claims: { sub: null } }), step: 'required-claims-present', key: 'sub.missing', reason: /has no sub claim; the behaviour profile's required_claims \(iss, sub, aud\) lists it/, fix: /subject identifier in sub/ },
  { name: 'no email claim', token: () => mint({ claims: { email: null } }), step: 'user-resolved', key: 'user.claim_missing', reason: /has no email claim/ },
  { name: 'no such user', token: () => mint({ claims: { email: 'nobody@example.com' } }), step: 'user-resolved', key: 'user.not_found', reason: /no user in identity store .* has emails.value = "nobody@example.com"/ },
  { name: 'two users share the email', token: () => mint({ claims: { email: 'shared@example.com' } }), step: 'user-resolved', key: 'user.ambiguous', reason: /2 users have emails.value = "shared@example.com" \(carol1, carol2\)/ },
  { name: 'user not assigned', token: () => mint({ user: BOB.sub }), step: 'user-assigned', key: 'user.not_assigned', exception: 'AccessDeniedException', reason: /user bob is not assigned/ },
  { name: 'already exchanged', token: replayed, step: 'assertion-not-replayed', key: 'assertion.replayed', reason: /already exchanged/ },
  { name: 'scope not available', token: () => mint(), args: ['--scope', 'nope'], step: 'scopes-allowed', key: 'scope.invalid', reason: /scope "nope" is not available to application "tip-app"/, fix: /PutApplicationAccessScope/ },
];

const applicationFor = (c: Case) =>
  c.application === 'noMethod' ? lab.noMethodArn : c.application === 'noGrant' ? lab.noGrantArn : c.application === 'broken' ? lab.brokenArn : (c.application ?? lab.applicationArn);

t.test('every failure of the jwt-bearer pipeline, in text and in JSON', async (t) => {
  const profile = lab.lab.services.ssoOidc.profile;
  for (const c of CASES) {
    t.test(c.name, async (t) => {
      const token = await c.token();
      const args = [token, '--application', applicationFor(c), ...(c.args ?? [])];
      const behaviour = profile.failures[c.key as keyof typeof profile.failures]!;
      t.equal(behaviour.exception, c.exception ?? behaviour.exception);

      const text = await lab.explain(...args);
      t.equal(text.code, EXPLAIN_EXIT.refused, 'exit 1: refused');
      t.equal(text.err, '');
      t.match(text.out, /^Checked against the lab at http:\/\/127\.0\.0\.1:\d+ — read-only: nothing was changed and nothing logged\./);
      t.match(text.out, `verdict: REFUSED at ${c.step} (${c.key}) → a real call gets ${behaviour.exception} (${behaviour.status} ${behaviour.error})`);
      const failLine = text.out.split('\n').findIndex((l) => new RegExp(`^ +\\d+ FAIL  ${c.step} `).test(l));
      t.not(failLine, -1, 'the trace marks the failed step FAIL');
      t.match(text.out.split('\n')[failLine + 1], c.reason, 'the reason is printed under it');
      if (c.fix) t.match(text.out, new RegExp(`fix: .*${c.fix.source}`), 'and the fix');
      t.match(text.out, /Result: REFUSED — no application would accept this token$/);

      const { code, report } = await lab.explainJson(...args);
      t.equal(code, EXPLAIN_EXIT.refused);
      t.equal(report.verdict, 'refused');
      t.equal(report.applications.length, 1);
      const app = report.applications[0]!;
      t.equal(app.outcome, 'refused');
      t.match(app.failure, { step: c.step, key: c.key, exception: behaviour.exception, status: behaviour.status, error: behaviour.error });
      t.match(app.failure!.reason, c.reason);
      if (c.fix) t.match(app.failure!.fix, c.fix);
      const failed = app.trace.filter((s) => s.verdict === 'fail');
      t.same(failed.map((s) => [s.step, s.failure]), [[c.step, c.key]], 'exactly one step fails, and it is the one named');
      const at = app.trace.findIndex((s) => s.verdict === 'fail');
      t.ok(app.trace.slice(0, at).every((s) => s.verdict === 'pass'), 'every step before it passed');
      t.ok(app.trace.slice(at + 1).every((s) => s.verdict === 'skip' && s.reason === 'not reached: an earlier step failed'), 'every step after it was not reached');
    });
  }
});

t.test('an access token\'s aud: the fix leads with the ID token, on the wire and in the aud section', async (t) => {
  const token = await mint({ claims: { aud: 'api://default', scp: ['openid'] } });
  const { report } = await lab.explainJson(token, '--application', lab.applicationArn);
  const app = report.applications[0]!;
  t.match(app.failure!.fix, /^exchange your application's ID token instead: /);
  t.equal(app.aud.fixes.length, 1, 'one fix: the step\'s, which already leads with the ID token');
  t.match(app.aud.fixes[0], /^exchange your application's ID token instead: /);
  const err = await lab.exchange({ assertion: token }).catch((e: unknown) => e);
  t.match(labReason(err), /^audience-authorized: .* Fix: exchange your application's ID token instead: /);
  const noAud = await mint({ claims: { aud: null, token_use: 'access', client_id: 'c1', scope: 'openid' } });
  const cognito = (await lab.explainJson(noAud, '--application', lab.applicationArn)).report.applications[0]!;
  t.match(cognito.aud.fixes[0], /^This is a Cognito access token/, 'a Cognito access token without aud still gets the token-kind advice first');
});

t.test('a token that passes every check: exit 0, tokens-issued not performed', async (t) => {
  const token = await mint();
  const { code, out } = await lab.explain(token, '--application', lab.applicationArn);
  t.equal(code, EXPLAIN_EXIT.accepted);
  t.match(out, 'verdict: ACCEPTED — every check passed (tokens-issued is not performed in a read-only run)');
  t.match(out, /15 skip  tokens-issued +\(read-only run: this step changes state and was not performed\)/);
  t.match(out, /Result: ACCEPTED by "tip-app"$/);
  const again = await lab.explainJson(token, '--application', lab.applicationArn);
  t.equal(again.report.verdict, 'accepted', 'explaining twice is not a replay: nothing was recorded');
  await lab.exchange({ assertion: token });
  t.equal(lab.lab.exchanges().filter((e) => e.outcome === 'success').length >= 1, true);
  t.notOk(lab.lab.exchanges().some((e) => e.operation !== 'CreateTokenWithIAM'), 'explain logs nothing');
});
