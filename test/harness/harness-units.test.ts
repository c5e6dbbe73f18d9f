import t from 'tap';
import { compareSides, diffOutcomes, outcomeLabel, type Side } from '../../harness/compare/compare.js';
import { Symbols, normaliseDataAccess, normaliseTokenResponse } from '../../harness/compare/normalise.js';
import { suggestProfile } from '../../harness/compare/suggest-profile.js';
import { cassetteOf, redact } from '../../harness/report/cassette.js';
import { progressLine } from '../../harness/report/terminal.js';
import { namespaceOf, parseShard, shardOf, type HarnessRun } from '../../harness/run/run-harness.js';
import { resolveString, UnresolvedReference } from '../../harness/scenario/template.js';

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSIsImF1ZCI6IndlYiJ9.c2lnbmF0dXJlLWJ5dGVz';

t.test('redaction: tokens, keys, secrets and account ids never reach a cassette', async (t) => {
  const secrets = {
    idToken: JWT,
    accessToken: 'aoaAAAAAGVqZ2xRT2xZaEd3dWxwZWJvd3R2a3N4',
    refreshToken: 'aorAAAAAGVqZ2xRT2xZaEd3dWxwZWJvd3R2a3N4',
    key: 'ASIAEXAMPLEEXAMPLE12',
    account: 'arn:aws:iam::123456789012:role/TipBearer',
    context: 'A'.repeat(80),
    note: 'client_secret=hunter2, session_token: abc',
  };
  const text = JSON.stringify(redact({ nested: [secrets] }));
  for (const v of [JWT, secrets.accessToken, secrets.refreshToken, secrets.key, '123456789012', secrets.context, 'hunter2', 'abc,']) t.notMatch(text, v, `no ${v.slice(0, 16)}`);
  t.match(text, /<redacted:jwt>/);
  t.match(text, /arn:aws:iam::<account>:role\/TipBearer/);
  const run: HarnessRun = {
    runId: 'r1', startedAt: '', finishedAt: '2026-06-01T00:00:00Z', interrupted: false,
    targets: [{ name: 'aws', kind: 'aws', description: 'AWS (instance arn:aws:sso:::instance/ssoins-1234567890abcdef, bucket my-bucket)' }],
    results: { aws: [{ scenario: 's', file: 's.yaml', description: '', target: 'aws', status: 'failed', reason: `refused: ${JWT} for 123456789012`, setup: { outcome: 'done' }, calls: [{ phase: 'step', service: 'sso-oidc', operation: 'CreateTokenWithIAM', input: { assertion: JWT } }], cleanup: { deleted: 0, failed: [] }, steps: [{ id: 'x', kind: 'create_token_with_iam', outcome: { outcome: 'failure', exception: 'InvalidGrantException', status: 400, error: 'invalid_grant' }, diagnosis: { message: `token ${secrets.accessToken}`, reason: 'why' } }] }] },
  };
  const cassette = JSON.stringify(cassetteOf(run, 'aws'));
  t.notMatch(cassette, JWT);
  t.notMatch(cassette, '123456789012');
  t.notMatch(cassette, 'ssoins-1234567890abcdef', 'the target description is left out');
  t.notMatch(cassette, secrets.accessToken, 'diagnosis messages are left out');
  t.notMatch(cassette, 'CreateTokenWithIAM', 'calls are left out');
});

