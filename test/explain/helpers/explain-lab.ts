import { CreateApplicationCommand, CreateTrustedTokenIssuerCommand, PutApplicationAuthenticationMethodCommand, PutApplicationGrantCommand } from '@aws-sdk/client-sso-admin';
import { CreateUserCommand } from '@aws-sdk/client-identitystore';
import { fixedClock } from '../../../server/index.js';
import type { ExplainReport } from '../../../server/explain/explain-report.js';
import { ACCOUNT, ALICE, BOB, CLIENT_ID, JWT_BEARER, startTipLab, type TipLab } from '../../exchange/helpers/tip-lab.js';
import { cli, type CliResult } from '../../cli/helpers/cli-run.js';

export const NOW = Date.parse('2026-06-01T12:00:00Z');
export const OTHER_CALLER = 'arn:aws:iam::111122223333:role/Other';
export const REPORTS_CLIENT = 'reports-client';
const ACTOR_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sso-oauth:CreateTokenWithIAM', Resource: '*' }] };

export interface ExplainLab extends TipLab {
  /** An application trusting okta for REPORTS_CLIENT (so a token can have two candidate applications). */
  reportsArn: string;
  /** An application with a jwt-bearer grant and no IAM authentication method. */
  noMethodArn: string;
  /** An application with only a refresh_token grant. */
  noGrantArn: string;
  /** An application trusting the issuers whose discovery and JWKS are down. */
  brokenArn: string;
  explain(...args: string[]): Promise<CliResult>;
  explainJson(...args: string[]): Promise<{ code: number; report: ExplainReport }>;
}

async function createApp(tip: TipLab, name: string, grant?: { ttis: string[]; audience: string }, iam = true): Promise<string> {
  const { ApplicationArn } = await tip.ssoAdmin.send(
    new CreateApplicationCommand({ InstanceArn: tip.instanceArn, ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom', Name: name }),
  );
  if (grant) {
    await tip.ssoAdmin.send(
      new PutApplicationGrantCommand({
        ApplicationArn,
        GrantType: JWT_BEARER,
        Grant: { JwtBearer: { AuthorizedTokenIssuers: grant.ttis.map((t) => ({ TrustedTokenIssuerArn: t, AuthorizedAudiences: [grant.audience] })) } },
      }),
    );
  } else {
    await tip.ssoAdmin.send(new PutApplicationGrantCommand({ ApplicationArn, GrantType: 'refresh_token', Grant: { RefreshToken: {} } }));
  }
  if (iam) {
    await tip.ssoAdmin.send(new PutApplicationAuthenticationMethodCommand({ ApplicationArn, AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: ACTOR_POLICY } } }));
  }
  return ApplicationArn!;
}

/**
 * The TIP lab of the exchange tests (okta, tip-app, Alice assigned, Bob not) on a frozen clock, plus
 * what the explain tests need beside it: issuers whose discovery or JWKS fail, two users sharing an
 * email, and applications that fail each of the first pipeline steps.
 */
export async function startExplainLab(): Promise<ExplainLab> {
  const clock = fixedClock(NOW);
  const tip = await startTipLab({
    clock,
    config: {
      issuers: [
        { name: 'okta', clients: [{ client_id: CLIENT_ID, client_secret: 'tip-secret', redirect_uris: ['http://localhost:3000/callback'] }], users: [ALICE, BOB] },
        { name: 'discovery-down', users: [ALICE], faults: { discovery: { kind: 'status', status: 503 } } },
        { name: 'jwks-down', users: [ALICE], faults: { jwks: { kind: 'status', status: 500 } } },
      ],
    },
  });
  const tti = async (name: string) =>
    (
      await tip.ssoAdmin.send(
        new CreateTrustedTokenIssuerCommand({
          InstanceArn: tip.instanceArn,
          Name: name,
          TrustedTokenIssuerType: 'OIDC_JWT',
          TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: tip.lab.issuer(name).url, ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
        }),
      )
    ).TrustedTokenIssuerArn!;
  const broken = [await tti('discovery-down'), await tti('jwks-down')];
  for (const userName of ['carol1', 'carol2']) {
    await tip.identityStore.send(new CreateUserCommand({ IdentityStoreId: tip.identityStoreId, UserName: userName, DisplayName: userName, Name: { GivenName: 'Carol', FamilyName: userName }, Emails: [{ Value: 'shared@example.com', Primary: true }] }));
  }
  const reportsArn = await createApp(tip, 'reports', { ttis: [tip.ttiArn], audience: REPORTS_CLIENT });
  const noMethodArn = await createApp(tip, 'no-method', { ttis: [tip.ttiArn], audience: CLIENT_ID }, false);
  const noGrantArn = await createApp(tip, 'no-grant');
  const brokenArn = await createApp(tip, 'broken-issuers', { ttis: broken, audience: CLIENT_ID });
  const explain = (...args: string[]) => cli('explain', '--endpoint', tip.lab.url, ...args);
  return {
    ...tip,
    reportsArn,
    noMethodArn,
    noGrantArn,
    brokenArn,
    explain,
    async explainJson(...args) {
      const { code, out, err } = await explain('--json', ...args);
      if (err) throw new Error(`explain printed on stderr: ${err}`);
      return { code, report: JSON.parse(out) as ExplainReport };
    },
  };
}
