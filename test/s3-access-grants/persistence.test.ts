import { Agent } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CreateAccessGrantCommand, CreateAccessGrantsInstanceCommand, CreateAccessGrantsLocationCommand, ListAccessGrantsCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { localhostSubdomainLookup, startLab } from '../../server/index.js';

/** S3 Access Grants live in the Identity Center state: a restart on the same data dir keeps the instance, locations and grants. */
t.test('instance, location and grant survive a restart', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tti-lab-s3ag-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const client = (url: string) => new S3ControlClient({ endpoint: url.replace('127.0.0.1', 'localhost'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, requestHandler: { httpAgent: new Agent({ lookup: localhostSubdomainLookup }) } });
  const AccountId = '000000000000';
  const first = await startLab({ dataDir, config: {} });
  const c1 = client(first.url);
  await c1.send(new CreateAccessGrantsInstanceCommand({ AccountId }));
  const location = await c1.send(new CreateAccessGrantsLocationCommand({ AccountId, LocationScope: 's3://bucket', IAMRoleArn: 'arn:aws:iam::000000000000:role/L' }));
  const grant = await c1.send(new CreateAccessGrantCommand({ AccountId, AccessGrantsLocationId: location.AccessGrantsLocationId!, Permission: 'READWRITE', Grantee: { GranteeType: 'IAM', GranteeIdentifier: 'arn:aws:iam::000000000000:role/App' }, AccessGrantsLocationConfiguration: { S3SubPrefix: 'team/*' } }));
  await first.close();

  const second = await startLab({ dataDir, config: {} });
  t.teardown(() => second.close());
  const listed = await client(second.url).send(new ListAccessGrantsCommand({ AccountId }));
  t.same(listed.AccessGrantsList?.map((g) => [g.AccessGrantId, g.GrantScope, g.Permission, g.AccessGrantsLocationId]), [[grant.AccessGrantId, 's3://bucket/team/*', 'READWRITE', location.AccessGrantsLocationId]]);
});
