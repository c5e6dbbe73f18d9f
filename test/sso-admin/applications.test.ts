import t from 'tap';
import {
  CreateApplicationCommand,
  DeleteApplicationCommand,
  DescribeApplicationCommand,
  DescribeApplicationProviderCommand,
  ListApplicationProvidersCommand,
  ListApplicationsCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-sso-admin';
import { CUSTOM_PROVIDER, OTHER_CREDENTIALS, adminClient, oneValidationError, rejects, snapshot, startSsoAdminLab } from './helpers/sso-admin-lab.js';

const { lab, ic, sso, instanceArn } = await startSsoAdminLab();
t.teardown(() => lab.close());
const other = adminClient(lab, OTHER_CREDENTIALS);
const SAML_PROVIDER = 'arn:aws:sso::aws:applicationProvider/custom-saml';
const APP_PATTERN = 'arn:aws(-[a-z]{1,5}){0,3}:sso::\\d{12}:application/(sso)?ins-[a-zA-Z0-9-.]{16}/apl-[a-zA-Z0-9]{16}';

t.test('application providers: the custom OAuth provider, with its real shape', async (t) => {
  const { ApplicationProviders } = await sso.send(new ListApplicationProvidersCommand({}));
  const custom = ApplicationProviders?.find((p) => p.ApplicationProviderArn === CUSTOM_PROVIDER);
  t.equal(custom?.FederationProtocol, 'OAUTH');
  t.ok(custom?.DisplayData?.DisplayName);
  t.equal(ApplicationProviders?.find((p) => p.ApplicationProviderArn === SAML_PROVIDER)?.FederationProtocol, 'SAML');
  const described = await sso.send(new DescribeApplicationProviderCommand({ ApplicationProviderArn: CUSTOM_PROVIDER }));
  t.strictSame({ ...described, $metadata: undefined }, { ...custom, $metadata: undefined }, 'Describe and List agree');
  const page = await sso.send(new ListApplicationProvidersCommand({ MaxResults: 1 }));
  t.equal(page.ApplicationProviders?.length, 1);
  t.ok(page.NextToken, 'paginated like any list');
  const unknown = 'arn:aws:sso::aws:applicationProvider/salesforce';
  await rejects(t, sso.send(new DescribeApplicationProviderCommand({ ApplicationProviderArn: unknown })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Application provider ${unknown} does not exist`,
  });
  await rejects(
    t,
    sso.send(new DescribeApplicationProviderCommand({ ApplicationProviderArn: 'arn:aws:sso::123456789012:applicationProvider/custom' })),
    oneValidationError(
      "Value 'arn:aws:sso::123456789012:applicationProvider/custom' at 'applicationProviderArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws(-[a-z]{1,5}){0,3}:sso::aws:applicationProvider/[a-zA-Z0-9-/]+",
    ),
  );
});

t.test('CreateApplication validates every member and knows its providers', async (t) => {
  const before = snapshot(ic);
  await rejects(t, sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn } as never)), {
    name: 'ValidationException',
    status: 400,
    message:
      "2 validation errors detected: Value null at 'applicationProviderArn' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'name' failed to satisfy constraint: Member must not be null",
  });
  await rejects(
    t,
    sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'n'.repeat(101) })),
    oneValidationError(`Value '${'n'.repeat(101)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 100`),
  );
  await rejects(
    t,
    sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'ok', Description: '' })),
    oneValidationError("Value '' at 'description' failed to satisfy constraint: Member must have length greater than or equal to 1"),
  );
  await rejects(
    t,
    sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'ok', Status: 'PAUSED' as never })),
    oneValidationError("Value 'PAUSED' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"),
  );
  await rejects(
    t,
    sso.send(
      new CreateApplicationCommand({
        InstanceArn: instanceArn,
        ApplicationProviderArn: CUSTOM_PROVIDER,
        Name: 'ok',
        PortalOptions: { Visibility: 'HIDDEN' as never, SignInOptions: { Origin: undefined as never, ApplicationUrl: 'mailto:x' } },
      }),
    ),
    {
      name: 'ValidationException',
      status: 400,
      message:
        "3 validation errors detected: Value null at 'portalOptions.signInOptions.origin' failed to satisfy constraint: Member must not be null; " +
        "Value 'mailto:x' at 'portalOptions.signInOptions.applicationUrl' failed to satisfy constraint: Member must satisfy regular expression pattern: http(s)?:\\/\\/[-a-zA-Z0-9+&@#\\/%?=~_|!:,.;]*[-a-zA-Z0-9+&bb@#\\/%?=~_|]; " +
        "Value 'HIDDEN' at 'portalOptions.visibility' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]",
    },
  );
  const unknown = 'arn:aws:sso::aws:applicationProvider/not-a-provider';
  await rejects(t, sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: unknown, Name: 'x' })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Application provider ${unknown} does not exist`,
  });
  t.equal(snapshot(ic), before, 'no failed call created anything');

  const { ApplicationArn } = await sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: SAML_PROVIDER, Name: 'saml app', Status: 'DISABLED' }));
  const saml = await sso.send(new DescribeApplicationCommand({ ApplicationArn }));
  t.equal(saml.Status, 'DISABLED');
  t.equal(saml.ApplicationProviderArn, SAML_PROVIDER);
  t.notOk(saml.PortalOptions, 'no PortalOptions unless given');
  t.notOk(saml.Description);
});

t.test('UpdateApplication: name, description, status, sign-in options (visibility stays)', async (t) => {
  const { ApplicationArn } = await sso.send(
    new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'before', PortalOptions: { Visibility: 'ENABLED' } }),
  );
  await sso.send(
    new UpdateApplicationCommand({
      ApplicationArn,
      Name: 'after',
      Description: 'now described',
      Status: 'DISABLED',
      PortalOptions: { SignInOptions: { Origin: 'IDENTITY_CENTER' } },
    }),
  );
  const app = await sso.send(new DescribeApplicationCommand({ ApplicationArn }));
  t.strictSame([app.Name, app.Description, app.Status], ['after', 'now described', 'DISABLED']);
  t.strictSame(app.PortalOptions, { Visibility: 'ENABLED', SignInOptions: { Origin: 'IDENTITY_CENTER' } });
  await rejects(
    t,
    sso.send(new UpdateApplicationCommand({ ApplicationArn, Name: '' })),
    oneValidationError("Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"),
  );
});

t.test('ListApplications filters by account and provider', async (t) => {
  const { ApplicationArn: mine } = await sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'mine' }));
  const { ApplicationArn: theirs } = await other.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'theirs' }));
  t.match(theirs, /^arn:aws:sso::111122223333:application\//, "the ARN carries the creating account, the organization instance's member");
  const list = async (Filter?: { ApplicationAccount?: string; ApplicationProvider?: string }) =>
    ((await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, Filter }))).Applications ?? []).map((a) => a.ApplicationArn);
  const all = await list();
  t.ok(all.includes(mine) && all.includes(theirs));
  t.strictSame(await list({ ApplicationAccount: '111122223333' }), [theirs]);
  t.notOk((await list({ ApplicationAccount: '000000000000' })).includes(theirs));
  t.notOk((await list({ ApplicationProvider: SAML_PROVIDER })).includes(mine));
  t.ok((await list({ ApplicationProvider: CUSTOM_PROVIDER, ApplicationAccount: '000000000000' })).includes(mine));
  const listed = (await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, Filter: { ApplicationAccount: '111122223333' } }))).Applications![0]!;
  const { $metadata: _metadata, ...described } = await sso.send(new DescribeApplicationCommand({ ApplicationArn: theirs }));
  t.strictSame(listed, described, 'a listed application has the same members as DescribeApplication');
  await rejects(
    t,
    sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, Filter: { ApplicationAccount: '42' } })),
    oneValidationError("Value '42' at 'filter.applicationAccount' failed to satisfy constraint: Member must have length greater than or equal to 12"),
  );
});

t.test('DeleteApplication, and applications that do not exist', async (t) => {
  const { ApplicationArn } = await sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'doomed' }));
  await sso.send(new DeleteApplicationCommand({ ApplicationArn }));
  const notFound = { name: 'ResourceNotFoundException', status: 404, message: `Application ${ApplicationArn} does not exist` };
  await rejects(t, sso.send(new DescribeApplicationCommand({ ApplicationArn })), notFound);
  await rejects(t, sso.send(new DeleteApplicationCommand({ ApplicationArn })), notFound);
  await rejects(t, sso.send(new UpdateApplicationCommand({ ApplicationArn, Name: 'x' })), notFound);
  await rejects(
    t,
    sso.send(new DescribeApplicationCommand({ ApplicationArn: `${instanceArn}/apl-x` })),
    oneValidationError(`Value '${instanceArn}/apl-x' at 'applicationArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${APP_PATTERN}`),
  );
  const unknownInstance = 'arn:aws:sso:::instance/ssoins-0000000000000000';
  await rejects(t, sso.send(new ListApplicationsCommand({ InstanceArn: unknownInstance })), {
    name: 'ValidationException',
    status: 400,
    message: `Instance ${unknownInstance} does not exist`,
  });
});
