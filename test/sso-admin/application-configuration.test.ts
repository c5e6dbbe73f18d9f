import t from 'tap';
import {
  CreateApplicationCommand,
  CreateInstanceCommand,
  CreateTrustedTokenIssuerCommand,
  DeleteApplicationAccessScopeCommand,
  DeleteApplicationAuthenticationMethodCommand,
  DeleteApplicationGrantCommand,
  GetApplicationAccessScopeCommand,
  GetApplicationAssignmentConfigurationCommand,
  GetApplicationAuthenticationMethodCommand,
  GetApplicationGrantCommand,
  ListApplicationAccessScopesCommand,
  ListApplicationAuthenticationMethodsCommand,
  ListApplicationGrantsCommand,
  PutApplicationAccessScopeCommand,
  PutApplicationAssignmentConfigurationCommand,
  PutApplicationAuthenticationMethodCommand,
  PutApplicationGrantCommand,
  type Grant,
  type IamAuthenticationMethod,
} from '@aws-sdk/client-sso-admin';
import { CUSTOM_PROVIDER, JWT_BEARER, TOKEN_EXCHANGE, oneValidationError, rejects, snapshot, startSsoAdminLab } from './helpers/sso-admin-lab.js';

const { lab, ic, sso, instanceArn } = await startSsoAdminLab();
t.teardown(() => lab.close());

const SCOPE_PATTERN = '([A-Za-z0-9_]{1,50})(:[A-Za-z0-9_]{1,50}){0,1}(:[A-Za-z0-9_]{1,50}){0,1}';
let n = 0;
const newApp = async (InstanceArn = instanceArn) =>
  (await sso.send(new CreateApplicationCommand({ InstanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: `app-${++n}` }))).ApplicationArn!;
const newIssuer = async (InstanceArn = instanceArn) =>
  (
    await sso.send(
      new CreateTrustedTokenIssuerCommand({
        InstanceArn,
        Name: `idp-${++n}`,
        TrustedTokenIssuerType: 'OIDC_JWT',
        TrustedTokenIssuerConfiguration: {
          OidcJwtConfiguration: { IssuerUrl: `https://idp-${n}.example.com`, ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' },
        },
      }),
    )
  ).TrustedTokenIssuerArn!;

const ApplicationArn = await newApp();
const issuer = await newIssuer();
const missingApp = `${ApplicationArn.slice(0, -16)}${'0'.repeat(16)}`;

t.test('grants: all four grant types, each with its own Grant member', async (t) => {
  const grants: [string, Grant][] = [
    ['authorization_code', { AuthorizationCode: { RedirectUris: ['https://app.example.com/callback', 'http://localhost:3000/cb'] } }],
    ['refresh_token', { RefreshToken: {} }],
    [JWT_BEARER, { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: issuer, AuthorizedAudiences: ['client-id'] }] } }],
    [TOKEN_EXCHANGE, { TokenExchange: {} }],
  ];
  for (const [GrantType, Grant] of grants) {
    await sso.send(new PutApplicationGrantCommand({ ApplicationArn, GrantType: GrantType as never, Grant }));
    t.strictSame((await sso.send(new GetApplicationGrantCommand({ ApplicationArn, GrantType: GrantType as never }))).Grant, Grant, GrantType);
  }
  t.strictSame(
    (await sso.send(new ListApplicationGrantsCommand({ ApplicationArn }))).Grants,
    grants.map(([GrantType, Grant]) => ({ GrantType, Grant })),
    'listed in the order of the GrantType enum',
  );

  const second = await newIssuer();
  const replaced = { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: second, AuthorizedAudiences: ['a', 'b'] }, { TrustedTokenIssuerArn: issuer, AuthorizedAudiences: ['c'] }] } };
  await sso.send(new PutApplicationGrantCommand({ ApplicationArn, GrantType: JWT_BEARER, Grant: replaced }));
  t.strictSame((await sso.send(new GetApplicationGrantCommand({ ApplicationArn, GrantType: JWT_BEARER }))).Grant, replaced, 'Put replaces the grant of that type');

  await sso.send(new DeleteApplicationGrantCommand({ ApplicationArn, GrantType: 'authorization_code' }));
  const gone = { name: 'ResourceNotFoundException', status: 404, message: `Grant authorization_code does not exist for application ${ApplicationArn}` };
  await rejects(t, sso.send(new GetApplicationGrantCommand({ ApplicationArn, GrantType: 'authorization_code' })), gone);
  await rejects(t, sso.send(new DeleteApplicationGrantCommand({ ApplicationArn, GrantType: 'authorization_code' })), gone);
  t.equal((await sso.send(new ListApplicationGrantsCommand({ ApplicationArn }))).Grants?.length, 3);
});

