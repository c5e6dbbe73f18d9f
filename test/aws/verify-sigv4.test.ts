import t from 'tap';
import { createHash } from 'node:crypto';
import { CredentialRegistry, DEFAULT_CREDENTIALS } from '../../server/aws/aws-credentials.js';
import { SigV4Error, verifySigV4, type SignedRequest } from '../../server/aws/sigv4/verify-sigv4.js';
import { fixedClock } from '../../shared/clock.js';
import { queryString, signRequest, type SignOptions } from './helpers/sign-request.js';

/** verify-sigv4 against requests signed by @smithy/signature-v4, the AWS SDK's signer. */

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const clock = fixedClock(NOW);
const credentials = new CredentialRegistry(clock, [DEFAULT_CREDENTIALS]);
const BASE = 'http://127.0.0.1:4750';

/** What the server would see for a request the SDK's signer signed: the path and query as sent, the headers, the body. */
async function signed(o: Partial<SignOptions> & { wireQuery?: string } = {}): Promise<SignedRequest> {
  const headers = await signRequest({ baseUrl: BASE, signingDate: new Date(NOW), ...o });
  return {
    method: o.method ?? 'POST',
    path: o.path ?? '/',
    query: o.wireQuery ?? (o.query ? queryString(o.query) : ''),
    headers: { host: '127.0.0.1:4750', ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) },
    body: Buffer.from(o.body ?? ''),
  };
}

const REGION = 'us-east-1';

function failureOf(req: SignedRequest, service = 'identitystore', registry = credentials, region = REGION): SigV4Error {
  try {
    verifySigV4(req, service, registry, clock, region);
  } catch (err) {
    if (err instanceof SigV4Error) return err;
    throw err;
  }
  throw new Error('expected the signature to be refused');
}