t.test('symbols: target-assigned values become references; JWTs the harness minted are compared by content', async (t) => {
  const s = new Symbols();
  s.add('arn:aws:sso::111122223333:application/ssoins-abcdefabcdefabcd/apl-0123456789abcdef', 'app.web.arn');
  s.add('ssoins-abcdefabcdefabcd', 'instance.id');
  s.add('111122223333', 'account');
  s.add('https://issuer.example.com/x', 'issuer.idp.url');
  t.equal(s.string('arn:aws:sso::111122223333:application/ssoins-abcdefabcdefabcd/apl-0123456789abcdef'), '${app.web.arn}', 'the longest match wins');
  t.equal(s.string('https://identitycenter.amazonaws.com/ssoins-abcdefabcdefabcd'), 'https://identitycenter.amazonaws.com/${instance.id}');
  t.equal(s.string('http://issuer.example.com/x/'), '${issuer.idp.url|flip_scheme}/', 'filtered variants too');
  s.mintedAt.set(JWT, 1000);
  t.same(s.value(JWT), { jwt: { header: { alg: 'RS256', kid: '${kid}' }, payload: { sub: 'alice', aud: 'web' }, signature: '${signature}' } });
  const out = normaliseTokenResponse({ tokenType: 'Bearer', expiresIn: 3600, scope: ['openid', 'aws'], accessToken: 'aoa1', idToken: JWT }, s);
  t.same(out, { outcome: 'success', tokenType: 'Bearer', issuedTokenType: null, expiresIn: 3600, scope: ['aws', 'openid'], accessToken: 'present', refreshToken: 'absent', idToken: 'jwt', identityContext: 'absent', idTokenClaims: { aud: '<present>', sub: 'alice' } });
});

t.test('templates', async (t) => {
  const values = new Map([['ns', 'r1-abcd'], ['issuer.idp.url', 'https://i.example/x']]);
  t.equal(resolveString('WEB-${ns|upper}', values), 'WEB-R1-ABCD');
  t.equal(resolveString('${issuer.idp.url|flip_scheme|slash}', values), 'http://i.example/x/');
  t.throws(() => resolveString('${steps.a.token}', values), UnresolvedReference);
});

t.test('comparison: field by field; a kind change is one difference', async (t) => {
  t.same(diffOutcomes({ outcome: 'failure', exception: 'A', status: 400, error: 'a' }, { outcome: 'failure', exception: 'B', status: 400, error: 'a' }), [{ field: 'exception', left: 'A', right: 'B' }]);
  t.same(diffOutcomes({ outcome: 'success', scope: ['a'] }, { outcome: 'success', scope: ['a', 'b'] }).map((d) => d.field), ['scope']);
  t.equal(diffOutcomes({ outcome: 'done' }, { outcome: 'failure', exception: 'X', status: null, error: null }).length, 1);
  const side = (name: string, kind: 'mock' | 'aws', status: 'passed' | 'pending', exception: string): Side => ({ name, kind, scenarios: [{ scenario: 's', status, setup: { outcome: 'done' }, steps: [{ id: 'x', kind: 'create_token_with_iam', outcome: { outcome: 'failure', exception, status: 400, error: 'e' }, diagnosis: { failureKey: 'aud.mismatch' } }] }] });
  const cmp = compareSides(side('mock', 'mock', 'passed', 'A'), side('aws', 'aws', 'passed', 'B'));
  t.equal(cmp.divergences, 1);
  t.equal(cmp.scenarios[0]!.verdict, 'different');
  t.equal(compareSides(side('mock', 'mock', 'pending', 'A'), side('aws', 'aws', 'passed', 'B')).scenarios[0]!.verdict, 'incomparable', 'pending on one side is not a divergence');
  t.equal(outcomeLabel({ outcome: 'failure', exception: 'InvalidGrantException', status: 400, error: 'invalid_grant' }), 'InvalidGrantException 400 invalid_grant');
});

