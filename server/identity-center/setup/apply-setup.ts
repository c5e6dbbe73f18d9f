import { randomUUID } from 'node:crypto';
import { AwsError } from '../../aws/aws-error.js';
import type { AwsCallContext } from '../../aws/aws-registry.js';
import { ConfigError } from '../../config/schema.js';
import type { LabServices } from '../../lab/lab-services.js';
import type { InstanceRecord } from '../state/model.js';
import type { IdentityCenterSetup, SetupApplication, SetupInstance } from './setup-config.js';
import { reconcileLabIssuerUrls } from './reconcile-lab-issuer-urls.js';
import { applyAccessGrantsSetup } from '../../s3-access-grants/setup/apply-access-grants-setup.js';

type Call = (service: 'SWBExternalService' | 'AWSIdentityStore', operation: string, input: Record<string, unknown>, path: string) => Promise<Record<string, unknown>>;

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

function caller(lab: LabServices, accountId: string): AwsCallContext {
  return { principal: { accessKeyId: 'tti-lab-setup', accountId, arn: `arn:aws:iam::${accountId}:root` }, region: lab.aws.region, requestId: randomUUID(), lab };
}

/** The ActorPolicy that lets these principals (ARNs or account ids) call CreateTokenWithIAM. */
export function actorPolicyFor(callers: string[]): unknown {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: callers }, Action: 'sso-oauth:CreateTokenWithIAM', Resource: '*' }] };
}

async function ensureInstance(lab: LabServices, spec: SetupInstance, call: Call, at: string): Promise<InstanceRecord> {
  const ic = lab.identityCenter;
  if ((spec.type ?? 'ORGANIZATION') === 'ORGANIZATION') return ic.defaultInstance();
  const existing = Object.values(ic.state.read.instances).find((i) => i.InstanceType === 'ACCOUNT' && i.Name === spec.name);
  if (existing) return existing;
  const out = await call('SWBExternalService', 'CreateInstance', { Name: spec.name }, at);
  return ic.state.read.instances[String(out.InstanceArn)]!;
}

async function ensureApplication(lab: LabServices, instance: InstanceRecord, app: SetupApplication, call: Call, at: string, users: Map<string, string>, groups: Map<string, string>) {
  const state = lab.identityCenter.state.read;
  if (Object.values(state.applications).some((a) => a.InstanceArn === instance.InstanceArn && a.Name === app.name)) return;
  const created = await call('SWBExternalService', 'CreateApplication', {
    InstanceArn: instance.InstanceArn,
    ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom',
    Name: app.name,
    ...(app.description ? { Description: app.description } : {}),
  }, at);
  const ApplicationArn = String(created.ApplicationArn);
  const ttiArn = (name: string, path: string) => {
    const tti = Object.values(lab.identityCenter.state.read.trustedTokenIssuers).find((t) => t.InstanceArn === instance.InstanceArn && t.Name === name);
    if (!tti) throw new ConfigError('config', [{ path, message: `no trusted token issuer named "${name}" in instance "${instance.Name ?? instance.InstanceArn}"; declare it under trusted_token_issuers` }]);
    return tti.TrustedTokenIssuerArn;
  };
  const g = app.grants ?? {};
  if (g.jwt_bearer) {
    const AuthorizedTokenIssuers = g.jwt_bearer.map((j, k) => ({ TrustedTokenIssuerArn: ttiArn(j.trusted_token_issuer, `${at}.grants.jwt_bearer[${k}].trusted_token_issuer`), AuthorizedAudiences: j.audiences }));
    await call('SWBExternalService', 'PutApplicationGrant', { ApplicationArn, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers } } }, `${at}.grants.jwt_bearer`);
  }
  if (g.refresh_token) await call('SWBExternalService', 'PutApplicationGrant', { ApplicationArn, GrantType: 'refresh_token', Grant: { RefreshToken: {} } }, `${at}.grants.refresh_token`);
  if (g.token_exchange) await call('SWBExternalService', 'PutApplicationGrant', { ApplicationArn, GrantType: TOKEN_EXCHANGE, Grant: { TokenExchange: {} } }, `${at}.grants.token_exchange`);
  if (g.authorization_code) {
    await call('SWBExternalService', 'PutApplicationGrant', { ApplicationArn, GrantType: 'authorization_code', Grant: { AuthorizationCode: { RedirectUris: g.authorization_code.redirect_uris } } }, `${at}.grants.authorization_code`);
  }
  const policy = app.actor_policy ?? (app.allowed_callers ? actorPolicyFor(app.allowed_callers) : undefined);
  if (policy !== undefined) {
    await call('SWBExternalService', 'PutApplicationAuthenticationMethod', { ApplicationArn, AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: policy } } }, app.actor_policy ? `${at}.actor_policy` : `${at}.allowed_callers`);
  }
  for (const [k, scope] of (app.scopes ?? []).entries()) await call('SWBExternalService', 'PutApplicationAccessScope', { ApplicationArn, Scope: scope }, `${at}.scopes[${k}]`);
  if (app.assignment_required === false) await call('SWBExternalService', 'PutApplicationAssignmentConfiguration', { ApplicationArn, AssignmentRequired: false }, `${at}.assignment_required`);
  for (const [k, who] of (app.assignments ?? []).entries()) {
    const path = `${at}.assignments[${k}]`;
    const isGroup = who.startsWith('group:');
    const id = isGroup ? groups.get(who.slice(6)) : users.get(who);
    if (!id) throw new ConfigError('config', [{ path, message: `no ${isGroup ? 'group' : 'user'} "${isGroup ? who.slice(6) : who}" in this instance; assignments name users by user_name and groups as group:<display name>` }]);
    await call('SWBExternalService', 'CreateApplicationAssignment', { ApplicationArn, PrincipalId: id, PrincipalType: isGroup ? 'GROUP' : 'USER' }, path);
  }
}

