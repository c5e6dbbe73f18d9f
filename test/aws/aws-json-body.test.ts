import t from 'tap';
import { awsJsonBody } from '../../server/aws/protocols/aws-json-protocol.js';

t.test('awsJson output: undefined members left out, timestamps as epoch seconds', async (t) => {
  const body = awsJsonBody({ Name: undefined, CreatedDate: new Date(1700000000500), Nested: [{ At: new Date(0), Count: 2, Gone: undefined }] });
  t.equal(body, '{"CreatedDate":1700000000.5,"Nested":[{"At":0,"Count":2}]}');
  t.equal(awsJsonBody(undefined), '{}');
});
