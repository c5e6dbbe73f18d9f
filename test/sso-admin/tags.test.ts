import t from 'tap';
import {
  CreateApplicationCommand,
  CreateInstanceCommand,
  CreateTrustedTokenIssuerCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sso-admin';
import { CUSTOM_PROVIDER, oneValidationError, rejects, snapshot, startSsoAdminLab } from './helpers/sso-admin-lab.js';

const { lab, ic, sso, instanceArn } = await startSsoAdminLab();
t.teardown(() => lab.close());

const tagsOf = async (ResourceArn: string) => (await sso.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags;

t.test('instances, applications and trusted token issuers carry tags from creation, and take more', async (t) => {
  const { InstanceArn } = await sso.send(new CreateInstanceCommand({ Tags: [{ Key: 'env', Value: 'lab' }] }));
  const { ApplicationArn } = await sso.send(
    new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'tagged', Tags: [{ Key: 'owner', Value: 'team-a' }] }),
  );
  const { TrustedTokenIssuerArn } = await sso.send(
    new CreateTrustedTokenIssuerCommand({
      InstanceArn: instanceArn,
      Name: 'idp',
      TrustedTokenIssuerType: 'OIDC_JWT',
      TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: 'https://idp.example.com', ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
      Tags: [{ Key: 'kind', Value: 'okta' }],
    }),
  );
  t.strictSame(await tagsOf(InstanceArn!), [{ Key: 'env', Value: 'lab' }]);
  t.strictSame(await tagsOf(ApplicationArn!), [{ Key: 'owner', Value: 'team-a' }]);
  t.strictSame(await tagsOf(TrustedTokenIssuerArn!), [{ Key: 'kind', Value: 'okta' }]);

  await sso.send(new TagResourceCommand({ ResourceArn: ApplicationArn, InstanceArn: instanceArn, Tags: [{ Key: 'owner', Value: 'team-b' }, { Key: 'cost-center', Value: '42' }] }));
  t.strictSame(await tagsOf(ApplicationArn!), [{ Key: 'cost-center', Value: '42' }, { Key: 'owner', Value: 'team-b' }], 'an existing key takes the new value');
  await sso.send(new UntagResourceCommand({ ResourceArn: ApplicationArn, TagKeys: ['owner', 'never-set'] }));
  t.strictSame(await tagsOf(ApplicationArn!), [{ Key: 'cost-center', Value: '42' }], 'keys it does not have are ignored');

  const before = snapshot(ic);
  await rejects(t, sso.send(new TagResourceCommand({ ResourceArn: ApplicationArn, InstanceArn, Tags: [{ Key: 'x', Value: 'y' }] })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Resource ${ApplicationArn} does not exist in instance ${InstanceArn}`,
  });
  const many = Array.from({ length: 75 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await rejects(t, sso.send(new TagResourceCommand({ ResourceArn: ApplicationArn, Tags: many })), {
    name: 'ServiceQuotaExceededException',
    status: 402,
    message: `A resource can have at most 75 tags; ${ApplicationArn} would have 76`,
  });
  t.equal(snapshot(ic), before, 'refused tag changes change nothing');
});

t.test('tag inputs follow the model', async (t) => {
  const { ApplicationArn } = await sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'x' }));
  await rejects(
    t,
    sso.send(new TagResourceCommand({ ResourceArn: ApplicationArn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })),
    oneValidationError("Value '[\"a\",\"a\"]' at 'tags' failed to satisfy constraint: Member must not contain duplicate tag keys"),
  );
  await rejects(
    t,
    sso.send(new TagResourceCommand({ ResourceArn: ApplicationArn, Tags: [{ Key: 'bad#key', Value: 'v' }] })),
    oneValidationError("Value 'bad#key' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"),
  );
  await rejects(t, sso.send(new TagResourceCommand({ ResourceArn: ApplicationArn } as never)), oneValidationError("Value null at 'tags' failed to satisfy constraint: Member must not be null"));
  await rejects(
    t,
    sso.send(new UntagResourceCommand({ ResourceArn: ApplicationArn, TagKeys: [] })),
    oneValidationError("Value '[]' at 'tagKeys' failed to satisfy constraint: Member must have length greater than or equal to 1"),
  );
  const permissionSet = `arn:aws:sso:::permissionSet/${instanceArn.split('/')[1]}/ps-0123456789abcdef`;
  await rejects(t, sso.send(new ListTagsForResourceCommand({ ResourceArn: permissionSet })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Resource ${permissionSet} does not exist`,
  });
  await rejects(
    t,
    sso.send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:iam::000000000000:role/x' })),
    {
      name: 'ValidationException',
      status: 400,
      message: /^1 validation error detected: Value 'arn:aws:iam::000000000000:role\/x' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    },
  );
});