t.test('GetDataAccess outcomes: vended credentials and expiry are volatile, the matched grant is compared', async (t) => {
  const symbols = (ns: string, user: string) => {
    const s = new Symbols();
    s.add(ns, 'ns');
    s.add(user, 'user.alice.id');
    return s;
  };
  const answer = (ns: string, user: string, key: string, expiration: Date, scope = `s3://tti-harness-${ns}/alice/*`) => ({
    Credentials: { AccessKeyId: key, SecretAccessKey: `${key}-secret`, SessionToken: `${key}-token`, Expiration: expiration },
    MatchedGrantTarget: scope,
    Grantee: { GranteeType: 'DIRECTORY_USER', GranteeIdentifier: user },
  });
  const mock = normaliseDataAccess(answer('r1-aaaa', 'user-1111', 'ASIAMOCK000000000001', new Date(1e12)), symbols('r1-aaaa', 'user-1111'));
  const aws = normaliseDataAccess(answer('r1-aaaa', '9067a1b2-c3d4', 'ASIAREAL000000000002', new Date(2e12)), symbols('r1-aaaa', '9067a1b2-c3d4'));
  t.same(diffOutcomes(mock, aws), [], 'other keys, secrets, tokens and expiry: no difference');
  t.same(mock, { outcome: 'success', credentials: { accessKeyId: 'present', secretAccessKey: 'present', sessionToken: 'present', expiration: 'present' }, matchedGrantTarget: 's3://tti-harness-${ns}/alice/*', grantee: { type: 'DIRECTORY_USER', identifier: '${user.alice.id}' } });
  const wider = normaliseDataAccess(answer('r1-aaaa', 'user-1111', 'ASIAMOCK000000000001', new Date(1e12), 's3://tti-harness-r1-aaaa/*'), symbols('r1-aaaa', 'user-1111'));
  t.same(diffOutcomes(mock, wider).map((d) => d.field), ['matchedGrantTarget'], 'another grant matched is a divergence');
  t.equal(outcomeLabel(mock), 'success s3://tti-harness-${ns}/alice/*');
});

t.test('a suggestion notes when one failure key got different answers', async (t) => {
  const mk = (name: string, kind: 'mock' | 'aws', exc: [string, string]): Side => ({
    name, kind,
    scenarios: [exc[0], exc[1]].map((e, i) => ({ scenario: `s${i}`, status: 'passed' as const, setup: { outcome: 'done' as const }, steps: [{ id: 'x', kind: 'create_token_with_iam' as const, outcome: { outcome: 'failure' as const, exception: e, status: 400, error: 'x' }, ...(kind === 'mock' ? { diagnosis: { failureKey: 'aud.mismatch' } } : {}) }] })),
  });
  const text = suggestProfile(compareSides(mk('mock', 'mock', ['InvalidGrantException', 'InvalidGrantException']), mk('aws', 'aws', ['AccessDeniedException', 'InvalidRequestException'])), { runId: 'r', date: '2026-06-01' });
  t.match(text, /aud\.mismatch: aws answered differently in different scenarios/);
  t.match(text, /failures:\n {2}aud\.mismatch:\n {4}exception: AccessDeniedException/);
});

t.test('shards are disjoint and cover everything; namespaces are per run and scenario', async (t) => {
  const items = Array.from({ length: 11 }, (_, i) => i);
  const shards = [1, 2, 3].map((i) => shardOf(items, { index: i, count: 3 }));
  t.same(shards.flat().sort((a, b) => a - b), items);
  t.same(parseShard('2/3'), { index: 2, count: 3 });
  t.match(parseShard('0/3'), /--shard: expected i\/n/);
  t.match(parseShard('x'), /--shard/);
  t.equal(namespaceOf('abc123', 'aud-string'), namespaceOf('abc123', 'aud-string'));
  t.not(namespaceOf('abc123', 'aud-string'), namespaceOf('abc123', 'aud-missing'));
  t.match(namespaceOf('abc123', 'aud-string'), /^abc123-[0-9a-f]{4}$/);
});

t.test('the progress line', async (t) => {
  t.equal(progressLine({ done: 0, total: 4, running: [] }, 60), '[........................] 0/4'.padEnd(59));
  t.equal(progressLine({ done: 2, total: 4, running: ['aud-string'] }, 80), '[############............] 2/4  aud-string'.padEnd(79));
  t.equal(progressLine({ done: 1, total: 3, running: ['a'.repeat(100)] }, 40).length, 39, 'never wider than the terminal');
});
