import t from 'tap';
import {
  CreateInstanceCommand,
  CreateTrustedTokenIssuerCommand,
  DeleteTrustedTokenIssuerCommand,
  DescribeTrustedTokenIssuerCommand,
  ListTrustedTokenIssuersCommand,
  UpdateTrustedTokenIssuerCommand,
  type CreateTrustedTokenIssuerCommandInput,
} from '@aws-sdk/client-sso-admin';
import { OTHER_CREDENTIALS, adminClient, oneValidationError, rejects, snapshot, startSsoAdminLab } from './helpers/sso-admin-lab.js';

const { lab, ic, sso, instanceArn } = await startSsoAdminLab();
t.teardown(() => lab.close());

const URL_PATTERN = 'https?:\\/\\/[-a-zA-Z0-9+&@\\/%=~_|!:,.;]*[-a-zA-Z0-9+&@\\/%=~_|]';
const TTI_PATTERN = 'arn:aws(-[a-z]{1,5}){0,3}:sso::\\d{12}:trustedTokenIssuer/(sso)?ins-[a-zA-Z0-9-.]{16}/tti-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}';
let n = 0;

/** A valid request; `oidc` overrides members of OidcJwtConfiguration. */
const input = (oidc: Record<string, unknown> = {}, extra: Partial<CreateTrustedTokenIssuerCommandInput> = {}): CreateTrustedTokenIssuerCommandInput => ({
  InstanceArn: instanceArn,
  Name: `issuer-${++n}`,
  TrustedTokenIssuerType: 'OIDC_JWT',
  TrustedTokenIssuerConfiguration: {
    OidcJwtConfiguration: {
      IssuerUrl: `https://idp-${n}.example.com/oauth2/default`,
      ClaimAttributePath: 'email',
      IdentityStoreAttributePath: 'emails.value',
      JwksRetrievalOption: 'OPEN_ID_DISCOVERY',
      ...oidc,
    } as never,
  },
  ...extra,
});

t.test('Identity Center does not fetch the issuer URL when the issuer is created', async (t) => {
  const { TrustedTokenIssuerArn } = await sso.send(new CreateTrustedTokenIssuerCommand(input({ IssuerUrl: 'https://nothing-listens-here.invalid/realms/x' })));
  const tti = await sso.send(new DescribeTrustedTokenIssuerCommand({ TrustedTokenIssuerArn }));
  t.equal(tti.TrustedTokenIssuerConfiguration?.OidcJwtConfiguration?.IssuerUrl, 'https://nothing-listens-here.invalid/realms/x');
});

t.test('the attribute mappings the documentation names are accepted', async (t) => {
  for (const [claim, attribute] of [['email', 'emails.value'], ['preferred_username', 'userName'], ['sub', 'externalIds.SCIM'], ['upn', 'userName']]) {
    const { TrustedTokenIssuerArn } = await sso.send(new CreateTrustedTokenIssuerCommand(input({ ClaimAttributePath: claim, IdentityStoreAttributePath: attribute })));
    const oidc = (await sso.send(new DescribeTrustedTokenIssuerCommand({ TrustedTokenIssuerArn }))).TrustedTokenIssuerConfiguration?.OidcJwtConfiguration;
    t.strictSame([oidc?.ClaimAttributePath, oidc?.IdentityStoreAttributePath], [claim, attribute]);
  }
});

t.test('one issuer per IssuerUrl in an instance: a second one is a ConflictException', async (t) => {
  const url = 'https://login.example.com/tenant/v2.0';
  const { TrustedTokenIssuerArn } = await sso.send(new CreateTrustedTokenIssuerCommand(input({ IssuerUrl: url })));
  const before = snapshot(ic);
  await rejects(t, sso.send(new CreateTrustedTokenIssuerCommand(input({ IssuerUrl: url }))), {
    name: 'ConflictException',
    status: 409,
    message: `A trusted token issuer with IssuerUrl ${url} already exists in instance ${instanceArn}: ${TrustedTokenIssuerArn}`,
  });
  t.equal(snapshot(ic), before, 'nothing changed');
  // The same URL in another instance is fine.
  const { InstanceArn } = await sso.send(new CreateInstanceCommand({}));
  await sso.send(new CreateTrustedTokenIssuerCommand(input({ IssuerUrl: url }, { InstanceArn })));
  t.pass('the same IssuerUrl is accepted in another instance');
  // A trailing slash makes another URL (the lab compares exactly).
  await sso.send(new CreateTrustedTokenIssuerCommand(input({ IssuerUrl: `${url}/` })));
});

