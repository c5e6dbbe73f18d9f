import t from 'tap';
import { CreateUserCommand, DescribeUserCommand, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { fixedClock } from '../../shared/clock.js';
import { startLab } from '../../server/lab/start-lab.js';
import { failure, identityStoreClient, userInput } from '../identity-store/helpers/identity-store-lab.js';
import { awsFetch, identityStoreHeaders } from './helpers/sign-request.js';

/** SigV4 as the real SDK signs it: what the lab accepts, and how it refuses the rest. */

const lab = await startLab({ inMemory: true });
t.teardown(() => lab.close());
const IdentityStoreId = lab.services.identityCenter.defaultInstance().IdentityStoreId;
const listUsers = new ListUsersCommand({ IdentityStoreId });

t.test('a correctly signed request is served', async (t) => {
  const res = await identityStoreClient(lab).send(listUsers);
  t.same(res.Users, []);
});

t.test('a wrong secret: InvalidSignatureException, 403', async (t) => {
  const err = await failure(identityStoreClient(lab, { credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } }).send(listUsers));
  t.equal(err.name, 'InvalidSignatureException');
  t.equal(err.$metadata.httpStatusCode, 403);
  t.equal(
    err.message,
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
});

t.test('an access key the lab does not know: UnrecognizedClientException, 403', async (t) => {
  const err = await failure(identityStoreClient(lab, { credentials: { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' } }).send(listUsers));
  t.equal(err.name, 'UnrecognizedClientException');
  t.equal(err.$metadata.httpStatusCode, 403);
  t.equal(err.message, 'The security token included in the request is invalid.');
});

t.test('no Authorization header: MissingAuthenticationTokenException, 403', async (t) => {
  const res = await awsFetch({ sign: false, baseUrl: lab.url, headers: identityStoreHeaders('ListUsers'), body: JSON.stringify({ IdentityStoreId }) });
  t.equal(res.status, 403);
  t.equal(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  t.same(await res.json(), { __type: 'MissingAuthenticationTokenException', Message: 'Missing Authentication Token' });
});

t.test('a malformed Authorization header: IncompleteSignatureException, 400', async (t) => {
  const cases: [string, string][] = [
    ['AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/identitystore/aws4_request', "Authorization header requires 'SignedHeaders' parameter."],
    ['Bearer abc', 'Authorization header requires the AWS4-HMAC-SHA256 algorithm.'],
    ['AWS4-HMAC-SHA256 Credential=test/us-east-1, SignedHeaders=host, Signature=00', "Credential should be scoped to a valid region, not ''."],
  ];
  for (const [authorization, message] of cases) {
    const res = await awsFetch({ sign: false, baseUrl: lab.url, headers: { ...identityStoreHeaders('ListUsers'), authorization, 'x-amz-date': '20260101T000000Z' }, body: '{}' });
    t.equal(res.status, 400, authorization);
    t.equal(res.headers.get('x-amzn-errortype'), 'IncompleteSignatureException');
    const body = (await res.json()) as { Message: string };
    t.ok(body.Message.startsWith(message), body.Message);
  }
});

t.test('a signature scoped to another service: InvalidSignatureException, 403', async (t) => {
  const res = await awsFetch({ baseUrl: lab.url, service: 'sso', headers: identityStoreHeaders('ListUsers'), body: JSON.stringify({ IdentityStoreId }) });
  t.equal(res.status, 403);
  t.same(await res.json(), { __type: 'InvalidSignatureException', Message: "Credential should be scoped to correct service: 'identitystore'. " });
});

t.test('a body changed after signing fails the signature', async (t) => {
  const { signRequest } = await import('./helpers/sign-request.js');
  const headers = await signRequest({ baseUrl: lab.url, headers: identityStoreHeaders('ListUsers'), body: JSON.stringify({ IdentityStoreId }) });
  const res = await fetch(`${lab.url}/`, { method: 'POST', headers, body: JSON.stringify({ IdentityStoreId, MaxResults: 1 }) });
  t.equal(res.status, 403);
  t.equal(res.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
});

t.test('x-amz-date more than 5 minutes off the lab clock: InvalidSignatureException', async (t) => {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const clocked = await startLab({ inMemory: true, clock: fixedClock(now) });
  t.teardown(() => clocked.close());
  const id = clocked.services.identityCenter.defaultInstance().IdentityStoreId;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const minutes = 60_000;

  let err = await failure(identityStoreClient(clocked, { systemClockOffset: -10 * minutes }).send(new ListUsersCommand({ IdentityStoreId: id })));
  t.equal(err.name, 'InvalidSignatureException');
  t.equal(err.$metadata.httpStatusCode, 403);
  t.match(err.message, new RegExp(`^Signature expired: \\d{8}T\\d{6}Z is now earlier than ${iso(now - 5 * minutes)} \\(${iso(now)} - 5 min\\.\\)$`));

  err = await failure(identityStoreClient(clocked, { systemClockOffset: 10 * minutes }).send(new ListUsersCommand({ IdentityStoreId: id })));
  t.equal(err.name, 'InvalidSignatureException');
  t.match(err.message, new RegExp(`^Signature not yet current: \\d{8}T\\d{6}Z is still later than ${iso(now + 5 * minutes)} \\(${iso(now)} \\+ 5 min\\.\\)$`));

  // The lab's Date header carries its clock, so the SDK corrects its skew and its retry succeeds.
  const retrying = identityStoreClient(clocked, { systemClockOffset: -10 * minutes, maxAttempts: 2 });
  const res = await retrying.send(new ListUsersCommand({ IdentityStoreId: id }));
  t.same(res.Users, []);
  t.equal(res.$metadata.attempts, 2, 'the first attempt was refused, the corrected one served');
});

t.test('principals declared in the config sign requests as themselves; default_credentials: false drops test/test', async (t) => {
  const principal = { access_key_id: 'AKIALABADMIN0001', secret_access_key: 'admin-secret', arn: 'arn:aws:iam::123456789012:role/IdentityAdmin' };
  const configured = await startLab({ inMemory: true, config: { aws: { principals: [principal], default_credentials: false } } });
  t.teardown(() => configured.close());
  const id = configured.services.identityCenter.defaultInstance().IdentityStoreId;
  const admin = identityStoreClient(configured, { credentials: { accessKeyId: principal.access_key_id, secretAccessKey: principal.secret_access_key } });

  const { UserId } = await admin.send(new CreateUserCommand(userInput(id, 'made.by.admin')));
  const user = await admin.send(new DescribeUserCommand({ IdentityStoreId: id, UserId }));
  t.equal(user.CreatedBy, principal.arn, 'the operation saw the configured principal as its caller');

  const err = await failure(identityStoreClient(configured).send(new ListUsersCommand({ IdentityStoreId: id })));
  t.equal(err.name, 'UnrecognizedClientException', 'test/test is not accepted');

  const both = await startLab({ inMemory: true, config: { aws: { principals: [principal] } } });
  t.teardown(() => both.close());
  const bothId = both.services.identityCenter.defaultInstance().IdentityStoreId;
  t.same((await identityStoreClient(both).send(new ListUsersCommand({ IdentityStoreId: bothId }))).Users, [], 'by default test/test is accepted too');
});
