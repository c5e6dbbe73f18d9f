import t from 'tap';
import {
  CreateApplicationAssignmentCommand,
  CreateApplicationCommand,
  CreateInstanceCommand,
  CreateTrustedTokenIssuerCommand,
  DescribeApplicationCommand,
  DescribeInstanceCommand,
  DescribeTrustedTokenIssuerCommand,
  GetApplicationAccessScopeCommand,
  GetApplicationAssignmentConfigurationCommand,
  GetApplicationAuthenticationMethodCommand,
  GetApplicationGrantCommand,
  ListApplicationAccessScopesCommand,
  ListApplicationAssignmentsCommand,
  ListApplicationAssignmentsForPrincipalCommand,
  ListApplicationAuthenticationMethodsCommand,
  ListApplicationGrantsCommand,
  ListApplicationsCommand,
  ListInstancesCommand,
  ListTrustedTokenIssuersCommand,
  PutApplicationAccessScopeCommand,
  PutApplicationAssignmentConfigurationCommand,
  PutApplicationAuthenticationMethodCommand,
  PutApplicationGrantCommand,
} from '@aws-sdk/client-sso-admin';
import { fixedClock } from '../../shared/clock.js';
import { CUSTOM_PROVIDER, JWT_BEARER, seedGroup, seedUser, startSsoAdminLab } from './helpers/sso-admin-lab.js';

/**
 * The whole control-plane setup of a trusted-identity-propagation application, as a customer runs
 * it with the real SDK: an account instance, a trusted token issuer for the external IdP, a custom
 * OAuth application with a jwt-bearer grant (with the IdP's audience) and a refresh_token grant,
 * an IAM authentication method whose ActorPolicy lets the app's role call CreateTokenWithIAM,
 * access scopes, assignment configuration and assignments.
 */

// Frozen near real time: requests are SigV4-signed with the real clock, and the lab checks them against its own.
const clock = fixedClock(Math.floor(Date.now() / 1000) * 1000 + 250);
const NOW = Math.floor(clock.now() / 1000);
const { lab, ic, sso } = await startSsoAdminLab({ clock });
t.teardown(() => lab.close());

const ACTOR_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::000000000000:role/webapp' },
      Action: 'sso-oauth:CreateTokenWithIAM',
      Resource: '*',
    },
  ],
};

