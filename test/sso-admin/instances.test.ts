import t from 'tap';
import {
  CreateApplicationCommand,
  CreateInstanceCommand,
  CreateTrustedTokenIssuerCommand,
  DeleteInstanceCommand,
  DescribeApplicationCommand,
  DescribeInstanceCommand,
  ListInstancesCommand,
  ListTrustedTokenIssuersCommand,
  UpdateInstanceCommand,
} from '@aws-sdk/client-sso-admin';
import {
  CUSTOM_PROVIDER,
  OTHER_ACCOUNT,
  OTHER_CREDENTIALS,
  adminClient,
  oneValidationError,
  rejects,
  seedUser,
  snapshot,
  startSsoAdminLab,
} from './helpers/sso-admin-lab.js';

const { lab, ic, sso, instanceArn: orgInstance } = await startSsoAdminLab();
t.teardown(() => lab.close());
const other = adminClient(lab, OTHER_CREDENTIALS);
const INSTANCE_PATTERN = 'arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}';

t.test('the organization instance exists from the start and every account sees it', async (t) => {
  const mine = await sso.send(new ListInstancesCommand({}));
  t.strictSame(mine.Instances?.map((i) => i.InstanceArn), [orgInstance]);
  const theirs = await other.send(new ListInstancesCommand({}));
  t.strictSame(theirs.Instances?.map((i) => i.InstanceArn), [orgInstance], 'the other account sees the organization instance too');
  const described = await other.send(new DescribeInstanceCommand({ InstanceArn: orgInstance }));
  t.equal(described.OwnerAccountId, '000000000000');
  t.equal(described.Name, 'tti-lab');
  t.equal(described.Status, 'ACTIVE');
  t.notOk(mine.NextToken);
});

t.test('CreateInstance: an account instance owned by the caller, one per account', async (t) => {
  const { InstanceArn } = await other.send(new CreateInstanceCommand({ Name: 'their-instance' }));
  const described = await other.send(new DescribeInstanceCommand({ InstanceArn }));
  t.equal(described.OwnerAccountId, OTHER_ACCOUNT);
  t.equal(described.IdentityStoreArn, `arn:aws:identitystore::${OTHER_ACCOUNT}:identitystore/${described.IdentityStoreId}`);
  t.equal(ic.state.read.instances[InstanceArn!]!.InstanceType, 'ACCOUNT');
  t.ok(ic.state.read.identityStores[described.IdentityStoreId!], 'with its own identity store');

  const before = snapshot(ic);
  await rejects(t, other.send(new CreateInstanceCommand({ Name: 'second' })), {
    name: 'ConflictException',
    status: 409,
    message: `Account ${OTHER_ACCOUNT} already has an instance of IAM Identity Center: ${InstanceArn}`,
  });
  t.equal(snapshot(ic), before, 'nothing was created');

  t.test('an account instance is visible to its owner only', async (t) => {
    const listed = await sso.send(new ListInstancesCommand({}));
    t.notOk(listed.Instances?.some((i) => i.InstanceArn === InstanceArn), 'not listed for account 000000000000');
    const theirs = await other.send(new ListInstancesCommand({}));
    t.strictSame(theirs.Instances?.map((i) => i.InstanceArn).sort(), [orgInstance, InstanceArn].sort());
    // DescribeInstance's model declares no ResourceNotFoundException: ValidationException.
    await rejects(t, sso.send(new DescribeInstanceCommand({ InstanceArn })), { name: 'ValidationException', status: 400, message: `Instance ${InstanceArn} does not exist` });
    await rejects(t, sso.send(new UpdateInstanceCommand({ InstanceArn, Name: 'hijack' })), { name: 'ResourceNotFoundException', status: 404, message: `Instance ${InstanceArn} does not exist` });
    await rejects(t, sso.send(new ListTrustedTokenIssuersCommand({ InstanceArn })), { name: 'ValidationException', status: 400, message: `Instance ${InstanceArn} does not exist` });
    await rejects(
      t,
      sso.send(new CreateApplicationCommand({ InstanceArn, Name: 'x', ApplicationProviderArn: CUSTOM_PROVIDER })),
      { name: 'ResourceNotFoundException', status: 404, message: `Instance ${InstanceArn} does not exist` },
    );
    await rejects(t, sso.send(new DeleteInstanceCommand({ InstanceArn })), { name: 'ValidationException', status: 400, message: `Instance ${InstanceArn} does not exist` });
  });
});

