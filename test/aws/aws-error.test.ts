import t from 'tap';
import Fastify from 'fastify';
import { AwsError } from '../../server/aws/aws-error.js';
import { sendAwsJsonError } from '../../server/aws/protocols/aws-json-protocol.js';
import { awsQueryErrorCode, sendAwsQueryError } from '../../server/aws/protocols/aws-query-protocol.js';
import { LAB_REASON_HEADER, readLabReason } from '../../server/aws/protocols/lab-reason-header.js';
import { loadServiceModels } from '../../server/aws/model/service-models.js';
import { ExchangeFailure } from '../../server/identity-center/sso-oidc/exchange/exchange-failure.js';
import { failureError } from '../../server/identity-center/profile/failure-error.js';
import { DEFAULT_PROFILE } from '../../server/identity-center/profile/behaviour-profile.js';
import { sendOidcError } from '../../server/identity-center/sso-oidc/oidc-error-response.js';
import { LabError } from '../../server/lab/lab-error.js';
import { startLab } from '../../server/lab/start-lab.js';
import { buildApp } from '../../server/app/build-app.js';

const SERVICE_MODELS = await loadServiceModels();

t.test("a step's ExchangeFailure is the one failure type: its reason and fix private, its public answer safe until the profile gives one", async (t) => {
  const f = new ExchangeFailure('aud.mismatch', 'aud "x" is not listed', 'add x to AuthorizedAudiences', { aud: 'x' });
  t.ok(f instanceof AwsError);
  t.same([f.key, f.reason, f.fix, f.facts], ['aud.mismatch', 'aud "x" is not listed', 'add x to AuthorizedAudiences', { aud: 'x' }]);
  t.same([f.type, f.status, f.message, f.fields], ['InternalServerException', 500, 'An internal error occurred. Try again later.', {}], 'nothing of the reason in the public answer');
  t.same(f.labReason('audience-authorized'), { step: 'audience-authorized', reason: 'aud "x" is not listed', fix: 'add x to AuthorizedAudiences' });
  const answered = failureError(DEFAULT_PROFILE.failures['aud.mismatch']!, { step: 'audience-authorized', reason: f.reason, ...(f.fix ? { fix: f.fix } : {}) });
  t.same([answered.type, answered.status, answered.fields], ['InvalidGrantException', 400, { error: 'invalid_grant', error_description: 'Invalid grant provided' }], "the profile's answer");
  t.same(answered.labReason('ignored'), { step: 'audience-authorized', reason: 'aud "x" is not listed', fix: 'add x to AuthorizedAudiences' }, 'its own step wins');
});

t.test('failureError: the modelled members in the order the service sends them; an empty description left out', async (t) => {
  const base = { exception: 'AccessDeniedException', status: 400, error: 'access_denied', provenance: 'assumed' as const, source: 'test' };
  t.same(Object.keys(failureError({ ...base, error_description: 'Access denied', reason: 'KMS_AccessDeniedException' }).fields), ['error', 'error_description', 'reason']);
  t.same(failureError({ ...base, error_description: '' }).fields, { error: 'access_denied' });
});

t.test('awsQuery codes: the model shape\'s awsQueryError code, the validator\'s errors as ValidationError, anything else as is', async (t) => {
  const sts = SERVICE_MODELS.sts;
  t.equal(awsQueryErrorCode(new AwsError('InvalidContextAssertionException', 400, ''), sts), 'InvalidContextAssertion');
  t.equal(awsQueryErrorCode(new AwsError('ValidationException', 400, ''), sts), 'ValidationError');
  t.equal(awsQueryErrorCode(new AwsError('SerializationException', 400, ''), sts), 'ValidationError');
  t.equal(awsQueryErrorCode(new AwsError('AccessDenied', 403, ''), sts), 'AccessDenied');
  t.equal(awsQueryErrorCode(new AwsError('constructor', 400, ''), sts), 'constructor', 'a name that is no shape of the model');
});

t.test('every serialiser writes the public answer on the wire and the private reason in x-tti-lab-reason, never in the body', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  const err = new AwsError('InvalidRequestException', 400, 'Invalid request provided', { error: 'invalid_request', error_description: 'Invalid request provided' }, { reason: 'SECRET-REASON', fix: 'do this' });
  app.get('/json', async (_req, reply) => sendAwsJsonError(reply, err, 'rid', 'Op'));
  app.get('/query', async (_req, reply) => sendAwsQueryError(reply, err, 'rid', SERVICE_MODELS.sts, 'AssumeRole'));
  app.get('/oidc', async (_req, reply) => sendOidcError(reply, err, 'rid', { exchangeId: 'ex-1' }));
  for (const [path, step] of [['/json', 'Op'], ['/query', 'AssumeRole'], ['/oidc', 'request']] as const) {
    const res = await app.inject({ method: 'GET', url: path });
    t.notMatch(res.body, /SECRET/, `${path}: the body has none of the reason`);
    t.match(readLabReason(res.headers[LAB_REASON_HEADER] as string), new RegExp(`^${step}: SECRET-REASON`), `${path}: the header has it`);
  }
  const oidc = await app.inject({ method: 'GET', url: '/oidc' });
  t.same([oidc.statusCode, oidc.headers['x-amzn-errortype'], oidc.body, oidc.headers['x-tti-lab-exchange']], [
    400,
    'InvalidRequestException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/',
    '{"error":"invalid_request","error_description":"Invalid request provided"}',
    'ex-1',
  ]);
});

t.test("a lab route: a LabError answers the lab's JSON, its private reason in the same header; another error is internal_error", async (t) => {
  const lab = await startLab({ config: {}, inMemory: true });
  t.teardown(() => lab.close());
  const app = await buildApp(lab.services);
  t.teardown(() => app.close());
  app.get('/refuse', async () => {
    throw new LabError(409, 'conflict', 'already there', { step: 'check-unique', reason: 'SECRET-REASON', fix: 'pick another name' });
  });
  app.get('/bug', async () => {
    throw new Error('SECRET-BUG');
  });
  const refused = await app.inject({ method: 'GET', url: '/refuse', headers: { host: 'localhost' } });
  t.same([refused.statusCode, refused.json()], [409, { error: 'conflict', message: 'already there' }]);
  t.equal(readLabReason(refused.headers[LAB_REASON_HEADER] as string), 'check-unique: SECRET-REASON. Fix: pick another name');
  const bug = await app.inject({ method: 'GET', url: '/bug', headers: { host: 'localhost' } });
  t.same([bug.statusCode, bug.json(), bug.headers[LAB_REASON_HEADER]], [500, { error: 'internal_error', message: 'the lab failed to handle this request; see its log' }, undefined]);
});
