import t from 'tap';
import { CreateApplicationCommand, DescribeApplicationCommand, ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { CUSTOM_PROVIDER, DEFAULT_CREDENTIALS, startSsoAdminLab } from './helpers/sso-admin-lab.js';

/**
 * `AWS_ENDPOINT_URL=<lab URL>` is all an application needs: the SDK, built with no endpoint,
 * finds the lab through the environment (this file runs in its own process, so setting it here
 * touches no other test).
 */
const { lab, instanceArn } = await startSsoAdminLab();
t.teardown(() => lab.close());
process.env.AWS_ENDPOINT_URL = lab.url;

t.test('a client built with no endpoint talks to the lab through AWS_ENDPOINT_URL', async (t) => {
  const sso = new SSOAdminClient({ region: 'us-east-1', credentials: DEFAULT_CREDENTIALS, maxAttempts: 1 });
  const sentTo: string[] = [];
  sso.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { protocol: string; hostname: string; port?: number };
      sentTo.push(`${request.protocol}//${request.hostname}:${request.port}`);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordEndpoint' },
  );
  const { Instances } = await sso.send(new ListInstancesCommand({}));
  t.strictSame(Instances?.map((i) => i.InstanceArn), [instanceArn]);
  t.strictSame(sentTo, [lab.url], 'the SDK resolved the lab from the environment');
  const { ApplicationArn } = await sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'from-env' }));
  t.equal((await sso.send(new DescribeApplicationCommand({ ApplicationArn }))).Name, 'from-env');
});
