import t from 'tap';
import { EXPLAIN_EXIT } from '../../server/cli/explain-command.js';
import type { ExplainReport } from '../../server/explain/explain-report.js';
import { cli, freePort } from '../cli/helpers/cli-run.js';
import { CLIENT_ID } from '../exchange/helpers/tip-lab.js';
import { REPORTS_CLIENT, startExplainLab } from './helpers/explain-lab.js';

/**
 * Without --application, explain checks every application whose jwt-bearer grant trusts the
 * token's issuer (as the issuer-trusted step decides), or says why there is none. With no lab, it
 * decodes and advises and says nothing was checked. The JSON keeps one shape.
 */
const lab = await startExplainLab();
t.teardown(() => lab.lab.close());

t.test('every application that trusts the issuer, each with its own verdict', async (t) => {
  const token = await lab.mint();
  const { code, report } = await lab.explainJson(token);
  t.equal(code, EXPLAIN_EXIT.accepted, 'accepted by one is enough for exit 0');
  t.equal(report.verdict, 'accepted');
  t.same(
    report.applications.map((a) => [a.name, a.outcome, a.failure?.step ?? null]),
    [
      ['no-method', 'refused', 'caller-allowed-by-actor-policy'],
      ['reports', 'refused', 'audience-authorized'],
      ['tip-app', 'accepted', null],
    ],
    'the applications trusting okta, by name; not broken-issuers (other issuers) nor no-grant (no jwt-bearer grant)',
  );
  const reports = report.applications.find((a) => a.name === 'reports')!;
  t.match(reports.aud, { verdict: 'fail', trustedTokenIssuer: 'okta', authorizedAudiences: [REPORTS_CLIENT] });
  t.match(reports.aud.fixes.at(-1), `add "${CLIENT_ID}" to AuthorizedAudiences for trusted token issuer "okta" in application "reports"`);
  const noMethod = report.applications.find((a) => a.name === 'no-method')!;
  t.match(noMethod.aud, { verdict: 'skip', trustedTokenIssuer: 'okta', authorizedAudiences: [CLIENT_ID], reason: 'not reached: an earlier step failed' }, 'the audiences are shown even when the aud step was not reached');

  const text = await lab.explain(token);
  t.match(text.out, /Application "reports" .*\n  verdict: REFUSED at audience-authorized/);
  t.match(text.out, /Application "tip-app" .*\n  verdict: ACCEPTED/);
  t.match(text.out, `AuthorizedAudiences "${REPORTS_CLIENT}" — application "reports", trusted token issuer "okta"`);
  t.match(text.out, `AuthorizedAudiences "${CLIENT_ID}" — application "tip-app", trusted token issuer "okta"`);
  t.match(text.out, /Trusted token issuers in the lab\n  "discovery-down" .*\n      application "broken-issuers": AuthorizedAudiences "0oa-tip-app"/);
  t.match(text.out, /Result: ACCEPTED by "tip-app"$/);
});