t.test('grants: the Grant must match the GrantType, and the jwt-bearer limits hold', async (t) => {
  const app = await newApp();
  const before = snapshot(ic);
  await rejects(t, sso.send(new PutApplicationGrantCommand({ ApplicationArn: app, GrantType: JWT_BEARER, Grant: { RefreshToken: {} } })), {
    name: 'ValidationException',
    status: 400,
    message: `GrantType ${JWT_BEARER} takes a Grant of type JwtBearer, not RefreshToken`,
  });
  await rejects(
    t,
    sso.send(new PutApplicationGrantCommand({ ApplicationArn: app, GrantType: 'refresh_token', Grant: { RefreshToken: {}, TokenExchange: {} } as never })),
    oneValidationError("Value '{\"RefreshToken\":{},\"TokenExchange\":{}}' at 'grant' failed to satisfy constraint: Member must have exactly one of [AuthorizationCode, JwtBearer, RefreshToken, TokenExchange] set"),
  );
  await rejects(
    t,
    sso.send(new PutApplicationGrantCommand({ ApplicationArn: app, GrantType: 'implicit' as never, Grant: { RefreshToken: {} } })),
    oneValidationError(`Value 'implicit' at 'grantType' failed to satisfy constraint: Member must satisfy enum value set: [authorization_code, refresh_token, ${JWT_BEARER}, ${TOKEN_EXCHANGE}]`),
  );
  await rejects(
    t,
    sso.send(new PutApplicationGrantCommand({ ApplicationArn: app, GrantType: JWT_BEARER, Grant: { JwtBearer: {} } })),
    oneValidationError("Value null at 'grant.jwtBearer.authorizedTokenIssuers' failed to satisfy constraint: Member must not be null"),
  );
  await rejects(
    t,
    sso.send(new PutApplicationGrantCommand({ ApplicationArn: app, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [] } } })),
    oneValidationError("Value '[]' at 'grant.jwtBearer.authorizedTokenIssuers' failed to satisfy constraint: Member must have length greater than or equal to 1"),
  );
  const eleven = Array.from({ length: 11 }, () => ({ TrustedTokenIssuerArn: issuer, AuthorizedAudiences: ['x'] }));
  await rejects(t, sso.send(new PutApplicationGrantCommand({ ApplicationArn: app, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: eleven } } })), {
    name: 'ValidationException',
    status: 400,
    message: /^2 validation errors detected: Value '.*' at 'grant\.jwtBearer\.authorizedTokenIssuers' failed to satisfy constraint: Member must have length less than or equal to 10; Value '.*' at 'grant\.jwtBearer\.authorizedTokenIssuers' failed to satisfy constraint: Member must not name the same TrustedTokenIssuerArn twice$/,
  });
  await rejects(
    t,
    sso.send(
      new PutApplicationGrantCommand({
        ApplicationArn: app,
        GrantType: JWT_BEARER,
        Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: issuer, AuthorizedAudiences: ['', 'a'.repeat(513), ...Array.from({ length: 9 }, (_, i) => `aud${i}`)] }] } },
      }),
    ),
    {
      name: 'ValidationException',
      status: 400,
      message:
        "3 validation errors detected: Value '[\"\",\"" + 'a'.repeat(513) + '",' + Array.from({ length: 9 }, (_, i) => `"aud${i}"`).join(',') +
        "]' at 'grant.jwtBearer.authorizedTokenIssuers.1.member.authorizedAudiences' failed to satisfy constraint: Member must have length less than or equal to 10; " +
        "Value '' at 'grant.jwtBearer.authorizedTokenIssuers.1.member.authorizedAudiences.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        `Value '${'a'.repeat(513)}' at 'grant.jwtBearer.authorizedTokenIssuers.1.member.authorizedAudiences.2.member' failed to satisfy constraint: Member must have length less than or equal to 512`,
    },
  );
  await rejects(
    t,
    sso.send(new PutApplicationGrantCommand({ ApplicationArn: app, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ AuthorizedAudiences: ['x'] }] } } })),
    oneValidationError("Value null at 'grant.jwtBearer.authorizedTokenIssuers.1.member.trustedTokenIssuerArn' failed to satisfy constraint: Member must not be null"),
  );
  await rejects(
    t,
    sso.send(new PutApplicationGrantCommand({ ApplicationArn: app, GrantType: 'authorization_code', Grant: { AuthorizationCode: { RedirectUris: [] } } })),
    oneValidationError("Value '[]' at 'grant.authorizationCode.redirectUris' failed to satisfy constraint: Member must have length greater than or equal to 1"),
  );
  t.equal(snapshot(ic), before, 'no refused grant was stored');
});