t.test('set up an application for trusted identity propagation, then read every piece back', async (t) => {
  const { InstanceArn } = await sso.send(new CreateInstanceCommand({ Name: 'standalone', Tags: [{ Key: 'team', Value: 'identity' }] }));
  t.match(InstanceArn, /^arn:aws:sso:::instance\/ssoins-[0-9a-f]{16}$/);
  const instance = await sso.send(new DescribeInstanceCommand({ InstanceArn }));
  t.strictSame(
    { ...instance, $metadata: undefined },
    {
      $metadata: undefined,
      InstanceArn,
      IdentityStoreId: instance.IdentityStoreId,
      IdentityStoreArn: `arn:aws:identitystore::000000000000:identitystore/${instance.IdentityStoreId}`,
      OwnerAccountId: '000000000000',
      Name: 'standalone',
      CreatedDate: new Date(NOW * 1000),
      Status: 'ACTIVE',
    },
    'DescribeInstance: the real members, no instance type',
  );
  t.match(instance.IdentityStoreId, /^d-[0-9a-f]{10}$/);
  t.notOk('InstanceType' in instance, 'the lab keeps the instance type to itself');
  const { Instances } = await sso.send(new ListInstancesCommand({}));
  t.strictSame(Instances?.map((i) => i.InstanceArn).sort(), [ic.defaultInstance().InstanceArn, InstanceArn].sort(), 'the organization instance and the new account instance');

  const { TrustedTokenIssuerArn } = await sso.send(
    new CreateTrustedTokenIssuerCommand({
      InstanceArn,
      Name: 'okta',
      TrustedTokenIssuerType: 'OIDC_JWT',
      TrustedTokenIssuerConfiguration: {
        OidcJwtConfiguration: {
          IssuerUrl: 'https://example.okta.com/oauth2/default',
          ClaimAttributePath: 'email',
          IdentityStoreAttributePath: 'emails.value',
          JwksRetrievalOption: 'OPEN_ID_DISCOVERY',
        },
      },
    }),
  );
  const instanceId = InstanceArn!.split('/')[1];
  t.match(TrustedTokenIssuerArn, new RegExp(`^arn:aws:sso::000000000000:trustedTokenIssuer/${instanceId}/tti-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`));
  const tti = await sso.send(new DescribeTrustedTokenIssuerCommand({ TrustedTokenIssuerArn }));
  t.strictSame(
    { ...tti, $metadata: undefined },
    {
      $metadata: undefined,
      TrustedTokenIssuerArn,
      Name: 'okta',
      TrustedTokenIssuerType: 'OIDC_JWT',
      TrustedTokenIssuerConfiguration: {
        OidcJwtConfiguration: {
          IssuerUrl: 'https://example.okta.com/oauth2/default',
          ClaimAttributePath: 'email',
          IdentityStoreAttributePath: 'emails.value',
          JwksRetrievalOption: 'OPEN_ID_DISCOVERY',
        },
      },
    },
  );
  const ttis = await sso.send(new ListTrustedTokenIssuersCommand({ InstanceArn }));
  t.strictSame(ttis.TrustedTokenIssuers, [{ TrustedTokenIssuerArn, Name: 'okta', TrustedTokenIssuerType: 'OIDC_JWT' }]);

  const created = await sso.send(
    new CreateApplicationCommand({
      InstanceArn,
      ApplicationProviderArn: CUSTOM_PROVIDER,
      Name: 'analytics-webapp',
      Description: 'Queries Redshift on behalf of signed-in users',
      PortalOptions: { Visibility: 'DISABLED', SignInOptions: { Origin: 'APPLICATION', ApplicationUrl: 'https://analytics.example.com' } },
    }),
  );
  const { ApplicationArn } = created;
  t.match(ApplicationArn, new RegExp(`^arn:aws:sso::000000000000:application/${instanceId}/apl-[a-zA-Z0-9]{16}$`));
  t.equal(created.InstanceArn, InstanceArn);
  t.equal(created.IdentityStoreArn, instance.IdentityStoreArn);
  const app = await sso.send(new DescribeApplicationCommand({ ApplicationArn }));
  t.strictSame(
    { ...app, $metadata: undefined },
    {
      $metadata: undefined,
      ApplicationArn,
      ApplicationProviderArn: CUSTOM_PROVIDER,
      Name: 'analytics-webapp',
      ApplicationAccount: '000000000000',
      InstanceArn,
      IdentityStoreArn: instance.IdentityStoreArn,
      Status: 'ENABLED',
      PortalOptions: { Visibility: 'DISABLED', SignInOptions: { Origin: 'APPLICATION', ApplicationUrl: 'https://analytics.example.com' } },
      Description: 'Queries Redshift on behalf of signed-in users',
      CreatedDate: new Date(NOW * 1000),
      CreatedFrom: 'us-east-1',
    },
    'Status is ENABLED by default; CreatedDate is the clock, in seconds',
  );

  const jwtGrant = { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn, AuthorizedAudiences: ['0oa1b2c3d4-webapp', 'api://analytics'] }] } };
  await sso.send(new PutApplicationGrantCommand({ ApplicationArn, GrantType: JWT_BEARER, Grant: jwtGrant }));
  await sso.send(new PutApplicationGrantCommand({ ApplicationArn, GrantType: 'refresh_token', Grant: { RefreshToken: {} } }));
  t.strictSame((await sso.send(new GetApplicationGrantCommand({ ApplicationArn, GrantType: JWT_BEARER }))).Grant, jwtGrant);
  t.strictSame((await sso.send(new GetApplicationGrantCommand({ ApplicationArn, GrantType: 'refresh_token' }))).Grant, { RefreshToken: {} });
  t.strictSame((await sso.send(new ListApplicationGrantsCommand({ ApplicationArn }))).Grants, [
    { GrantType: 'refresh_token', Grant: { RefreshToken: {} } },
    { GrantType: JWT_BEARER, Grant: jwtGrant },
  ]);

  await sso.send(new PutApplicationAuthenticationMethodCommand({ ApplicationArn, AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: ACTOR_POLICY } } }));
  const method = await sso.send(new GetApplicationAuthenticationMethodCommand({ ApplicationArn, AuthenticationMethodType: 'IAM' }));
  t.strictSame(method.AuthenticationMethod, { Iam: { ActorPolicy: ACTOR_POLICY } }, 'the ActorPolicy document comes back exactly as given');
  t.strictSame((await sso.send(new ListApplicationAuthenticationMethodsCommand({ ApplicationArn }))).AuthenticationMethods, [
    { AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: ACTOR_POLICY } } },
  ]);

  await sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn, Scope: 'redshift:connect' }));
  await sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn, Scope: 's3:access_grants:read_write', AuthorizedTargets: [ApplicationArn!] }));
  t.strictSame(await sso.send(new GetApplicationAccessScopeCommand({ ApplicationArn, Scope: 'redshift:connect' })).then(({ $metadata: _m, ...rest }) => rest), { Scope: 'redshift:connect' });
  t.strictSame((await sso.send(new ListApplicationAccessScopesCommand({ ApplicationArn }))).Scopes, [
    { Scope: 'redshift:connect' },
    { Scope: 's3:access_grants:read_write', AuthorizedTargets: [ApplicationArn] },
  ]);

  t.equal((await sso.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn }))).AssignmentRequired, true, 'assignment is required by default');
  await sso.send(new PutApplicationAssignmentConfigurationCommand({ ApplicationArn, AssignmentRequired: true }));

  const alice = await seedUser(ic, instance.IdentityStoreId!, 'alice');
  const analysts = await seedGroup(ic, instance.IdentityStoreId!, 'analysts');
  await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalType: 'USER', PrincipalId: alice }));
  await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalType: 'GROUP', PrincipalId: analysts }));
  t.strictSame(
    (await sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn }))).ApplicationAssignments,
    [
      { ApplicationArn, PrincipalType: 'GROUP', PrincipalId: analysts },
      { ApplicationArn, PrincipalType: 'USER', PrincipalId: alice },
    ],
  );
  t.strictSame((await sso.send(new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn, PrincipalType: 'USER', PrincipalId: alice }))).ApplicationAssignments, [
    { ApplicationArn, PrincipalType: 'USER', PrincipalId: alice },
  ]);
  t.strictSame((await sso.send(new ListApplicationsCommand({ InstanceArn }))).Applications?.map((a) => a.ApplicationArn), [ApplicationArn]);

  // What the token exchange reads: the records, in the shapes model.ts promises.
  const record = ic.state.read.applications[ApplicationArn!]!;
  t.strictSame(record.Grants[JWT_BEARER], jwtGrant);
  t.strictSame(record.AuthenticationMethods.IAM, { Iam: { ActorPolicy: ACTOR_POLICY } });
  t.strictSame(Object.keys(record.AccessScopes).sort(), ['redshift:connect', 's3:access_grants:read_write']);
  t.equal(record.AssignmentRequired, true);
  t.equal(ic.state.read.trustedTokenIssuers[TrustedTokenIssuerArn!]!.InstanceArn, InstanceArn);
});