t.test('UpdateInstance changes the name and the encryption configuration', async (t) => {
  const { InstanceArn } = await sso.send(new CreateInstanceCommand({}));
  t.notOk((await sso.send(new DescribeInstanceCommand({ InstanceArn }))).Name, 'no name until given one');
  await sso.send(new UpdateInstanceCommand({ InstanceArn, Name: 'renamed' }));
  t.equal((await sso.send(new DescribeInstanceCommand({ InstanceArn }))).Name, 'renamed');
  const kmsKeyArn = 'arn:aws:kms:us-east-1:000000000000:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  await sso.send(new UpdateInstanceCommand({ InstanceArn, EncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: kmsKeyArn } }));
  const described = await sso.send(new DescribeInstanceCommand({ InstanceArn }));
  t.strictSame(described.EncryptionConfigurationDetails, { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: kmsKeyArn, EncryptionStatus: 'ENABLED' });
  t.equal(described.Name, 'renamed', 'the name is kept');
  await rejects(t, sso.send(new UpdateInstanceCommand({ InstanceArn, EncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY' } })), {
    name: 'ValidationException',
    status: 400,
    message: 'KmsKeyArn is required when KeyType is CUSTOMER_MANAGED_KEY',
  });
  await rejects(
    t,
    sso.send(new UpdateInstanceCommand({ InstanceArn, Name: 'has space' })),
    oneValidationError("Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
  );
  await rejects(
    t,
    sso.send(new UpdateInstanceCommand({ InstanceArn, EncryptionConfiguration: { KeyType: 'OWN_KEY' as never } })),
    oneValidationError("Value 'OWN_KEY' at 'encryptionConfiguration.keyType' failed to satisfy constraint: Member must satisfy enum value set: [AWS_OWNED_KMS_KEY, CUSTOMER_MANAGED_KEY]"),
  );
  await sso.send(new DeleteInstanceCommand({ InstanceArn }));
});

t.test('DeleteInstance removes the instance with its applications, trusted token issuers and identity store', async (t) => {
  const { InstanceArn } = await sso.send(new CreateInstanceCommand({ Name: 'short-lived' }));
  const { IdentityStoreId } = await sso.send(new DescribeInstanceCommand({ InstanceArn }));
  const { ApplicationArn } = await sso.send(new CreateApplicationCommand({ InstanceArn, Name: 'app', ApplicationProviderArn: CUSTOM_PROVIDER }));
  const { TrustedTokenIssuerArn } = await sso.send(
    new CreateTrustedTokenIssuerCommand({
      InstanceArn,
      Name: 'idp',
      TrustedTokenIssuerType: 'OIDC_JWT',
      TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: 'https://idp.example.com', ClaimAttributePath: 'sub', IdentityStoreAttributePath: 'externalIds.SCIM', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
    }),
  );
  await seedUser(ic, IdentityStoreId!);
  // An application of the organization instance is untouched.
  const { ApplicationArn: orgApp } = await sso.send(new CreateApplicationCommand({ InstanceArn: orgInstance, Name: 'stays', ApplicationProviderArn: CUSTOM_PROVIDER }));

  await sso.send(new DeleteInstanceCommand({ InstanceArn }));
  const state = ic.state.read;
  t.notOk(state.instances[InstanceArn!]);
  t.notOk(state.applications[ApplicationArn!]);
  t.notOk(state.trustedTokenIssuers[TrustedTokenIssuerArn!]);
  t.notOk(state.identityStores[IdentityStoreId!]);
  t.ok(state.applications[orgApp!]);
  t.notOk((await sso.send(new ListInstancesCommand({}))).Instances?.some((i) => i.InstanceArn === InstanceArn));
  await rejects(t, sso.send(new DescribeApplicationCommand({ ApplicationArn })), { name: 'ResourceNotFoundException', status: 404, message: `Application ${ApplicationArn} does not exist` });

  const { InstanceArn: again } = await sso.send(new CreateInstanceCommand({}));
  t.not(again, InstanceArn, 'the account may create a new instance afterwards');
  await sso.send(new DeleteInstanceCommand({ InstanceArn: again }));
});

t.test('the organization instance cannot be deleted', async (t) => {
  const before = snapshot(ic);
  await rejects(t, sso.send(new DeleteInstanceCommand({ InstanceArn: orgInstance })), {
    name: 'ValidationException',
    status: 400,
    message: `The organization instance ${orgInstance} cannot be deleted with DeleteInstance`,
  });
  t.equal(snapshot(ic), before);
});

t.test('instance ARNs are validated against the model', async (t) => {
  await rejects(t, sso.send(new DescribeInstanceCommand({ InstanceArn: undefined as never })), oneValidationError("Value null at 'instanceArn' failed to satisfy constraint: Member must not be null"));
  await rejects(t, sso.send(new DescribeInstanceCommand({ InstanceArn: 'arn:aws' })), oneValidationError("Value 'arn:aws' at 'instanceArn' failed to satisfy constraint: Member must have length greater than or equal to 10"));
  await rejects(
    t,
    sso.send(new DescribeInstanceCommand({ InstanceArn: 'arn:aws:sso:::instance/ssoins-short' })),
    oneValidationError(`Value 'arn:aws:sso:::instance/ssoins-short' at 'instanceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${INSTANCE_PATTERN}`),
  );
  const unknown = 'arn:aws:sso:::instance/ssoins-0000000000000000';
  await rejects(t, sso.send(new DescribeInstanceCommand({ InstanceArn: unknown })), { name: 'ValidationException', status: 400, message: `Instance ${unknown} does not exist` });
  await rejects(t, sso.send(new UpdateInstanceCommand({ InstanceArn: unknown, Name: 'x' })), { name: 'ResourceNotFoundException', status: 404, message: `Instance ${unknown} does not exist` });
  await rejects(
    t,
    sso.send(new CreateInstanceCommand({ Name: '', Tags: [{ Key: '', Value: 'v' }] })),
    {
      name: 'ValidationException',
      status: 400,
      message:
        "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+; " +
        "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
    },
  );
});
