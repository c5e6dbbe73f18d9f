import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApplicationAssignmentCommand,
  CreateApplicationCommand,
  CreateInstanceCommand,
  CreateTrustedTokenIssuerCommand,
  DescribeApplicationCommand,
  DescribeInstanceCommand,
  DescribeTrustedTokenIssuerCommand,
  GetApplicationAuthenticationMethodCommand,
  GetApplicationGrantCommand,
  ListApplicationAccessScopesCommand,
  ListApplicationAssignmentsCommand,
  ListInstancesCommand,
  PutApplicationAccessScopeCommand,
  PutApplicationAuthenticationMethodCommand,
  PutApplicationGrantCommand,
} from '@aws-sdk/client-sso-admin';
import { CUSTOM_PROVIDER, JWT_BEARER, rejects, seedUser, startSsoAdminLab } from './helpers/sso-admin-lab.js';

const dataDir = await mkdtemp(join(tmpdir(), 'tti-lab-sso-admin-'));
t.teardown(() => rm(dataDir, { recursive: true, force: true }));

t.test('everything SSO Admin made survives a restart with the same data dir', async (t) => {
  const first = await startSsoAdminLab({ dataDir });
  const { sso, ic } = first;
  const { InstanceArn } = await sso.send(new CreateInstanceCommand({ Name: 'durable', ClientToken: 'durable-instance' }));
  const { IdentityStoreId } = await sso.send(new DescribeInstanceCommand({ InstanceArn }));
  const { TrustedTokenIssuerArn } = await sso.send(
    new CreateTrustedTokenIssuerCommand({
      InstanceArn,
      Name: 'idp',
      TrustedTokenIssuerType: 'OIDC_JWT',
      TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: 'https://idp.example.com', ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
    }),
  );
  const { ApplicationArn } = await sso.send(new CreateApplicationCommand({ InstanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'durable-app' }));
  const grant = { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn, AuthorizedAudiences: ['aud'] }] } };
  await sso.send(new PutApplicationGrantCommand({ ApplicationArn, GrantType: JWT_BEARER, Grant: grant }));
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sso-oauth:CreateTokenWithIAM', Resource: '*' }] };
  await sso.send(new PutApplicationAuthenticationMethodCommand({ ApplicationArn, AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: policy } } }));
  await sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn, Scope: 'redshift:connect' }));
  const user = await seedUser(ic, IdentityStoreId!);
  await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalId: user, PrincipalType: 'USER' }));
  const app = await sso.send(new DescribeApplicationCommand({ ApplicationArn }));
  const orgInstance = first.instanceArn;
  await first.lab.close();

  const second = await startSsoAdminLab({ dataDir });
  t.teardown(() => second.lab.close());
  const again = second.sso;
  t.equal(second.instanceArn, orgInstance, 'the same organization instance, not a new one');
  t.strictSame((await again.send(new ListInstancesCommand({}))).Instances?.map((i) => i.InstanceArn).sort(), [orgInstance, InstanceArn].sort());
  t.equal((await again.send(new DescribeTrustedTokenIssuerCommand({ TrustedTokenIssuerArn }))).Name, 'idp');
  const { $metadata: _a, ...before } = app;
  const { $metadata: _b, ...after } = await again.send(new DescribeApplicationCommand({ ApplicationArn }));
  t.strictSame(after, before);
  t.strictSame((await again.send(new GetApplicationGrantCommand({ ApplicationArn, GrantType: JWT_BEARER }))).Grant, grant);
  t.strictSame((await again.send(new GetApplicationAuthenticationMethodCommand({ ApplicationArn, AuthenticationMethodType: 'IAM' }))).AuthenticationMethod, { Iam: { ActorPolicy: policy } });
  t.strictSame((await again.send(new ListApplicationAccessScopesCommand({ ApplicationArn }))).Scopes, [{ Scope: 'redshift:connect' }]);
  t.strictSame((await again.send(new ListApplicationAssignmentsCommand({ ApplicationArn }))).ApplicationAssignments, [{ ApplicationArn, PrincipalId: user, PrincipalType: 'USER' }]);
  const replay = await again.send(new CreateInstanceCommand({ Name: 'durable', ClientToken: 'durable-instance' }));
  t.equal(replay.InstanceArn, InstanceArn, 'ClientTokens persist too');
  await rejects(t, again.send(new CreateInstanceCommand({ Name: 'another' })), {
    name: 'ConflictException',
    status: 409,
    message: `Account 000000000000 already has an instance of IAM Identity Center: ${InstanceArn}`,
  });
});
