import t from 'tap';
import { startLab } from '../../server/index.js';

/** identity_center.s3_access_grants: the declarative setup, applied through the S3 Control operations at start. */

const ROLE = 'arn:aws:iam::000000000000:role/S3AGLocationRole';
const config = (grants: unknown[]) => ({
  aws: { roles: [{ arn: ROLE, trust_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'access-grants.s3.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:SetContext', 'sts:SetSourceIdentity'] }] } }] },
  identity_center: {
    instances: [{ name: 'tti-lab', users: [{ user_name: 'alice', emails: ['alice@example.com'] }], groups: [{ display_name: 'analysts', members: ['alice'] }] }],
    s3_access_grants: { locations: [{ scope: 's3://', iam_role: ROLE }], grants },
  },
});

t.test('the instance, associated with the default Identity Center instance, its location and grants', async (t) => {
  const lab = await startLab({
    inMemory: true,
    config: config([
      { location: 's3://', sub_prefix: 'data-bucket/alice/*', grantee: 'alice', permission: 'READ' },
      { location: 's3://', sub_prefix: 'data-bucket/*', grantee: 'group:analysts', permission: 'READWRITE' },
      { location: 's3://', sub_prefix: 'shared/*', grantee: 'arn:aws:iam::000000000000:role/App', permission: 'READ' },
    ]),
  });
  t.teardown(() => lab.close());
  const ic = lab.services.identityCenter;
  const instance = ic.state.read.accessGrants?.['000000000000'];
  t.equal(instance?.IdentityCenterArn, ic.defaultInstance().InstanceArn);
  t.same(Object.values(instance!.Locations).map((l) => [l.AccessGrantsLocationId, l.LocationScope, l.IAMRoleArn]), [['default', 's3://', ROLE]]);
  const store = ic.state.read.identityStores[ic.defaultInstance().IdentityStoreId]!;
  const alice = Object.values(store.Users).find((u) => u.UserName === 'alice')!.UserId;
  const analysts = Object.values(store.Groups)[0]!.GroupId;
  t.same(
    Object.values(instance!.Grants).map((g) => [g.Grantee.GranteeType, g.Grantee.GranteeIdentifier, g.Permission, g.GrantScope]),
    [
      ['DIRECTORY_USER', alice, 'READ', 's3://data-bucket/alice/*'],
      ['DIRECTORY_GROUP', analysts, 'READWRITE', 's3://data-bucket/*'],
      ['IAM', 'arn:aws:iam::000000000000:role/App', 'READ', 's3://shared/*'],
    ],
  );
});

t.test('a grantee the instance does not have: the file, the field and the fix', async (t) => {
  await t.rejects(startLab({ inMemory: true, config: config([{ location: 's3://', sub_prefix: 'b/*', grantee: 'bob', permission: 'READ' }]) }), {
    name: 'ConfigError',
    message: /identity_center\.s3_access_grants\.grants\[0\]\.grantee: no user "bob" in tti-lab; grantees are user_names, group:<display name> or IAM ARNs/,
  });
  await t.rejects(startLab({ inMemory: true, config: config([{ location: 's3://', grantee: 'alice', permission: 'READ' }]) }), {
    message: /identity_center\.s3_access_grants\.grants\[0\]: CreateAccessGrant refused it: InvalidAccessGrant: The specified Access Grant is invalid \(grant\.invalid: a grant on the default location s3:\/\/ needs AccessGrantsLocationConfiguration\.S3SubPrefix/,
  });
});