t.test('a signed POST is verified and names its principal, region and service', async (t) => {
  const req = await signed({ headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSIdentityStore.ListUsers' }, body: '{"IdentityStoreId":"d-1234567890"}' });
  t.same(verifySigV4(req, 'identitystore', credentials, clock, REGION), {
    principal: { accessKeyId: 'test', accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root' },
    region: 'us-east-1',
    service: 'identitystore',
  });
});

t.test('a path with characters that need encoding (the non-S3 canonical URI encodes the sent path again)', async (t) => {
  for (const path of ['/client/r%C3%A9gister', '/a%20b/c%2Fd/', '/x:y/~z/!*', '/./a/../b//c']) {
    const req = await signed({ path, service: 'sso-oauth', body: '{}' });
    t.equal(verifySigV4(req, 'sso-oauth', credentials, clock, REGION).service, 'sso-oauth', path);
  }
});

t.test('a query string, however the client encoded it', async (t) => {
  const query = { b: 'x y', a: ['2', '1'], 'c*': "it's (1)", empty: '', 'aws_iam': 't' };
  const req = await signed({ path: '/token', query, service: 'sso-oauth', body: '{}' });
  t.ok(verifySigV4(req, 'sso-oauth', credentials, clock, REGION), 'RFC 3986 encoded');
  const loose = { ...req, query: "b=x+y&a=2&a=1&c*=it's%20(1)&empty=&aws_iam=t" };
  t.ok(verifySigV4(loose, 'sso-oauth', credentials, clock, REGION), '+ for space, sub-delims unencoded, another order');
  const changed = { ...req, query: req.query.replace('aws_iam=t', 'aws_iam=f') };
  t.equal(failureOf(changed, 'sso-oauth').failure, 'mismatch', 'a changed query value');
});

t.test('a GET without a body', async (t) => {
  const req = await signed({ method: 'GET', path: '/.well-known/x', body: '' });
  t.ok(verifySigV4(req, 'identitystore', credentials, clock, REGION));
});

t.test('what breaks a signature', async (t) => {
  const base = await signed({ headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSIdentityStore.ListUsers' }, body: '{}' });
  t.equal(failureOf({ ...base, body: Buffer.from('{"a":1}') }).failure, 'mismatch', 'another body');
  t.equal(failureOf({ ...base, headers: { ...base.headers, 'x-amz-target': 'AWSIdentityStore.DeleteUser' } }).failure, 'mismatch', 'a signed header changed');
  t.ok(verifySigV4({ ...base, headers: { ...base.headers, 'user-agent': 'something else' } }, 'identitystore', credentials, clock, REGION), 'an unsigned header may change');
  t.equal(failureOf({ ...base, method: 'PUT' }).failure, 'mismatch', 'another method');
  t.equal(failureOf({ ...base, path: '/other' }).failure, 'mismatch', 'another path');

  const wrongKey = await signed({ secretAccessKey: 'not-the-secret', body: '{}' });
  t.equal(failureOf(wrongKey).failure, 'mismatch');
  const unknown = await signed({ accessKeyId: 'AKIAUNKNOWN', body: '{}' });
  const err = failureOf(unknown);
  t.equal(err.failure, 'unknown_key');
  t.equal(err.message, 'The security token included in the request is invalid.');
  t.equal(failureOf(base, 'sso').failure, 'wrong_service');
});

t.test('the cached signing key is per secret and scope: a verified request never vouches for another secret, region or day', async (t) => {
  const registry = new CredentialRegistry(clock, [DEFAULT_CREDENTIALS]);
  registry.addTemporary({ accessKeyId: 'ASIAOTHER', secretAccessKey: 'other-secret', sessionToken: 'tok', expiresAt: NOW + 60_000, accountId: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/R/s' });
  const good = await signed({ body: '{}' });
  t.ok(verifySigV4(good, 'identitystore', registry, clock, REGION), 'the first request derives and caches the key');
  t.ok(verifySigV4(good, 'identitystore', registry, clock, REGION), 'the second one uses it');
  t.equal(failureOf(await signed({ secretAccessKey: 'other-secret', body: '{}' }), 'identitystore', registry).failure, 'mismatch', 'same scope, another secret: refused');
  t.equal(failureOf(await signed({ accessKeyId: 'ASIAOTHER', secretAccessKey: 'test', sessionToken: 'tok', body: '{}' }), 'identitystore', registry).failure, 'mismatch', "the other key id signed with test/test's secret: refused");
  t.ok(verifySigV4(await signed({ accessKeyId: 'ASIAOTHER', secretAccessKey: 'other-secret', sessionToken: 'tok', body: '{}' }), 'identitystore', registry, clock, REGION), 'its own secret: served');
  t.ok(verifySigV4(await signed({ region: 'eu-west-1', body: '{}' }), 'identitystore', registry, clock, 'eu-west-1'), 'another region (a lab serving it) derives its own key');
  const yesterday = new Date(NOW - 2 * 60_000 - 12 * 3600_000);
  const dayClock = fixedClock(yesterday.getTime());
  t.ok(verifySigV4(await signed({ signingDate: yesterday, body: '{}' }), 'identitystore', registry, dayClock, REGION), 'another date derives its own key');
  for (let i = 0; i < 100; i += 1) verifySigV4(await signed({ region: `xx-test-${i}`, body: '{}' }), 'identitystore', registry, clock, `xx-test-${i}`);
  t.ok(verifySigV4(good, 'identitystore', registry, clock, REGION), 'after more scopes than the cache holds, still verified (re-derived)');
});

t.test('a declared x-amz-content-sha256 must be the body\'s hash', async (t) => {
  const declared = 'a'.repeat(64);
  const req = await signed({ headers: { 'x-amz-content-sha256': declared }, body: '{}' });
  const err = failureOf(req);
  t.equal(err.failure, 'mismatch');
  t.equal(err.message, "The provided 'x-amz-content-sha256' header does not match what was computed.");
});

t.test('time: more than 5 minutes either way is refused, with AWS\'s wording', async (t) => {
  const early = await signed({ signingDate: new Date(NOW - 5 * 60_000 - 1000), body: '{}' });
  let err = failureOf(early);
  t.equal(err.failure, 'expired');
  t.equal(err.message, 'Signature expired: 20261126T115459Z is now earlier than 20261126T115500Z (20261126T120000Z - 5 min.)');
  const late = await signed({ signingDate: new Date(NOW + 5 * 60_000 + 1000), body: '{}' });
  err = failureOf(late);
  t.equal(err.failure, 'expired');
  t.equal(err.message, 'Signature not yet current: 20261126T120501Z is still later than 20261126T120500Z (20261126T120000Z + 5 min.)');
  t.ok(verifySigV4(await signed({ signingDate: new Date(NOW - 5 * 60_000), body: '{}' }), 'identitystore', credentials, clock, REGION), 'exactly 5 minutes is accepted');
});

t.test('malformed and missing authorization', async (t) => {
  const base = await signed({ body: '{}' });
  const { authorization, ...noAuth } = base.headers;
  t.equal(failureOf({ ...base, headers: noAuth }).failure, 'missing');
  const auth = String(authorization);
  const cases: [string, string][] = [
    [auth.replace(/SignedHeaders=[^,]+, /, ''), "Authorization header requires 'SignedHeaders' parameter."],
    [auth.replace('aws4_request', 'aws5_request'), "Credential should be scoped to a valid region, not 'us-east-1'."],
    [auth.replace(/SignedHeaders=host;/, 'SignedHeaders='), "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."],
    [auth.replace('20261126', '20261125'), "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261125' != '20261126', from '20261126T120000Z'."],
  ];
  for (const [value, message] of cases) {
    const err = failureOf({ ...base, headers: { ...base.headers, authorization: value } });
    t.equal(err.failure, 'incomplete', message);
    t.ok(err.message.startsWith(message), err.message);
  }
  const { 'x-amz-date': _d, ...noDate } = base.headers;
  t.equal(failureOf({ ...base, headers: noDate }).message, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
});

t.test('temporary credentials need their session token, and expire on the lab clock', async (t) => {
  const registry = new CredentialRegistry(clock, [DEFAULT_CREDENTIALS]);
  registry.addTemporary({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'token-1', expiresAt: NOW + 60_000, accountId: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/R/s' });
  const good = await signed({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'token-1', body: '{}' });
  t.equal(verifySigV4(good, 'identitystore', registry, clock, REGION).principal.arn, 'arn:aws:sts::111122223333:assumed-role/R/s');
  const noToken = await signed({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', body: '{}' });
  t.equal(failureOf(noToken, 'identitystore', registry).failure, 'token_invalid');
  const later = fixedClock(NOW + 61_000);
  const expiring = new CredentialRegistry(later, []);
  expiring.addTemporary({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'token-1', expiresAt: NOW + 60_000, accountId: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/R/s' });
  try {
    verifySigV4(good, 'identitystore', expiring, later, REGION);
    t.fail('expected expiry');
  } catch (err) {
    t.equal((err as SigV4Error).failure, 'token_expired');
  }
});

t.test('the body is always signed: x-amz-content-sha256 never stands in for it', async (t) => {
  const listUsers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSIdentityStore.ListUsers' };
  for (const declared of ['UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'not-hex']) {
    const req = await signed({ headers: { ...listUsers, 'x-amz-content-sha256': declared }, body: '{"IdentityStoreId":"d-1"}' });
    const swapped = { ...req, body: Buffer.from('{"IdentityStoreId":"d-2"}') };
    const err = failureOf(swapped);
    t.equal(err.failure, 'mismatch', `${JSON.stringify(declared)} with another body`);
    t.equal(failureOf(req).failure, 'mismatch', `${JSON.stringify(declared)} with the body signed: the canonical request has the body's hash, not the declared value`);
  }
  const unsigned = failureOf(await signed({ headers: { ...listUsers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: '{}' }));
  t.equal(unsigned.message, 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  t.match(unsigned.detail, /x-amz-content-sha256 is "UNSIGNED-PAYLOAD": this service signs the payload/);
  const body = '{"IdentityStoreId":"d-1"}';
  const declaredRight = await signed({ headers: { ...listUsers, 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') }, body });
  t.ok(verifySigV4(declaredRight, 'identitystore', credentials, clock, REGION), 'a declared hash that is the body\'s is fine');
});

t.test('what the request says it is must be signed: X-Amz-Date, X-Amz-Target, X-Amz-Security-Token', async (t) => {
  const base = await signed({ headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSIdentityStore.ListUsers' }, body: '{}' });
  const auth = String(base.headers.authorization);
  const without = (h: string) => ({ ...base, headers: { ...base.headers, authorization: auth.replace(new RegExp(`;${h}(?=[;,])|${h};`), '') } });
  let err = failureOf(without('x-amz-target'));
  t.equal(err.failure, 'incomplete');
  t.equal(err.message, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
  err = failureOf(without('x-amz-date'));
  t.equal(err.failure, 'incomplete');
  t.equal(err.message, "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");

  const registry = new CredentialRegistry(clock, [DEFAULT_CREDENTIALS]);
  registry.addTemporary({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'token-1', expiresAt: NOW + 60_000, accountId: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/R/s' });
  const signedToken = await signed({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'token-1', body: '{}' });
  t.ok(verifySigV4(signedToken, 'identitystore', registry, clock, REGION), 'the SDK signs the session token');
  const unsignedToken = await signed({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', body: '{}' });
  err = failureOf({ ...unsignedToken, headers: { ...unsignedToken.headers, 'x-amz-security-token': 'token-1' } }, 'identitystore', registry);
  t.equal(err.failure, 'incomplete', 'the right session token, added after signing');
  t.equal(err.message, "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
});

t.test("the credential scope must name the lab's region", async (t) => {
  const req = await signed({ region: 'eu-west-1', body: '{}' });
  const err = failureOf(req);
  t.equal(err.failure, 'wrong_region');
  t.equal(err.message, "Credential should be scoped to a valid region, not 'eu-west-1'. ");
  t.match(err.detail, /this lab serves us-east-1 \(config aws\.region\)/);
  t.ok(verifySigV4(req, 'identitystore', credentials, clock, 'eu-west-1'), 'a lab configured for eu-west-1 accepts it');
  t.equal(failureOf(await signed({ body: '{}' }), 'identitystore', credentials, 'eu-west-1').failure, 'wrong_region', 'and refuses us-east-1');
});