t.test('an access token: the aud section names the kind of token and the concrete fix', async (t) => {
  const token = await lab.mint({ header: { typ: 'at+jwt' }, claims: { aud: 'api://default', scp: ['openid'], cid: CLIENT_ID } });
  const { report } = await lab.explainJson(token, '--application', lab.applicationArn);
  t.equal(report.kind.kind, 'access_token');
  t.match(report.kind.evidence, ['header typ is at+jwt (RFC 9068: a JWT access token)', 'has scp', 'has cid']);
  const aud = report.applications[0]!.aud;
  t.equal(aud.verdict, 'fail');
  t.same(aud.fixes, [
    `exchange your application's ID token instead: this is an access token, and its aud "api://default" names an API, not your client id; an ID token's aud is your client id, which is what AuthorizedAudiences lists (here: "${CLIENT_ID}"). ` +
      `Only if this token really is meant for your application: add "api://default" to AuthorizedAudiences for trusted token issuer "okta" in application "tip-app"'s jwt-bearer grant (PutApplicationGrant)`,
  ], 'one fix, leading with the ID token: the step\'s own, so the trace, the wire and the aud section say the same');
  t.match(report.aud, { present: true, value: 'api://default', shape: 'string', values: ['api://default'] });
  t.match(report.aud.rule, /^RFC 7519 §4\.1\.3: each principal that processes a JWT must find itself in "aud"/);
  const { out } = await lab.explain(token, '--application', lab.applicationArn);
  t.match(out, /\n  fix                 exchange your application's ID token instead: this is an access token, and its aud "api:\/\/default" names an API, not your client id; .* Only if this token really is meant for your application: add "api:\/\/default" to AuthorizedAudiences for trusted token issuer "okta" in application "tip-app"/);
  t.match(out, /\n  about this token    This is an access token \(header typ is at\+jwt/, 'the token-kind advice stays, under "about this token"');
  t.match(out, /\n  rule                RFC 7519 §4\.1\.3/);
  t.match(out, /"api:\/\/default" is the default audience of Okta's "default" custom authorization server/);
});

t.test('an aud array: shown as an array; one authorized value is enough', async (t) => {
  const token = await lab.mint({ claims: { aud: ['https://api.example.com', CLIENT_ID] } });
  const { report } = await lab.explainJson(token, '--application', lab.applicationArn);
  t.match(report.aud, { shape: 'array', values: ['https://api.example.com', CLIENT_ID] });
  t.equal(report.verdict, 'accepted');
  const { out } = await lab.explain(token, '--application', lab.applicationArn);
  t.match(out, `in the token        ["https://api.example.com","${CLIENT_ID}"] (an array of 2)`);
  t.match(out, 'aud is an array of 2: it is enough that one of them is authorized.');
});

t.test('no application trusts the issuer: says so, and why', async (t) => {
  const token = await lab.mint({ claims: { iss: 'https://evil.example.com' } });
  const { code, report } = await lab.explainJson(token);
  t.equal(code, EXPLAIN_EXIT.refused);
  t.same(report.applications, []);
  t.equal(report.verdict, 'refused');
  t.match(report.noApplication!.reason, /^iss "https:\/\/evil\.example\.com" is not trusted by any application: none of the 4 applications with a jwt-bearer grant authorizes a trusted token issuer with that IssuerUrl$/);
  t.same(report.noApplication!.byApplication.map((b) => b.name), ['broken-issuers', 'no-method', 'reports', 'tip-app']);
  t.match(report.noApplication!.byApplication[0]!.reason, /is not the IssuerUrl of any trusted token issuer the grant authorizes/);
  const { out } = await lab.explain(token);
  t.match(out, /No application was checked\n  iss "https:\/\/evil\.example\.com" is not trusted by any application/);
  t.match(out, /  - application "tip-app": iss https:\/\/evil\.example\.com is not the IssuerUrl/);
});

t.test('an Identity Center idToken presented back: refused at issuer-trusted, as Identity Center itself', async (t) => {
  const { idToken } = await lab.exchange({ assertion: await lab.mint() });
  const { code, report } = await lab.explainJson(idToken!);
  t.equal(code, EXPLAIN_EXIT.refused);
  t.equal(report.kind.kind, 'identity_center');
  t.match(report.noApplication!.reason, /is Identity Center itself: Identity Center cannot be its own trusted token issuer/);
  t.match(report.noApplication!.fix, /authorization_code grant .* token-exchange grant/);
  t.match(report.aud.advice[0], /^This is an Identity Center idToken\. No application accepts it as a jwt-bearer assertion/);
  const one = await lab.explainJson(idToken!, '--application', lab.applicationArn);
  t.match(one.report.applications[0]!.failure, { step: 'issuer-trusted', key: 'issuer.identity_center', reason: /is Identity Center itself/ });
});

t.test('not a JWT, without --application: the assertion-well-formed step says why', async (t) => {
  const { code, out } = await lab.explain('eyJhbGciOi.not-a-token');
  t.equal(code, EXPLAIN_EXIT.refused);
  t.match(out, /Token\n  not a JWT: a JWT has 3 dot-separated parts, this has 2/);
  t.match(out, /No application was checked\n  the assertion is not a JWT: a JWT has 3 dot-separated parts, this has 2\n  fix: send the raw token string/);
});

t.test('no lab at the endpoint: decoded only, and it says that nothing was checked', async (t) => {
  const token = await lab.mint({ claims: { token_use: 'access', client_id: '1example23456789', aud: null, scope: 'openid' } });
  const endpoint = `http://127.0.0.1:${await freePort()}`;
  const text = await cli('explain', token, '--endpoint', endpoint);
  t.equal(text.code, EXPLAIN_EXIT.unchecked, 'exit 3: not checked');
  t.equal(text.err, '');
  t.match(text.out, `NOT CHECKED: no lab answered at ${endpoint}. The token was only decoded: nothing was checked against a configuration — not its signature, issuer, times, audience or user.`);
  t.match(text.out, /kind     looks like a Cognito access token: it has no aud at all, only client_id/);
  t.match(text.out, /in the token        \(no aud claim\)/);
  t.match(text.out, /This is a Cognito access token: Cognito access tokens carry no aud, only client_id \("1example23456789"\), so no AuthorizedAudiences entry can ever match/);
  t.notMatch(text.out, /Trusted token issuers in the lab/);
  t.match(text.out, /Result: UNCHECKED/);
  const json = await cli('explain', token, '--endpoint', endpoint, '--json');
  const report = JSON.parse(json.out) as ExplainReport;
  t.match(report, { version: 1, checked: false, lab: null, verdict: 'unchecked', applications: [], trustedTokenIssuers: [] });
  const offline = await cli('explain', token, '--offline', '--json');
  t.equal(offline.code, EXPLAIN_EXIT.unchecked);
  t.match(JSON.parse(offline.out), { checked: false, notChecked: /^--offline: no lab was asked\./ });
  const garbage = await cli('explain', 'x.y', '--offline');
  t.equal(garbage.code, EXPLAIN_EXIT.refused, 'a token that is not a JWT is refused anywhere');
});

t.test('the JSON form has one stable shape', async (t) => {
  const { report } = await lab.explainJson(await lab.mint(), '--application', lab.applicationArn);
  t.same(Object.keys(report).sort(), ['applications', 'aud', 'checked', 'kind', 'lab', 'token', 'trustedTokenIssuers', 'verdict', 'version']);
  t.same(Object.keys(report.token).sort(), ['header', 'payload']);
  t.same(Object.keys(report.kind).sort(), ['evidence', 'kind', 'summary', 'vendor']);
  t.same(Object.keys(report.aud).sort(), ['advice', 'present', 'rule', 'shape', 'value', 'values']);
  t.same(Object.keys(report.applications[0]!).sort(), ['applicationArn', 'aud', 'instanceArn', 'name', 'outcome', 'trace']);
  t.same(Object.keys(report.applications[0]!.aud).sort(), ['authorizedAudiences', 'fixes', 'reason', 'trustedTokenIssuer', 'trustedTokenIssuerArn', 'verdict']);
  t.same(Object.keys(report.trustedTokenIssuers[0]!).sort(), ['authorizedBy', 'claimAttributePath', 'identityStoreAttributePath', 'instanceArn', 'issuerUrl', 'name', 'trustedTokenIssuerArn']);
  t.same(
    report.applications[0]!.trace.map((s) => [s.step, s.verdict]),
    [
      ['client-is-application', 'pass'],
      ['caller-allowed-by-actor-policy', 'pass'],
      ['grant-type-configured', 'pass'],
      ['assertion-well-formed', 'pass'],
      ['issuer-trusted', 'pass'],
      ['issuer-keys-fetched', 'pass'],
      ['signature-valid', 'pass'],
      ['token-times-valid', 'pass'],
      ['audience-authorized', 'pass'],
      ['required-claims-present', 'pass'],
      ['user-resolved', 'pass'],
      ['user-assigned', 'pass'],
      ['assertion-not-replayed', 'pass'],
      ['scopes-allowed', 'pass'],
      ['tokens-issued', 'skip'],
    ],
  );
  const audStep = report.applications[0]!.trace.find((s) => s.step === 'audience-authorized')!;
  t.same(audStep.facts, { tokenAud: CLIENT_ID, authorizedAudiences: [CLIENT_ID], trustedTokenIssuer: 'okta', matched: CLIENT_ID }, 'the step\'s own facts');
});

t.test('usage errors', async (t) => {
  const none = await cli('explain');
  t.equal(none.code, 2);
  t.match(none.err, 'tti-lab explain: expected the JWT to explain: tti-lab explain <jwt>');
  const two = await cli('explain', 'a', 'b');
  t.equal(two.code, 2);
  t.match(two.err, 'expected one JWT, got 2 arguments');
  const caller = await cli('explain', await lab.mint(), '--endpoint', lab.lab.url, '--caller', 'bob');
  t.equal(caller.code, 1, 'the lab refuses a bad request: exit 1 with its message');
  t.match(caller.err, /tti-lab explain: the lab refused \(400 invalid_explain_request\): caller: expected an IAM principal ARN/);
});
