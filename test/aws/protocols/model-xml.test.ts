import t from 'tap';
import { writeModelXml, writeModelXmlElement } from '../../../server/aws/protocols/model-xml.js';
import { loadServiceModels } from '../../../server/aws/model/service-models.js';
import type { ServiceModel } from '../../../server/aws/model/service-model.js';

const SERVICE_MODELS = await loadServiceModels();

t.test('awsQuery: an output structure written from its shape, in model order, timestamps ISO 8601 without fractions, text escaped', async (t) => {
  const xml = writeModelXml(
    SERVICE_MODELS.sts,
    'AssumeRoleWithWebIdentityResponse',
    {
      Audience: 'aud',
      Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2026-06-01T13:00:00.000Z') },
      SubjectFromWebIdentityToken: 'a<b&c',
      AssumedRoleUser: { AssumedRoleId: 'AROA1:s', Arn: 'arn' },
      PackedPolicySize: undefined,
    },
    'awsQuery',
    1,
  );
  t.equal(
    xml,
    `  <Credentials>
    <AccessKeyId>ASIA1</AccessKeyId>
    <SecretAccessKey>s</SecretAccessKey>
    <SessionToken>t</SessionToken>
    <Expiration>2026-06-01T13:00:00Z</Expiration>
  </Credentials>
  <SubjectFromWebIdentityToken>a&lt;b&amp;c</SubjectFromWebIdentityToken>
  <AssumedRoleUser>
    <AssumedRoleId>AROA1:s</AssumedRoleId>
    <Arn>arn</Arn>
  </AssumedRoleUser>
  <Audience>aud</Audience>
`,
  );
});

const model = {
  ...SERVICE_MODELS.sts,
  shapes: {
    Out: {
      type: 'structure',
      required: [],
      members: {
        Id: { target: 'String', traits: { xmlAttribute: 1, xmlName: 'id' } },
        Names: { target: 'NameList' },
        Flat: { target: 'NameList', traits: { xmlFlattened: 1, xmlName: 'Flat' } },
        Attrs: { target: 'Map<String,String>' },
        On: { target: 'Boolean' },
        Count: { target: 'Number' },
        When: { target: 'Timestamp#epoch-seconds' },
      },
    },
    NameList: { type: 'list', member: { target: 'String', traits: { xmlName: 'Name' } } },
  },
} as unknown as ServiceModel;
const value = { Id: 'x"1', Names: ['a', 'b'], Flat: ['c'], Attrs: { k: 'v' }, On: false, Count: 0, When: new Date(1_700_000_000_000) };

t.test('lists: awsQuery always <member>; restXml by the member xmlName, flattened when the model says; maps as entries', async (t) => {
  t.equal(
    writeModelXmlElement(model, 'Out', 'Out', value, 'awsQuery'),
    `<Out id="x&quot;1">
  <Names>
    <member>a</member>
    <member>b</member>
  </Names>
  <Flat>
    <member>c</member>
  </Flat>
  <Attrs>
    <entry>
      <key>k</key>
      <value>v</value>
    </entry>
  </Attrs>
  <On>false</On>
  <Count>0</Count>
  <When>1700000000</When>
</Out>
`,
  );
  t.match(writeModelXmlElement(model, 'Out', 'Out', value, 'restXml', { xmlns: 'http://x/' }), /^<Out xmlns="http:\/\/x\/" id="x&quot;1">\n/, 'a root element in its namespace');
  t.match(writeModelXmlElement(model, 'Out', 'Out', value, 'restXml'), /<Names>\n {4}<Name>a<\/Name>\n {4}<Name>b<\/Name>\n {2}<\/Names>\n {2}<Flat>c<\/Flat>\n/);
});

t.test('the compact layout (restXml bodies): no whitespace, empty elements open and closed, numbers as epoch seconds', async (t) => {
  t.equal(
    writeModelXmlElement(model, 'Out', 'Out', { Names: [], Flat: ['c'], When: 1_700_000_000 }, 'restXml', { layout: 'compact' }),
    '<Out><Names></Names><Flat>c</Flat><When>1700000000</When></Out>',
  );
  t.equal(writeModelXmlElement(model, 'Out', 'Out', {}, 'restXml', { layout: 'compact' }), '<Out></Out>');
});
