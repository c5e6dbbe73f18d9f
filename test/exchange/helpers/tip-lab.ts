import { SSOAdminClient, CreateTrustedTokenIssuerCommand, CreateApplicationCommand, PutApplicationGrantCommand, PutApplicationAuthenticationMethodCommand, PutApplicationAccessScopeCommand, CreateApplicationAssignmentCommand } from '@aws-sdk/client-sso-admin';
import { IdentitystoreClient, CreateUserCommand } from '@aws-sdk/client-identitystore';
import { SSOOIDCClient, CreateTokenWithIAMCommand, type CreateTokenWithIAMCommandInput, type CreateTokenWithIAMCommandOutput } from '@aws-sdk/client-sso-oidc';
import { STSClient } from '@aws-sdk/client-sts';
import { LAB_REASON_HEADER, readLabReason } from '../../../server/aws/protocols/lab-reason-header.js';
import { startLab, type Clock, type Lab, type MintRequest, type StartLabOptions } from '../../../server/index.js';

export const ACCOUNT = '000000000000';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const CLIENT_ID = '0oa-tip-app';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/IdentityBearer`;

/** The trust policy a TIP role needs: sts:AssumeRole and sts:SetContext for the application's account. */
export const TIP_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['sts:AssumeRole', 'sts:SetContext'] }],
};

export const ALICE = { sub: '00u1alice', email: 'alice@example.com', preferred_username: 'alice', name: 'Alice Example' };
export const BOB = { sub: '00u2bob', email: 'bob@example.com', preferred_username: 'bob', name: 'Bob Example' };

export interface TipLab {
  lab: Lab;
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
  oidc: SSOOIDCClient;
  sts: STSClient;
  instanceArn: string;
  identityStoreId: string;
  ttiArn: string;
  applicationArn: string;
  users: Record<'alice' | 'bob', string>;
  /** A token from the `okta` issuer for Alice with aud = CLIENT_ID, overridable. */
  mint(req?: MintRequest): Promise<string>;
  exchange(input: Partial<CreateTokenWithIAMCommandInput>): Promise<CreateTokenWithIAMCommandOutput>;
}

/**
 * Signs with the lab's clock, as a client whose clock agrees with the service's would, and makes one
 * attempt: otherwise a frozen or advanced lab clock sets off the SDK's clock-skew correction, which
 * retries the call — and a retried exchange is a second exchange.
 */
export function onLabClock<C extends { config: { systemClockOffset?: number }; middlewareStack: { add: (...a: never[]) => void } }>(client: C, clock?: Clock): C {
  if (clock) {
    (client.middlewareStack.add as (mw: unknown, opts: unknown) => void)(
      (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
        client.config.systemClockOffset = clock.now() - Date.now();
        return next(args);
      },
      { step: 'initialize', name: 'ttiLabClock' },
    );
  }
  return client;
}

export function clients(url: string, clock?: Clock) {
  const common = { endpoint: url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  return {
    ssoAdmin: onLabClock(new SSOAdminClient(common), clock),
    identityStore: onLabClock(new IdentitystoreClient(common), clock),
    oidc: onLabClock(new SSOOIDCClient(common), clock),
    sts: onLabClock(new STSClient(common), clock),
  };
}

/**
 * A lab with a whole trusted-identity-propagation setup, made through the real SDK as an
 * administrator would: an `okta` issuer, a TTI mapping email → emails.value, an application with
 * jwt-bearer (audience CLIENT_ID) and refresh_token grants, an IAM authentication method, an
 * access scope, Alice assigned (Bob not), and a role for AssumeRole with identity context.
 */
export async function startTipLab(opts: Omit<StartLabOptions, 'config'> & { config?: Record<string, unknown>; assign?: boolean } = {}): Promise<TipLab> {
  const lab = await startLab({
    inMemory: true,
    ...opts,
    config: {
      issuers: [{ name: 'okta', clients: [{ client_id: CLIENT_ID, client_secret: 'tip-secret', redirect_uris: ['http://localhost:3000/callback'] }], users: [ALICE, BOB] }],
      aws: { roles: [{ arn: ROLE_ARN, trust_policy: TIP_TRUST_POLICY }] },
      ...(opts.config ?? {}),
    },
  });
  const c = clients(lab.url, opts.clock);
  const instance = lab.services.identityCenter.defaultInstance();
  const instanceArn = instance.InstanceArn;
  const identityStoreId = instance.IdentityStoreId;
  const users = {} as Record<'alice' | 'bob', string>;
  for (const [key, u] of [['alice', ALICE], ['bob', BOB]] as const) {
    const out = await c.identityStore.send(
      new CreateUserCommand({ IdentityStoreId: identityStoreId, UserName: u.preferred_username, DisplayName: u.name, Name: { GivenName: u.name.split(' ')[0], FamilyName: 'Example' }, Emails: [{ Value: u.email, Primary: true, Type: 'work' }] }),
    );
    users[key] = out.UserId!;
  }
  const { TrustedTokenIssuerArn: ttiArn } = await c.ssoAdmin.send(
    new CreateTrustedTokenIssuerCommand({
      InstanceArn: instanceArn,
      Name: 'okta',
      TrustedTokenIssuerType: 'OIDC_JWT',
      TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: lab.issuer('okta').url, ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
    }),
  );
  const { ApplicationArn: applicationArn } = await c.ssoAdmin.send(
    new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom', Name: 'tip-app' }),
  );
  await c.ssoAdmin.send(new PutApplicationGrantCommand({ ApplicationArn: applicationArn, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: ttiArn, AuthorizedAudiences: [CLIENT_ID] }] } } }));
  await c.ssoAdmin.send(new PutApplicationGrantCommand({ ApplicationArn: applicationArn, GrantType: 'refresh_token', Grant: { RefreshToken: {} } }));
  await c.ssoAdmin.send(
    new PutApplicationAuthenticationMethodCommand({
      ApplicationArn: applicationArn,
      AuthenticationMethodType: 'IAM',
      AuthenticationMethod: { Iam: { ActorPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sso-oauth:CreateTokenWithIAM', Resource: '*' }] } } },
    }),
  );
  await c.ssoAdmin.send(new PutApplicationAccessScopeCommand({ ApplicationArn: applicationArn, Scope: 's3:access_grants:read_write' }));
  if (opts.assign !== false) {
    await c.ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: applicationArn, PrincipalId: users.alice, PrincipalType: 'USER' }));
  }
  return {
    lab,
    ...c,
    instanceArn,
    identityStoreId,
    ttiArn: ttiArn!,
    applicationArn: applicationArn!,
    users,
    mint: async (req = {}) => (await lab.mint('okta', { user: ALICE.sub, ...req, claims: { aud: CLIENT_ID, ...(req.claims ?? {}) } })).token,
    exchange: (input) => c.oidc.send(new CreateTokenWithIAMCommand({ clientId: applicationArn!, grantType: JWT_BEARER, ...input })),
  };
}

/** The `x-tti-lab-reason` header of a failed SDK call. */
export function labReason(err: unknown): string {
  const headers = (err as { $response?: { headers?: Record<string, string> } }).$response?.headers ?? {};
  return readLabReason(headers[LAB_REASON_HEADER]);
}
