import t from 'tap';
import type { ExplainReport } from '../../server/explain/explain-report.js';
import type { LabOverview } from '../../server/workbench/lab-overview.js';
import type { WorkbenchExchange } from '../../server/workbench/workbench-api.js';
import { CLIENT_ID, startTipLab } from '../exchange/helpers/tip-lab.js';

/** The workbench's routes through inject(): pages, assets, its JSON API, and who may call them. */
const tip = await startTipLab();
t.teardown(() => tip.lab.close());
const app = tip.lab.app;
const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload: payload as object, headers });

const PAGES = ['/workbench/', '/workbench/token', '/workbench/exchanges', '/workbench/aud'];

t.test('pages and assets: plain files from the lab, a strict CSP, nothing from the network', async (t) => {
  const root = await app.inject({ url: '/workbench' });
  t.equal(root.statusCode, 302);
  t.equal(root.headers.location, '/workbench/');
  const referenced = new Set<string>();
  for (const path of PAGES) {
    const res = await app.inject({ url: path });
    t.equal(res.statusCode, 200, path);
    t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    t.match(res.headers['content-security-policy'], /default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'/);
    t.equal(res.headers['x-content-type-options'], 'nosniff');
    t.match(res.body, /^<!doctype html>\n<html lang="en">/);
    t.match(res.body, `<a href="${path}" aria-current="page">`, 'the nav marks the current page');
    t.notMatch(res.body, /<script>|\sstyle="|\son[a-z]+="/, 'no inline script, style or handler (the CSP forbids them)');
    t.notMatch(res.body, /(src|href)="(https?:)?\/\//, 'nothing loaded from another host');
    for (const m of res.body.matchAll(/(?:src|href)="(\/workbench\/assets\/[^"]+)"/g)) referenced.add(m[1]!);
  }
  t.ok(referenced.size >= 5, 'the pages reference their styles and scripts');
  for (const asset of [...referenced, '/workbench/assets/common.js']) {
    const res = await app.inject({ url: asset });
    t.equal(res.statusCode, 200, asset);
    t.match(res.headers['content-type'], asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    t.notMatch(res.body, /https?:\/\/(?!127\.0\.0\.1)[a-z]/i, `${asset} names no external host`);
    t.notMatch(res.body, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, `${asset} never parses data as HTML`);
  }
  for (const bad of ['/workbench/assets/secret.js', '/workbench/assets/..%2F..%2F..%2Fpackage.json', '/workbench/assets/workbench-pages.ts', '/workbench/index.html']) {
    const res = await app.inject({ url: bad });
    t.equal(res.statusCode, 404, bad);
  }
});

t.test('local-only: other hosts get 403 on pages and routes alike', async (t) => {
  const token = await tip.mint();
  for (const [method, url, payload] of [
    ['GET', '/workbench/', undefined],
    ['GET', '/workbench/assets/common.js', undefined],
    ['GET', '/_lab/workbench/overview', undefined],
    ['POST', '/_lab/explain', { token }],
    ['POST', '/_lab/workbench/exchange', { token, applicationArn: tip.applicationArn }],
  ] as const) {
    const res = await app.inject({ method, url, payload: payload as object | undefined, remoteAddress: '192.0.2.10' });
    t.equal(res.statusCode, 403, `${method} ${url}`);
    t.equal(res.json().error, 'local_only');
  }
  t.equal(tip.lab.exchanges().length, 0, 'nothing was exchanged');
});

t.test('a page on another site cannot drive the lab: Origin must be the lab', async (t) => {
  const token = await tip.mint();
  const evil = await post('/_lab/workbench/exchange', { token, applicationArn: tip.applicationArn }, { origin: 'http://evil.example' });
  t.equal(evil.statusCode, 403);
  t.same(evil.json(), { error: 'cross_origin', message: 'requests from http://evil.example are refused: this route answers the lab\'s own pages and non-browser clients only' });
  const explained = await post('/_lab/explain', { token }, { origin: 'null' });
  t.equal(explained.statusCode, 403, 'an opaque origin too');
  const host = new URL(tip.lab.url).host;
  const own = await post('/_lab/explain', { token }, { origin: tip.lab.url, host });
  t.equal(own.statusCode, 200, 'the lab\'s own pages pass');
  t.equal(tip.lab.exchanges().length, 0);
});

t.test('the overview: issuers, and per instance the trusted token issuers, applications, users, groups', async (t) => {
  const res = await app.inject({ url: '/_lab/workbench/overview' });
  t.equal(res.statusCode, 200);
  const ov = res.json() as LabOverview;
  t.equal(ov.lab.url, tip.lab.url);
  t.same(ov.issuers.map((i) => [i.name, i.url, i.clients.map((c) => c.clientId), i.users.map((u) => u.sub)]), [['okta', tip.lab.issuer('okta').url, [CLIENT_ID], ['00u1alice', '00u2bob']]]);
  t.match(ov.issuers[0]!.users[0]!.claims, { email: 'alice@example.com' });
  const [instance] = ov.instances;
  t.equal(instance!.instanceArn, tip.instanceArn);
  t.same(instance!.trustedTokenIssuers.map((x) => [x.name, x.issuerUrl, x.claimAttributePath, x.identityStoreAttributePath, x.labIssuer]), [['okta', tip.lab.issuer('okta').url, 'email', 'emails.value', 'okta']]);
  t.same(instance!.applications.map((a) => a.name), ['tip-app']);
  t.match(instance!.applications[0], {
    applicationArn: tip.applicationArn,
    grants: ['urn:ietf:params:oauth:grant-type:jwt-bearer', 'refresh_token'],
    jwtBearer: [{ trustedTokenIssuerArn: tip.ttiArn, trustedTokenIssuer: 'okta', authorizedAudiences: [CLIENT_ID] }],
    hasIamAuthenticationMethod: true,
    scopes: ['s3:access_grants:read_write'],
    assignmentRequired: true,
    assignments: [{ type: 'USER', id: tip.users.alice, name: 'alice' }],
  });
  t.same(instance!.users.map((u) => [u.userName, u.emails]), [['alice', ['alice@example.com']], ['bob', ['bob@example.com']]]);
});

t.test('exchange: CreateTokenWithIAM for real, logged, and the assertion spent', async (t) => {
  const token = await tip.mint();
  const res = await post('/_lab/workbench/exchange', { token, applicationArn: tip.applicationArn });
  t.equal(res.statusCode, 200);
  const ok = res.json() as WorkbenchExchange;
  t.equal(ok.outcome, 'success');
  t.equal(ok.caller, 'arn:aws:iam::000000000000:root', 'signed as the lab\'s test/test principal');
  t.match(ok.result, { tokenType: 'Bearer', expiresIn: 3600, idTokenClaims: { sub: tip.users.alice, 'aws:instance_arn': tip.instanceArn } });
  t.equal(ok.trace.at(-1)!.step, 'tokens-issued');
  t.equal(ok.trace.at(-1)!.verdict, 'pass', 'tokens really issued');
  const entry = tip.lab.exchanges().find((e) => e.id === ok.entryId);
  t.ok(entry, 'the exchange is in the exchange log');
  t.equal(entry!.outcome, 'success');
  const again = (await post('/_lab/workbench/exchange', { token, applicationArn: tip.applicationArn })).json() as WorkbenchExchange;
  t.match(again, { outcome: 'failure', failure: { step: 'assertion-not-replayed', key: 'assertion.replayed', exception: 'InvalidGrantException' } });
  const wrongAud = (await post('/_lab/workbench/exchange', { token: await tip.mint({ claims: { aud: 'api://default' } }), applicationArn: tip.applicationArn })).json() as WorkbenchExchange;
  t.match(wrongAud, { outcome: 'failure', failure: { step: 'audience-authorized', key: 'aud.mismatch' } });
  t.equal(tip.lab.exchanges({ outcome: 'failure' }).length, 2);
  for (const [body, message] of [
    [{ applicationArn: tip.applicationArn }, 'token: expected the JWT as a string'],
    [{ token }, 'applicationArn: expected the application ARN'],
    [{ token, applicationArn: tip.applicationArn, scopes: [] }, 'scopes: unknown field'],
    [{ token, applicationArn: tip.applicationArn, accessKeyId: 'AKIANOPE' }, "accessKeyId: expected one of the lab's long-term access keys (test)"],
  ] as const) {
    const bad = await post('/_lab/workbench/exchange', body);
    t.ok(bad.statusCode === 400 || bad.statusCode === 409, message);
    t.match(bad.json().message, message);
  }
});

t.test('explain\'s what-if: the same token against other audience lists, the configuration untouched', async (t) => {
  const token = await tip.mint();
  const before = JSON.stringify(tip.lab.services.identityCenter.state.read);
  const logged = tip.lab.exchanges().length;
  const run = async (authorizedAudiences: string[]) => {
    const res = await post('/_lab/explain', { token, applicationArn: tip.applicationArn, whatIf: { authorizedAudiences } });
    t.equal(res.statusCode, 200);
    const app = (res.json() as ExplainReport).applications[0]!;
    return { app, aud: app.trace.find((s) => s.step === 'audience-authorized')! };
  };
  const saved = await run([CLIENT_ID]);
  t.equal(saved.aud.verdict, 'pass');
  t.same(saved.app.whatIf, { authorizedAudiences: [CLIENT_ID] });
  const api = await run(['api://default']);
  t.equal(api.aud.verdict, 'fail');
  t.same(api.aud.facts, { tokenAud: CLIENT_ID, authorizedAudiences: ['api://default'], trustedTokenIssuer: 'okta' });
  t.same(api.app.aud.authorizedAudiences, ['api://default']);
  const upper = await run([CLIENT_ID.toUpperCase()]);
  t.match(upper.aud.reason, 'differ only in letter case; aud is compared exactly');
  const two = await run(['api://default', CLIENT_ID]);
  t.equal(two.aud.verdict, 'pass', 'one match among several is enough');
  t.equal(JSON.stringify(tip.lab.services.identityCenter.state.read), before, 'the real grant is unchanged');
  t.equal(tip.lab.exchanges().length, logged, 'and nothing was logged');
  for (const [body, message] of [
    [{ token, whatIf: { authorizedAudiences: ['x'] } }, 'whatIf: needs applicationArn, the application whose audiences it replaces'],
    [{ token, applicationArn: tip.applicationArn, whatIf: { authorizedAudiences: [] } }, 'whatIf.authorizedAudiences: expected 1 to 10 audiences, as PutApplicationGrant allows per trusted token issuer; got 0'],
    [{ token, applicationArn: tip.applicationArn, whatIf: { audiences: ['x'] } }, 'whatIf: expected {"authorizedAudiences": ["<aud>", …]}'],
    [{ token, applicationArn: tip.applicationArn, whatIf: { authorizedAudiences: [''] } }, 'whatIf.authorizedAudiences[0]: expected a string of 1 to 512 characters'],
    [{ token: '' }, 'token: expected the JWT as a string, got an empty string'],
    [{ jwt: token }, 'jwt: unknown field; expected one of token, applicationArn, caller, scope, whatIf'],
    [[token], 'expected a JSON object such as {"token": "<jwt>"}, got an array'],
  ] as const) {
    const res = await post('/_lab/explain', body);
    t.equal(res.statusCode, 400, message);
    t.same(res.json(), { error: 'invalid_explain_request', message });
  }
});

t.test('docs: README.md and docs/*.md as plain text, the footers link them, nothing else is served', async (t) => {
  const { readFile, readdir } = await import('node:fs/promises');
  const root = new URL('../../', import.meta.url);
  const readme = await app.inject({ url: '/workbench/docs/README.md' });
  t.equal(readme.statusCode, 200);
  t.equal(readme.headers['content-type'], 'text/plain; charset=utf-8');
  t.equal(readme.headers['x-content-type-options'], 'nosniff');
  t.match(readme.headers['content-security-policy'], /default-src 'none'/);
  t.equal(readme.body, await readFile(new URL('README.md', root), 'utf8'));
  const docs = (await readdir(new URL('docs/', root))).filter((f) => f.endsWith('.md'));
  t.ok(docs.includes('exchange.md'));
  for (const name of docs) {
    const res = await app.inject({ url: `/workbench/docs/${name}` });
    t.equal(res.statusCode, 200, name);
    t.equal(res.body, await readFile(new URL(`docs/${name}`, root), 'utf8'), `${name} is the file`);
  }
  for (const path of PAGES) {
    const page = await app.inject({ url: path });
    const links = [...page.body.matchAll(/href="(\/workbench\/docs\/[^"]+)"/g)].map((m) => m[1]!);
    t.same(links, ['/workbench/docs/README.md', '/workbench/docs/cookbook.md', '/workbench/docs/exchange.md', '/workbench/docs/aud.md', '/workbench/docs/harness.md'], `${path}: the footer links the docs`);
    for (const link of links) t.equal((await app.inject({ url: link })).statusCode, 200, link);
  }
  for (const bad of [
    '/workbench/docs/..%2Fpackage.json',
    '/workbench/docs/..%2F..%2F..%2Fetc%2Fpasswd',
    '/workbench/docs/%2Fetc%2Fpasswd',
    '/workbench/docs/%2Fwork%2Fwt%2FREADME.md',
    '/workbench/docs/../package.json',
    '/workbench/docs/..%5Cpackage.json',
    '/workbench/docs/.hidden.md',
    '/workbench/docs/nope.md',
    '/workbench/docs/ARCHITECTURE.md',
    '/workbench/docs/exchange.md%00.txt',
    '/workbench/docs/package.json',
  ]) {
    const res = await app.inject({ url: bad });
    t.equal(res.statusCode, 404, bad);
    t.notMatch(res.body, /"dependencies"|root:x:0/, `${bad}: nothing outside README.md and docs/`);
  }
  const unknown = await app.inject({ url: '/workbench/docs/nope.md' });
  t.equal(unknown.json().error, 'not_found');
  t.match(unknown.json().message, /serves README\.md and .*exchange\.md/);
  const far = await app.inject({ url: '/workbench/docs/README.md', remoteAddress: '192.0.2.10' });
  t.equal(far.statusCode, 403, 'local-only, as the pages');
});