t.test('every constraint of the model, in the Coral wording', async (t) => {
  await rejects(t, sso.send(new CreateTrustedTokenIssuerCommand({ InstanceArn: instanceArn } as never)), {
    name: 'ValidationException',
    status: 400,
    message:
      "3 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'trustedTokenIssuerType' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'trustedTokenIssuerConfiguration' failed to satisfy constraint: Member must not be null",
  });
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({}, { TrustedTokenIssuerType: 'SAML' as never }))),
    oneValidationError("Value 'SAML' at 'trustedTokenIssuerType' failed to satisfy constraint: Member must satisfy enum value set: [OIDC_JWT]"),
  );
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({ JwksRetrievalOption: 'STATIC' }))),
    oneValidationError("Value 'STATIC' at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.jwksRetrievalOption' failed to satisfy constraint: Member must satisfy enum value set: [OPEN_ID_DISCOVERY]"),
  );
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({ IssuerUrl: 'ftp://idp.example.com' }))),
    oneValidationError(`Value 'ftp://idp.example.com' at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.issuerUrl' failed to satisfy constraint: Member must satisfy regular expression pattern: ${URL_PATTERN}`),
  );
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({ IssuerUrl: 'https://idp.example.com/ends-with-dot.' }))),
    oneValidationError(`Value 'https://idp.example.com/ends-with-dot.' at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.issuerUrl' failed to satisfy constraint: Member must satisfy regular expression pattern: ${URL_PATTERN}`),
  );
  const long = `https://idp.example.com/${'a'.repeat(489)}`;
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({ IssuerUrl: long }))),
    oneValidationError(`Value '${long}' at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.issuerUrl' failed to satisfy constraint: Member must have length less than or equal to 512`),
  );
  await sso.send(new CreateTrustedTokenIssuerCommand(input({ IssuerUrl: long.slice(0, 512) })));
  t.pass('512 characters is still fine');
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({ ClaimAttributePath: 'email2' }))),
    oneValidationError("Value 'email2' at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.claimAttributePath' failed to satisfy constraint: Member must satisfy regular expression pattern: \\p{L}+(?:(\\.|\\_)\\p{L}+){0,2}"),
  );
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({ ClaimAttributePath: 'a.b.c.d' }))),
    oneValidationError("Value 'a.b.c.d' at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.claimAttributePath' failed to satisfy constraint: Member must satisfy regular expression pattern: \\p{L}+(?:(\\.|\\_)\\p{L}+){0,2}"),
  );
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({ IdentityStoreAttributePath: 'external_ids' }))),
    oneValidationError("Value 'external_ids' at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.identityStoreAttributePath' failed to satisfy constraint: Member must satisfy regular expression pattern: \\p{L}+(?:\\.\\p{L}+){0,2}"),
  );
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({ IssuerUrl: undefined, ClaimAttributePath: undefined }))),
    {
      name: 'ValidationException',
      status: 400,
      message:
        "2 validation errors detected: Value null at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.issuerUrl' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.claimAttributePath' failed to satisfy constraint: Member must not be null",
    },
  );
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({}, { TrustedTokenIssuerConfiguration: {} as never }))),
    oneValidationError("Value '{}' at 'trustedTokenIssuerConfiguration' failed to satisfy constraint: Member must have exactly one of [OidcJwtConfiguration] set"),
  );
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({}, { Name: 'has space' }))),
    oneValidationError("Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
  );
  await rejects(
    t,
    sso.send(new CreateTrustedTokenIssuerCommand(input({}, { Tags: Array.from({ length: 76 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }))),
    { name: 'ValidationException', status: 400, message: /^1 validation error detected: Value '.*' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 75$/ },
  );
});

t.test('UpdateTrustedTokenIssuer changes the name and the attribute mapping, never the IssuerUrl', async (t) => {
  const { TrustedTokenIssuerArn } = await sso.send(new CreateTrustedTokenIssuerCommand(input({ IssuerUrl: 'https://fixed.example.com' })));
  await sso.send(
    new UpdateTrustedTokenIssuerCommand({
      TrustedTokenIssuerArn,
      Name: 'renamed',
      TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { ClaimAttributePath: 'preferred_username', IdentityStoreAttributePath: 'userName' } },
    }),
  );
  const updated = await sso.send(new DescribeTrustedTokenIssuerCommand({ TrustedTokenIssuerArn }));
  t.equal(updated.Name, 'renamed');
  t.strictSame(updated.TrustedTokenIssuerConfiguration?.OidcJwtConfiguration, {
    IssuerUrl: 'https://fixed.example.com',
    ClaimAttributePath: 'preferred_username',
    IdentityStoreAttributePath: 'userName',
    JwksRetrievalOption: 'OPEN_ID_DISCOVERY',
  });

  // The SDK cannot send IssuerUrl here (the model has no such member); a request that carries one
  // anyway has it ignored, like any member the model does not know.
  const raw = adminClient(lab);
  raw.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body: string };
      const body = JSON.parse(request.body);
      body.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl = 'https://attacker.example.com';
      request.body = JSON.stringify(body);
      return next(args);
    },
    { step: 'build', priority: 'high', name: 'injectIssuerUrl' },
  );
  await raw.send(new UpdateTrustedTokenIssuerCommand({ TrustedTokenIssuerArn, TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { ClaimAttributePath: 'email' } } }));
  const after = await sso.send(new DescribeTrustedTokenIssuerCommand({ TrustedTokenIssuerArn }));
  t.equal(after.TrustedTokenIssuerConfiguration?.OidcJwtConfiguration?.IssuerUrl, 'https://fixed.example.com', 'IssuerUrl unchanged');
  t.equal(after.TrustedTokenIssuerConfiguration?.OidcJwtConfiguration?.ClaimAttributePath, 'email', 'the modelled members were applied');

  const before = snapshot(ic);
  await rejects(
    t,
    sso.send(new UpdateTrustedTokenIssuerCommand({ TrustedTokenIssuerArn, Name: 'ok', TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IdentityStoreAttributePath: 'emails[0]' } } })),
    oneValidationError("Value 'emails[0]' at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.identityStoreAttributePath' failed to satisfy constraint: Member must satisfy regular expression pattern: \\p{L}+(?:\\.\\p{L}+){0,2}"),
  );
  t.equal(snapshot(ic), before, 'nothing of a refused update is applied, not even the valid Name');
});