t.test('grants: the trusted token issuers must exist in the application\'s instance', async (t) => {
  const app = await newApp();
  const deleted = issuer.replace(/tti-[0-9a-f-]+$/, 'tti-00000000-0000-0000-0000-000000000000');
  await rejects(
    t,
    sso.send(new PutApplicationGrantCommand({ ApplicationArn: app, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: deleted, AuthorizedAudiences: ['x'] }] } } })),
    { name: 'ResourceNotFoundException', status: 404, message: `Trusted token issuer ${deleted} does not exist` },
  );
  const { InstanceArn: accountInstance } = await sso.send(new CreateInstanceCommand({}));
  const elsewhere = await newIssuer(accountInstance);
  await rejects(
    t,
    sso.send(new PutApplicationGrantCommand({ ApplicationArn: app, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: elsewhere, AuthorizedAudiences: ['x'] }] } } })),
    { name: 'ResourceNotFoundException', status: 404, message: `Trusted token issuer ${elsewhere} does not exist in instance ${instanceArn}` },
  );
  await rejects(t, sso.send(new PutApplicationGrantCommand({ ApplicationArn: missingApp, GrantType: 'refresh_token', Grant: { RefreshToken: {} } })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Application ${missingApp} does not exist`,
  });
  await rejects(t, sso.send(new ListApplicationGrantsCommand({ ApplicationArn: missingApp })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Application ${missingApp} does not exist`,
  });
});

t.test('authentication methods: IAM with an ActorPolicy document, kept exactly as given', async (t) => {
  const app = await newApp();
  const policy: IamAuthenticationMethod['ActorPolicy'] = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'App', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::000000000000:role/a', 'arn:aws:iam::000000000000:role/b'] }, Action: ['sso-oauth:CreateTokenWithIAM'], Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'sso-oauth:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 'x:n': 1.5 } } },
    ],
  };
  await sso.send(new PutApplicationAuthenticationMethodCommand({ ApplicationArn: app, AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: policy } } }));
  t.strictSame((await sso.send(new GetApplicationAuthenticationMethodCommand({ ApplicationArn: app, AuthenticationMethodType: 'IAM' }))).AuthenticationMethod, { Iam: { ActorPolicy: policy } });
  t.strictSame(ic.state.read.applications[app]!.AuthenticationMethods.IAM, { Iam: { ActorPolicy: policy } }, 'stored as the document itself');

  // A policy sent as JSON text is a string document: it comes back as that same string.
  const text = JSON.stringify(policy);
  await sso.send(new PutApplicationAuthenticationMethodCommand({ ApplicationArn: app, AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: text } } }));
  t.equal((await sso.send(new GetApplicationAuthenticationMethodCommand({ ApplicationArn: app, AuthenticationMethodType: 'IAM' }))).AuthenticationMethod?.Iam?.ActorPolicy, text);
  t.strictSame((await sso.send(new ListApplicationAuthenticationMethodsCommand({ ApplicationArn: app }))).AuthenticationMethods, [
    { AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: text } } },
  ]);

  await rejects(
    t,
    sso.send(new PutApplicationAuthenticationMethodCommand({ ApplicationArn: app, AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: {} as never } })),
    oneValidationError("Value null at 'authenticationMethod.iam.actorPolicy' failed to satisfy constraint: Member must not be null"),
  );
  await rejects(
    t,
    sso.send(new PutApplicationAuthenticationMethodCommand({ ApplicationArn: app, AuthenticationMethodType: 'OIDC' as never, AuthenticationMethod: { Iam: { ActorPolicy: policy } } })),
    oneValidationError("Value 'OIDC' at 'authenticationMethodType' failed to satisfy constraint: Member must satisfy enum value set: [IAM]"),
  );
  await rejects(
    t,
    sso.send(new PutApplicationAuthenticationMethodCommand({ ApplicationArn: app, AuthenticationMethodType: 'IAM', AuthenticationMethod: {} as never })),
    oneValidationError("Value '{}' at 'authenticationMethod' failed to satisfy constraint: Member must have exactly one of [Iam] set"),
  );

  await sso.send(new DeleteApplicationAuthenticationMethodCommand({ ApplicationArn: app, AuthenticationMethodType: 'IAM' }));
  const gone = { name: 'ResourceNotFoundException', status: 404, message: `Authentication method IAM does not exist for application ${app}` };
  await rejects(t, sso.send(new GetApplicationAuthenticationMethodCommand({ ApplicationArn: app, AuthenticationMethodType: 'IAM' })), gone);
  await rejects(t, sso.send(new DeleteApplicationAuthenticationMethodCommand({ ApplicationArn: app, AuthenticationMethodType: 'IAM' })), gone);
  t.strictSame((await sso.send(new ListApplicationAuthenticationMethodsCommand({ ApplicationArn: app }))).AuthenticationMethods, []);
});

