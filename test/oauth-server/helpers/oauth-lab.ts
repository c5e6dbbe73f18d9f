import { createHash, randomBytes } from 'node:crypto';
import { CreateApplicationAssignmentCommand, CreateApplicationCommand, PutApplicationAccessScopeCommand, PutApplicationAuthenticationMethodCommand, PutApplicationGrantCommand } from '@aws-sdk/client-sso-admin';
import { CreateTokenWithIAMCommand, type CreateTokenWithIAMCommandInput, type CreateTokenWithIAMCommandOutput } from '@aws-sdk/client-sso-oidc';
import { ACCOUNT, startTipLab, type TipLab } from '../../exchange/helpers/tip-lab.js';
import type { StartLabOptions } from '../../../server/index.js';
import { LAB_REASON_HEADER, readLabReason } from '../../../server/aws/protocols/lab-reason-header.js';

export const AUTHORIZATION_CODE = 'authorization_code';
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const REFRESH_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:refresh_token';
export const WEB_REDIRECT = 'http://localhost:3000/callback';
export const LOOPBACK_REDIRECT = 'http://127.0.0.1/oauth/callback';

const ACTOR_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sso-oauth:CreateTokenWithIAM', Resource: '*' }] };

export interface AppSpec {
  name: string;
  redirectUris?: string[];
  refresh?: boolean;
  tokenExchange?: boolean;
  scopes?: string[];
  /** Users to assign (by key of tip.users). Default: alice. */
  assign?: ('alice' | 'bob')[];
}

/** A customer-managed application made through the real SDK, with an IAM authentication method. */
export async function createApplication(tip: TipLab, spec: AppSpec): Promise<string> {
  const { ApplicationArn } = await tip.ssoAdmin.send(new CreateApplicationCommand({ InstanceArn: tip.instanceArn, ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom', Name: spec.name }));
  const arn = ApplicationArn!;
  if (spec.redirectUris) await tip.ssoAdmin.send(new PutApplicationGrantCommand({ ApplicationArn: arn, GrantType: AUTHORIZATION_CODE, Grant: { AuthorizationCode: { RedirectUris: spec.redirectUris } } }));
  if (spec.refresh) await tip.ssoAdmin.send(new PutApplicationGrantCommand({ ApplicationArn: arn, GrantType: 'refresh_token', Grant: { RefreshToken: {} } }));
  if (spec.tokenExchange) await tip.ssoAdmin.send(new PutApplicationGrantCommand({ ApplicationArn: arn, GrantType: TOKEN_EXCHANGE, Grant: { TokenExchange: {} } }));
  await tip.ssoAdmin.send(new PutApplicationAuthenticationMethodCommand({ ApplicationArn: arn, AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: ACTOR_POLICY } } }));
  for (const scope of spec.scopes ?? []) await tip.ssoAdmin.send(new PutApplicationAccessScopeCommand({ ApplicationArn: arn, Scope: scope }));
  for (const who of spec.assign ?? ['alice']) await tip.ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: arn, PrincipalId: tip.users[who], PrincipalType: 'USER' }));
  return arn;
}

/** A PKCE pair (RFC 7636): a 64-character verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** An authorization URL at the lab, with a fresh PKCE pair and state. */
export function authorizationUrl(base: string, params: Record<string, string | undefined>): { url: URL; verifier: string; state: string } {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(8).toString('hex');
  const url = new URL(base);
  const all: Record<string, string | undefined> = { response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', state, ...params };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
  return { url, verifier, state };
}

export interface OAuthLab extends TipLab {
  /** `<lab>/identity-center/<ssoins-…>/authorize` */
  authorizeEndpoint: string;
  /** The identity store's start URL, `https://d-….awsapps.com/start`. */
  startUrl: string;
  iam(input: Partial<CreateTokenWithIAMCommandInput> & { clientId: string; grantType: string }): Promise<CreateTokenWithIAMCommandOutput>;
}

/** The TIP lab of test/exchange, plus what the OAuth server's tests need. */
export async function startOAuthLab(opts: Omit<StartLabOptions, 'config'> & { config?: Record<string, unknown> } = {}): Promise<OAuthLab> {
  const tip = await startTipLab(opts);
  return {
    ...tip,
    authorizeEndpoint: `${tip.lab.url}/identity-center/${tip.instanceArn.split('/').pop()}/authorize`,
    startUrl: `https://${tip.identityStoreId}.awsapps.com/start`,
    iam: (input) => tip.oidc.send(new CreateTokenWithIAMCommand(input)),
  };
}

/** The `x-tti-lab-reason` of a page or redirect (non-ASCII is percent-encoded on the wire). */
export function pageReason(headers: Headers): string {
  return readLabReason(headers.get(LAB_REASON_HEADER));
}