t.test('Describe, Update and Delete of an issuer that does not exist: ResourceNotFoundException', async (t) => {
  const missing = `arn:aws:sso::000000000000:trustedTokenIssuer/${instanceArn.split('/')[1]}/tti-00000000-0000-0000-0000-000000000000`;
  const notFound = { name: 'ResourceNotFoundException', status: 404, message: `Trusted token issuer ${missing} does not exist` };
  await rejects(t, sso.send(new DescribeTrustedTokenIssuerCommand({ TrustedTokenIssuerArn: missing })), notFound);
  await rejects(t, sso.send(new UpdateTrustedTokenIssuerCommand({ TrustedTokenIssuerArn: missing, Name: 'x' })), notFound);
  await rejects(t, sso.send(new DeleteTrustedTokenIssuerCommand({ TrustedTokenIssuerArn: missing })), notFound);
  await rejects(
    t,
    sso.send(new DescribeTrustedTokenIssuerCommand({ TrustedTokenIssuerArn: 'arn:aws:sso::000000000000:trustedTokenIssuer/x' })),
    oneValidationError(`Value 'arn:aws:sso::000000000000:trustedTokenIssuer/x' at 'trustedTokenIssuerArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${TTI_PATTERN}`),
  );
  const unknownInstance = 'arn:aws:sso:::instance/ssoins-0000000000000000';
  await rejects(t, sso.send(new CreateTrustedTokenIssuerCommand(input({}, { InstanceArn: unknownInstance }))), {
    name: 'ValidationException',
    status: 400,
    message: `Instance ${unknownInstance} does not exist`,
  });
});

t.test("another account's issuers, in its own instance, are not visible", async (t) => {
  const other = adminClient(lab, OTHER_CREDENTIALS);
  const { InstanceArn } = await other.send(new CreateInstanceCommand({}));
  const { TrustedTokenIssuerArn } = await other.send(new CreateTrustedTokenIssuerCommand(input({}, { InstanceArn })));
  t.match(TrustedTokenIssuerArn, /^arn:aws:sso::111122223333:trustedTokenIssuer\//, 'the ARN carries the creating account');
  await rejects(t, sso.send(new DescribeTrustedTokenIssuerCommand({ TrustedTokenIssuerArn })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Trusted token issuer ${TrustedTokenIssuerArn} does not exist`,
  });
  t.equal((await other.send(new DescribeTrustedTokenIssuerCommand({ TrustedTokenIssuerArn }))).TrustedTokenIssuerArn, TrustedTokenIssuerArn);
});

t.test('DeleteTrustedTokenIssuer removes it from its instance', async (t) => {
  const target = instanceArn;
  const { TrustedTokenIssuerArn } = await sso.send(new CreateTrustedTokenIssuerCommand(input({}, { InstanceArn: target })));
  const listed = async () => (await sso.send(new ListTrustedTokenIssuersCommand({ InstanceArn: target }))).TrustedTokenIssuers?.map((i) => i.TrustedTokenIssuerArn) ?? [];
  t.ok((await listed()).includes(TrustedTokenIssuerArn!));
  await sso.send(new DeleteTrustedTokenIssuerCommand({ TrustedTokenIssuerArn }));
  t.notOk((await listed()).includes(TrustedTokenIssuerArn!));
  await rejects(t, sso.send(new DeleteTrustedTokenIssuerCommand({ TrustedTokenIssuerArn })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Trusted token issuer ${TrustedTokenIssuerArn} does not exist`,
  });
});
