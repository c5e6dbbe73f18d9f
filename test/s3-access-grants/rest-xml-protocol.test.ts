import t from 'tap';
import { loadServiceModels } from '../../server/aws/model/service-models.js';
import { matchRestXmlOperation, readRestXmlInput, writeRestXmlBody } from '../../server/aws/protocols/rest-xml-protocol.js';
import { parseXmlElements } from '../../server/aws/protocols/xml-elements.js';
import { grantScopeOf, scopeCovers } from '../../server/s3-access-grants/grant-scope.js';
import { startLab } from '../../server/index.js';

const SERVICE_MODELS = await loadServiceModels();

const model = SERVICE_MODELS['s3-control'];
const q = (s = '') => new URLSearchParams(s);

t.test('dispatch by method and path template, labels decoded', async (t) => {
  t.equal(matchRestXmlOperation(model, 'GET', '/v20180820/accessgrantsinstance/dataaccess', q())?.operation.name, 'GetDataAccess');
  t.same(matchRestXmlOperation(model, 'DELETE', '/v20180820/accessgrantsinstance/grant/a1b2-c3', q()), { operation: model.operations.DeleteAccessGrant, labels: { AccessGrantId: 'a1b2-c3' } });
  t.equal(matchRestXmlOperation(model, 'GET', '/v20180820/accessgrantsinstance/grants', q())?.operation.name, 'ListAccessGrants');
  t.equal(matchRestXmlOperation(model, 'PATCH', '/v20180820/accessgrantsinstance/grants', q()), undefined);
  t.equal(matchRestXmlOperation(model, 'GET', '/v20180820/tags/arn%3Aaws%3As3%3A%3A%3Ab%2Fk', q())?.labels.ResourceArn, 'arn:aws:s3:::b/k', 'a greedy label');
});

t.test('the request read by its HTTP bindings and XML body, converted to the model\'s types', async (t) => {
  const get = matchRestXmlOperation(model, 'GET', '/v20180820/accessgrantsinstance/dataaccess', q())!;
  t.same(
    readRestXmlInput(model, get, { method: 'GET', path: '', query: q('target=s3%3A%2F%2Fb%2Fk&permission=READ&durationSeconds=900'), headers: { 'x-amz-account-id': '111122223333' }, body: Buffer.alloc(0) }),
    { Target: 's3://b/k', Permission: 'READ', AccountId: '111122223333', DurationSeconds: 900 },
  );
  t.throws(() => readRestXmlInput(model, get, { method: 'GET', path: '', query: q('durationSeconds=9e9x'), headers: {}, body: Buffer.alloc(0) }), { name: 'InvalidArgument', status: 400 });
  const post = matchRestXmlOperation(model, 'POST', '/v20180820/accessgrantsinstance/grant', q())!;
  const body = `<?xml version="1.0" encoding="UTF-8"?><CreateAccessGrantRequest xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><AccessGrantsLocationId>default</AccessGrantsLocationId><Grantee><GranteeType>IAM</GranteeType><GranteeIdentifier>arn:aws:iam::111122223333:role/R&amp;D</GranteeIdentifier></Grantee><Permission>READ</Permission><Tags><Tag><Key>k</Key><Value>v</Value></Tag><Tag><Key>k2</Key><Value><![CDATA[<v2>]]></Value></Tag></Tags></CreateAccessGrantRequest>`;
  t.same(readRestXmlInput(model, post, { method: 'POST', path: '', query: q(), headers: {}, body: Buffer.from(body) }), {
    AccessGrantsLocationId: 'default',
    Grantee: { GranteeType: 'IAM', GranteeIdentifier: 'arn:aws:iam::111122223333:role/R&D' },
    Permission: 'READ',
    Tags: [{ Key: 'k', Value: 'v' }, { Key: 'k2', Value: '<v2>' }],
  });
  t.throws(() => readRestXmlInput(model, post, { method: 'POST', path: '', query: q(), headers: {}, body: Buffer.from('<a><b></a>') }), { name: 'MalformedXML', status: 400 });
});

t.test('the XML reader resolves no external or custom entity', async (t) => {
  t.throws(() => parseXmlElements('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'), { name: 'XmlSyntaxError' });
  t.throws(() => parseXmlElements('<x>&e;</x>'), { name: 'XmlSyntaxError' });
  t.throws(() => parseXmlElements('<x>a & b</x>'), { name: 'XmlSyntaxError' });
  t.throws(() => parseXmlElements(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`), /nested deeper/);
  t.equal(parseXmlElements('<x>&#x41;&#66;&lt;</x>').text, 'AB<');
});

t.test('the model-driven writer: wrapped lists named by the member\'s xmlName, ISO timestamps, escaped text', async (t) => {
  const xml = writeRestXmlBody(model, 'ListAccessGrantsResult', { AccessGrantsList: [{ AccessGrantId: 'g1', GrantScope: 's3://b/<x>/*', CreatedAt: 1780315200, Grantee: { GranteeType: 'IAM', GranteeIdentifier: 'arn' } }] });
  t.equal(
    xml,
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListAccessGrantsResult xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><AccessGrantsList><AccessGrant><CreatedAt>2026-06-01T12:00:00Z</CreatedAt><AccessGrantId>g1</AccessGrantId><Grantee><GranteeType>IAM</GranteeType><GranteeIdentifier>arn</GranteeIdentifier></Grantee><GrantScope>s3://b/&lt;x&gt;/*</GrantScope></AccessGrant></AccessGrantsList></ListAccessGrantsResult>',
  );
});

t.test('grant scopes: the location scope with the sub-prefix, and what a scope covers', async (t) => {
  t.same([grantScopeOf('s3://', 'b/*'), grantScopeOf('s3://b', undefined), grantScopeOf('s3://b/p', 'team/*'), grantScopeOf('s3://b/', 'k.csv')], ['s3://b/*', 's3://b/*', 's3://b/p/team/*', 's3://b/k.csv']);
  t.ok(scopeCovers('s3://b/p/*', 's3://b/p/x/y'));
  t.ok(scopeCovers('s3://b/p/*', 's3://b/p/*'), 'the grant scope itself, as the workshop passes it');
  t.ok(scopeCovers('s3://b/p/*', 's3://b/p'), 'the prefix itself');
  t.ok(scopeCovers('s3://b/pre*', 's3://b/prefix/x'), 'a character-level wildcard');
  t.notOk(scopeCovers('s3://b/p/*', 's3://b/*'), 'a broader target');
  t.notOk(scopeCovers('s3://b/p/*', 's3://b/px'));
  t.ok(scopeCovers('s3://b/k.csv', 's3://b/k.csv', true));
  t.notOk(scopeCovers('s3://b/k.csv', 's3://b/k.csv.bak'));
});

t.test('refusals before any operation runs, in S3 Control\'s ErrorResponse', async (t) => {
  const lab = await startLab({ inMemory: true, config: {} });
  t.teardown(() => lab.close());
  const unsigned = await lab.app.inject({ method: 'GET', url: '/v20180820/accessgrantsinstance', headers: { host: '000000000000.localhost', 'x-amz-account-id': '000000000000' } });
  t.equal(unsigned.statusCode, 403);
  t.equal(unsigned.headers['content-type'], 'application/xml');
  t.match(unsigned.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse><Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message><\/Error><RequestId>[0-9A-F]{16}<\/RequestId><HostId>[A-Za-z0-9+/=]+<\/HostId><\/ErrorResponse>$/);
  t.equal(unsigned.headers['x-amz-request-id'], /<RequestId>(\w+)</.exec(unsigned.body)?.[1]);
});