t.test('access scopes: the scope pattern, targets, and at most 25 per application', async (t) => {
  const app = await newApp();
  const target = await newApp();
  await sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn: app, Scope: 'sso:account:access' }));
  await sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn: app, Scope: 'sso:account:access', AuthorizedTargets: [target, instanceArn] }));
  t.strictSame(
    await sso.send(new GetApplicationAccessScopeCommand({ ApplicationArn: app, Scope: 'sso:account:access' })).then(({ $metadata: _m, ...rest }) => rest),
    { Scope: 'sso:account:access', AuthorizedTargets: [target, instanceArn] },
    'Put adds or updates',
  );
  for (const bad of ['has space', 'a:b:c:d', 'x'.repeat(51), 'dash-ed']) {
    await rejects(
      t,
      sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn: app, Scope: bad })),
      oneValidationError(`Value '${bad}' at 'scope' failed to satisfy constraint: Member must satisfy regular expression pattern: ${SCOPE_PATTERN}`),
    );
  }
  await rejects(
    t,
    sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn: app, Scope: 'ok', AuthorizedTargets: ['arn:aws:iam::000000000000:role/x'] })),
    oneValidationError(
      "Value 'arn:aws:iam::000000000000:role/x' at 'authorizedTargets.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws(-[a-z]{1,5}){0,3}:sso::(\\d{12}:application/(sso)?ins-[a-zA-Z0-9-.]{16}/apl-[a-zA-Z0-9]{16}|:instance/(sso)?ins-[a-zA-Z0-9-.]{16})",
    ),
  );
  await rejects(
    t,
    sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn: app, Scope: 'ok', AuthorizedTargets: Array.from({ length: 11 }, () => target) })),
    { name: 'ValidationException', status: 400, message: /^1 validation error detected: Value '.*' at 'authorizedTargets' failed to satisfy constraint: Member must have length less than or equal to 10$/ },
  );

  for (let i = 1; i < 25; i++) await sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn: app, Scope: `custom:scope_${i}` }));
  t.equal(Object.keys(ic.state.read.applications[app]!.AccessScopes).length, 25);
  const before = snapshot(ic);
  await rejects(t, sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn: app, Scope: 'one:too_many' })), {
    name: 'ValidationException',
    status: 400,
    message: `Application ${app} already has 25 access scopes, the most an application can have`,
  });
  t.equal(snapshot(ic), before);
  await sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn: app, Scope: 'custom:scope_1', AuthorizedTargets: [target] }));
  t.pass('updating one of the 25 is still allowed');

  await sso.send(new DeleteApplicationAccessScopeCommand({ ApplicationArn: app, Scope: 'custom:scope_1' }));
  const gone = { name: 'ResourceNotFoundException', status: 404, message: `Access scope custom:scope_1 does not exist for application ${app}` };
  await rejects(t, sso.send(new GetApplicationAccessScopeCommand({ ApplicationArn: app, Scope: 'custom:scope_1' })), gone);
  await rejects(t, sso.send(new DeleteApplicationAccessScopeCommand({ ApplicationArn: app, Scope: 'custom:scope_1' })), gone);
  await sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn: app, Scope: 'one:more' }));
  t.pass('with 24 scopes there is room again');
  await rejects(
    t,
    sso.send(new ListApplicationAccessScopesCommand({ ApplicationArn: app, MaxResults: 11 })),
    oneValidationError("Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10"),
  );
});

t.test('assignment configuration: AssignmentRequired, true by default', async (t) => {
  const app = await newApp();
  t.equal((await sso.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn: app }))).AssignmentRequired, true);
  await sso.send(new PutApplicationAssignmentConfigurationCommand({ ApplicationArn: app, AssignmentRequired: false }));
  t.equal((await sso.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn: app }))).AssignmentRequired, false);
  await rejects(
    t,
    sso.send(new PutApplicationAssignmentConfigurationCommand({ ApplicationArn: app } as never)),
    oneValidationError("Value null at 'assignmentRequired' failed to satisfy constraint: Member must not be null"),
  );
  await rejects(t, sso.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn: missingApp })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Application ${missingApp} does not exist`,
  });
});