/**
 * Applies the config's `identity_center` setup through the lab's own SSO Admin and Identity Store
 * operations. Any refusal becomes a ConfigError naming the file and the field. Then trusted token
 * issuers of lab issuers saved under another lab URL (another port) are reconciled
 * (reconcile-lab-issuer-urls.ts); returns what was reconciled or needs a fix, one line each.
 */
export async function applySetup(lab: LabServices, setup: IdentityCenterSetup | undefined, source: string): Promise<string[]> {
  /** TTI ARN → the lab issuer the config says it trusts. */
  const declared = new Map<string, string>();
  for (const [i, spec] of (setup?.instances ?? []).entries()) {
    const at = `identity_center.instances[${i}]`;
    const account = spec.owner_account ?? lab.identityCenter.defaultInstance().OwnerAccountId;
    const call: Call = async (service, operation, input, path) => {
      const op = lab.aws.jsonServices.get(service)?.operations[operation];
      if (!op) throw new Error(`${service}.${operation} is not implemented`);
      try {
        return ((await op(input, caller(lab, account))) ?? {}) as Record<string, unknown>;
      } catch (err) {
        if (err instanceof AwsError) throw new ConfigError(source, [{ path, message: `${operation} refused it: ${err.type}: ${err.message}` }]);
        throw err;
      }
    };
    try {
      const instance = await ensureInstance(lab, spec, call, at);
      const storeId = instance.IdentityStoreId;
      const store = () => lab.identityCenter.state.read.identityStores[storeId]!;
      const users = new Map<string, string>();
      for (const [k, u] of (spec.users ?? []).entries()) {
        const existing = Object.values(store().Users).find((x) => x.UserName.toLowerCase() === u.user_name.toLowerCase());
        if (existing) {
          users.set(u.user_name, existing.UserId);
          continue;
        }
        const out = await call('AWSIdentityStore', 'CreateUser', {
          IdentityStoreId: storeId,
          UserName: u.user_name,
          DisplayName: u.display_name ?? u.user_name,
          Name: { GivenName: u.given_name ?? u.user_name, FamilyName: u.family_name ?? u.user_name },
          ...(u.emails ? { Emails: u.emails.map((Value, n) => ({ Value, Primary: n === 0, Type: 'work' })) } : {}),
          ...(u.external_ids ? { ExternalIds: u.external_ids.map((x) => ({ Issuer: x.issuer, Id: x.id })) } : {}),
        }, `${at}.users[${k}]`);
        users.set(u.user_name, String(out.UserId));
      }
      const groups = new Map<string, string>();
      for (const [k, gSpec] of (spec.groups ?? []).entries()) {
        let groupId = Object.values(store().Groups).find((x) => x.DisplayName.toLowerCase() === gSpec.display_name.toLowerCase())?.GroupId;
        if (!groupId) {
          const out = await call('AWSIdentityStore', 'CreateGroup', { IdentityStoreId: storeId, DisplayName: gSpec.display_name, ...(gSpec.description ? { Description: gSpec.description } : {}) }, `${at}.groups[${k}]`);
          groupId = String(out.GroupId);
        }
        groups.set(gSpec.display_name, groupId);
        for (const [m, member] of (gSpec.members ?? []).entries()) {
          const userId = users.get(member);
          if (!userId) throw new ConfigError(source, [{ path: `${at}.groups[${k}].members[${m}]`, message: `no user "${member}" declared in this instance's users` }]);
          const already = Object.values(store().Memberships).some((x) => x.GroupId === groupId && x.MemberId.UserId === userId);
          if (!already) await call('AWSIdentityStore', 'CreateGroupMembership', { IdentityStoreId: storeId, GroupId: groupId, MemberId: { UserId: userId } }, `${at}.groups[${k}].members[${m}]`);
        }
      }
      for (const [k, t] of (spec.trusted_token_issuers ?? []).entries()) {
        const path = `${at}.trusted_token_issuers[${k}]`;
        const existing = Object.values(lab.identityCenter.state.read.trustedTokenIssuers).find((x) => x.InstanceArn === instance.InstanceArn && x.Name === t.name);
        if (existing) {
          if (t.issuer !== undefined) declared.set(existing.TrustedTokenIssuerArn, t.issuer);
          continue;
        }
        let issuerUrl = t.issuer_url;
        if (t.issuer !== undefined) {
          const labIssuer = lab.issuers.get(t.issuer);
          if (!labIssuer) throw new ConfigError(source, [{ path: `${path}.issuer`, message: `no lab issuer named "${t.issuer}"; declared issuers: ${[...lab.issuers.keys()].join(', ') || 'none'}` }]);
          issuerUrl = labIssuer.url;
        }
        if (!issuerUrl) throw new ConfigError(source, [{ path, message: 'expected issuer (a lab issuer name) or issuer_url' }]);
        await call('SWBExternalService', 'CreateTrustedTokenIssuer', {
          InstanceArn: instance.InstanceArn,
          Name: t.name,
          TrustedTokenIssuerType: 'OIDC_JWT',
          TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: issuerUrl, ClaimAttributePath: t.claim_attribute_path, IdentityStoreAttributePath: t.identity_store_attribute_path, JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
        }, path);
      }
      for (const [k, app] of (spec.applications ?? []).entries()) await ensureApplication(lab, instance, app, call, `${at}.applications[${k}]`, users, groups);
    } catch (err) {
      if (err instanceof ConfigError && err.source === 'config') throw new ConfigError(source, err.issues);
      throw err;
    }
  }
  await applyAccessGrantsSetup(lab, setup?.s3_access_grants, source);
  return reconcileLabIssuerUrls(lab, declared);
}
