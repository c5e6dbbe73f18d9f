import t from 'tap';
import { startLab } from '../../server/index.js';
import { queryString, signRequest } from '../aws/helpers/sign-request.js';
import { readLabReason } from '../../server/aws/protocols/lab-reason-header.js';

/**
 * Malformed S3 Control requests: each gets S3 Control's `<ErrorResponse>` with the right code, the
 * state is unchanged, and the lab keeps serving. Signed as the SDK signs (signing name s3).
 */
const lab = await startLab({ inMemory: true, config: {} });
t.teardown(() => lab.close());
const base = lab.url.replace('127.0.0.1', '000000000000.localhost');
const ACCOUNT = '000000000000';
const state = () => JSON.stringify(lab.services.identityCenter.state.read);

async function send(o: { method?: string; path: string; query?: Record<string, string>; body?: string; headers?: Record<string, string>; service?: string }) {
  const headers = await signRequest({ baseUrl: base, method: o.method ?? 'GET', path: o.path, query: o.query ?? {}, body: o.body ?? '', service: o.service ?? 's3', headers: { 'x-amz-account-id': ACCOUNT, ...(o.body ? { 'content-type': 'application/xml' } : {}), ...(o.headers ?? {}) } });
  const res = await lab.app.inject({ method: (o.method ?? 'GET') as 'GET', url: `${o.path}${o.query ? `?${queryString(o.query)}` : ''}`, headers: { ...headers, host: new URL(base).host }, payload: o.body ?? '' });
  const code = /<Code>([^<]*)<\/Code>/.exec(res.body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(res.body)?.[1];
  return { status: res.statusCode, code, message, root: /^<\?xml[^>]*>\n<(\w+)>/.exec(res.body)?.[1], reason: readLabReason(res.headers['x-tti-lab-reason'] as string | undefined) };
}

await send({ method: 'POST', path: '/v20180820/accessgrantsinstance', body: '<CreateAccessGrantsInstanceRequest/>' });
await send({ method: 'POST', path: '/v20180820/accessgrantsinstance/location', body: '<r><LocationScope>s3://</LocationScope><IAMRoleArn>arn:aws:iam::000000000000:role/L</IAMRoleArn></r>' });

const grantPath = '/v20180820/accessgrantsinstance/grant';
const cases: [string, Parameters<typeof send>[0], number, string, RegExp?][] = [
  ['XML that is not well-formed', { method: 'POST', path: grantPath, body: '<CreateAccessGrantRequest><Permission>READ</CreateAccessGrantRequest>' }, 400, 'MalformedXML', /does not match <Permission>/],
  ['a DOCTYPE with an external entity', { method: 'POST', path: grantPath, body: '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r><Permission>&x;</Permission></r>' }, 400, 'MalformedXML', /DOCTYPE/],
  ['__proto__ elements (ignored: not members)', { method: 'POST', path: grantPath, body: '<r><AccessGrantsLocationId>default</AccessGrantsLocationId><Permission>READ</Permission><Grantee><__proto__><GranteeType>IAM</GranteeType></__proto__></Grantee></r>' }, 400, 'InvalidRequest'],
  ['an enum value the model does not have', { method: 'POST', path: grantPath, body: '<r><AccessGrantsLocationId>default</AccessGrantsLocationId><Permission>ALL</Permission><Grantee><GranteeType>IAM</GranteeType><GranteeIdentifier>arn:aws:iam::000000000000:role/A</GranteeIdentifier></Grantee></r>' }, 400, 'InvalidRequest', /Member must satisfy enum value set/],
  ['durationSeconds that is not a number', { path: '/v20180820/accessgrantsinstance/dataaccess', query: { target: 's3://b/k', permission: 'READ', durationSeconds: '1e3' } }, 400, 'InvalidArgument'],
  ['no x-amz-account-id', { path: '/v20180820/accessgrantsinstance', headers: { 'x-amz-account-id': '' } }, 400, 'InvalidRequest'],
  ['an account id that is not 12 digits', { path: '/v20180820/accessgrantsinstance', headers: { 'x-amz-account-id': '12345' } }, 400, 'InvalidRequest', /regular expression pattern/],
  ['a path no operation has', { path: '/v20180820/nothing-here' }, 501, 'NotImplemented', /no S3 Control operation is GET/],
  ['an S3 Control operation the lab does not emulate', { path: '/v20180820/jobs' }, 501, 'NotImplemented', /ListJobs is not emulated/],
  ['a Content-MD5 of another body', { method: 'POST', path: grantPath, body: '<r/>', headers: { 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' } }, 400, 'BadDigest'],
  ['signed for another service', { path: '/v20180820/accessgrantsinstance', service: 'sts' }, 403, 'SignatureDoesNotMatch'],
  ['a grant id with characters the model refuses', { method: 'DELETE', path: '/v20180820/accessgrantsinstance/grant/a%20b' }, 400, 'InvalidRequest'],
];

for (const [name, request, status, code, reason] of cases) {
  t.test(name, async (t) => {
    const before = state();
    const res = await send(request);
    t.same([res.status, res.code, res.root], [status, code, 'ErrorResponse']);
    if (reason) t.match(res.reason, reason);
    t.equal(state(), before, 'state unchanged');
  });
}

t.test('an empty header value is no account id: the Coral null wording', async (t) => {
  const res = await send({ path: '/v20180820/accessgrantsinstance', headers: { 'x-amz-account-id': '' } });
  t.match(res.message, /^1 validation error detected: Value/);
});

t.test('afterwards the lab still serves S3 Control', async (t) => {
  const res = await send({ path: '/v20180820/accessgrantsinstance' });
  t.equal(res.status, 200);
});
