import t from 'tap';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { startLab } from '../../../server/index.js';
import { loadedServiceModels } from '../../../server/aws/model/service-models.js';

// One process per test file: the models this file sees loaded are the ones its own lab loaded.
t.test('a start parses no service model; each loads on its service\'s first call, and only its own', async (t) => {
  const lab = await startLab({ inMemory: true, config: {} });
  t.teardown(() => lab.close());
  t.same(loadedServiceModels(), [], 'starting a lab (no Identity Center setup) loads none');
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const who = await new STSClient({ endpoint: lab.url, region: 'us-east-1', credentials }).send(new GetCallerIdentityCommand({}));
  t.ok(who.Arn, 'STS answers from its model');
  t.same(loadedServiceModels(), ['sts'], 'the first STS call loads STS\'s model alone');
  await new SSOAdminClient({ endpoint: lab.url, region: 'us-east-1', credentials }).send(new ListInstancesCommand({}));
  t.same(loadedServiceModels(), ['sso-admin', 'sts'], 'the first SSO Admin call loads its model');
  const unknown = await lab.app.inject({ method: 'POST', url: '/', headers: { 'x-amz-target': 'Nope.Op', 'content-type': 'application/x-amz-json-1.1' }, payload: '{}' });
  t.equal(unknown.statusCode, 400);
  t.same(loadedServiceModels(), ['sso-admin', 'sts'], 'an unknown X-Amz-Target prefix loads nothing');
});
