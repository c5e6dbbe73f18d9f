import t from 'tap';

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];
import { CreateUserCommand } from '@aws-sdk/client-identitystore';
import { startLab } from '../../server/lab/start-lab.js';
import { identityStoreClient, userInput } from '../identity-store/helpers/identity-store-lab.js';
import { awsFetch, identityStoreHeaders } from './helpers/sign-request.js';
import { LAB_REASON_HEADER, readLabReason } from '../../server/aws/protocols/lab-reason-header.js';

/** What the AWS endpoint does with requests it cannot serve: AWS-shaped errors, and it keeps serving. */

const lab = await startLab({ inMemory: true });
t.teardown(() => lab.close());
const IdentityStoreId = lab.services.identityCenter.defaultInstance().IdentityStoreId;
await identityStoreClient(lab).send(new CreateUserCommand(userInput(IdentityStoreId, 'resident')));
const snapshot = () => JSON.stringify(lab.services.identityCenter.state.read);
const initial = snapshot();

/** An awsJson error: status, x-amzn-RequestId, x-amzn-ErrorType, and exactly `{__type, Message}` (plus the service's modelled members). */
async function expectJsonError(t: TapTest, res: Response, status: number, type: string, message?: string, modelled: string[] = []): Promise<void> {
  t.equal(res.status, status, `${type}: status`);
  t.match(res.headers.get('x-amzn-requestid'), /^[0-9a-f-]{36}$/, `${type}: x-amzn-RequestId`);
  t.equal(res.headers.get('x-amzn-errortype'), type, `${type}: x-amzn-ErrorType`);
  t.equal(res.headers.get('content-type'), 'application/x-amz-json-1.1');
  const body = (await res.json()) as Record<string, unknown>;
  t.same(Object.keys(body).sort(), ['Message', ...modelled, '__type'].sort());
  t.equal(body.__type, type);
  if (message !== undefined) t.equal(body.Message, message);
}

type Tap = typeof t;
declare namespace Tap {
  type Test = typeof t;
}

const listUsers = JSON.stringify({ IdentityStoreId });

t.test('malformed JSON: SerializationException', async (t) => {
  const res = await awsFetch({ baseUrl: lab.url, headers: identityStoreHeaders('ListUsers'), body: '{"IdentityStoreId": ' });
  await expectJsonError(t, res, 400, 'SerializationException', 'Start of structure or map found where not expected; the body is not valid JSON');
});

t.test('JSON that is not an object: SerializationException', async (t) => {
  for (const body of ['[]', '"text"', '42', 'null', 'true']) {
    const res = await awsFetch({ baseUrl: lab.url, headers: identityStoreHeaders('ListUsers'), body });
    await expectJsonError(t, res, 400, 'SerializationException', 'Start of structure or map expected; the body must be a JSON object');
  }
});

t.test('an empty body is an empty input (the SDKs send {}); the Identity Store adds its modelled RequestId', async (t) => {
  const res = await awsFetch({ baseUrl: lab.url, headers: identityStoreHeaders('ListUsers'), body: '' });
  await expectJsonError(t, res, 400, 'ValidationException', "1 validation error detected: Value null at 'identityStoreId' failed to satisfy constraint: Member must not be null", ['RequestId']);
});

t.test('a content type that is not awsJson: SerializationException', async (t) => {
  const res = await awsFetch({ baseUrl: lab.url, headers: { ...identityStoreHeaders('ListUsers'), 'content-type': 'application/json' }, body: listUsers });
  await expectJsonError(t, res, 400, 'SerializationException', "Unsupported Content-Type 'application/json'; expected application/x-amz-json-1.1");
  const none = await awsFetch({ baseUrl: lab.url, headers: { 'x-amz-target': 'AWSIdentityStore.ListUsers' }, body: Buffer.from(listUsers) });
  await expectJsonError(t, none, 400, 'SerializationException', "Unsupported Content-Type ''; expected application/x-amz-json-1.1");
});

t.test('no X-Amz-Target and no form body: UnknownOperationException', async (t) => {
  const res = await awsFetch({ baseUrl: lab.url, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: listUsers });
  await expectJsonError(t, res, 400, 'UnknownOperationException', '');
  t.equal(readLabReason(res.headers.get(LAB_REASON_HEADER)), 'request: POST / needs an X-Amz-Target header (awsJson services) or a form body with Action= (STS)', 'the lab says why in its own header');
});

t.test('an unknown target prefix, an unknown operation: UnknownOperationException', async (t) => {
  for (const target of ['AWSNoSuchService.ListUsers', 'NoDot', 'AWSIdentityStore.NoSuchOperation', 'AWSIdentityStore.', 'AWSIdentityStore.constructor', 'AWSIdentityStore.__proto__']) {
    const res = await awsFetch({ baseUrl: lab.url, headers: { ...identityStoreHeaders('x'), 'x-amz-target': target }, body: '{}' });
    await expectJsonError(t, res, 400, 'UnknownOperationException', '');
  }
});

t.test('a body over 1 MiB: 413, AWS-shaped', async (t) => {
  const body = JSON.stringify({ IdentityStoreId, pad: 'x'.repeat(1024 * 1024) });
  const res = await awsFetch({ baseUrl: lab.url, headers: identityStoreHeaders('ListUsers'), body });
  await expectJsonError(t, res, 413, 'RequestEntityTooLargeException', 'Request must be smaller than 1048576 bytes');
});

t.test('a form body with Action= is answered in awsQuery XML', async (t) => {
  const res = await awsFetch({ baseUrl: lab.url, service: 'sts', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=NoSuchAction&Version=2011-06-15' });
  t.equal(res.status, 400);
  t.ok(res.headers.get('x-amzn-requestid'));
  t.match(res.headers.get('content-type'), /^text\/xml/);
  const xml = await res.text();
  t.match(xml, /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
  t.match(xml, /<Code>InvalidAction<\/Code>/);
  t.match(xml, new RegExp(`<RequestId>${res.headers.get('x-amzn-requestid')}</RequestId>`));
});

t.test('afterwards the endpoint still serves, and nothing changed', async (t) => {
  const res = await awsFetch({ baseUrl: lab.url, headers: identityStoreHeaders('ListUsers'), body: listUsers });
  t.equal(res.status, 200);
  const body = (await res.json()) as { Users: { UserName: string }[] };
  t.same(body.Users.map((u) => u.UserName), ['resident']);
  t.equal(snapshot(), initial, 'the state is as before the bad requests');
});
