import { ConfigError, type Issue } from '../../config/schema.js';
import type { SetupInstance } from './setup-config.js';
import { compileSetupPlan, type PlanApplication, type SetupPlan } from './setup-plan.js';

/** The ActorPolicy that lets these principals (ARNs or account ids) call CreateTokenWithIAM. */
export function actorPolicyFor(callers: string[]): unknown {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: callers }, Action: 'sso-oauth:CreateTokenWithIAM', Resource: '*' }] };
}

export interface ConfigPlanContext {
  /** The lab's issuers: name → URL. */
  issuers: ReadonlyMap<string, string>;
  /** Trusted token issuers the instance has already (by name): applications may name them without declaring them. */
  existingTrustedTokenIssuers: readonly string[];
}

/**
 * The setup plan of one instance the config declares (`identity_center.instances[i]`, at `at`).
 * References are keyed as written: users by user_name, groups by display name, the others by name.
 * What no call could check — a lab issuer, a user, a group or a trusted token issuer named but not
 * declared — is a ConfigError (source `config`) naming the field.
 */
export function configSetupPlan(spec: SetupInstance, at: string, ctx: ConfigPlanContext): SetupPlan {
  const issues: Issue[] = [];
  const users = new Set((spec.users ?? []).map((u) => u.user_name));
  const groups = new Set((spec.groups ?? []).map((g) => g.display_name));
  const ttis = new Set([...(spec.trusted_token_issuers ?? []).map((t) => t.name), ...ctx.existingTrustedTokenIssuers]);
  const trustedTokenIssuers = (spec.trusted_token_issuers ?? []).map((t, k) => {
    const path = `${at}.trusted_token_issuers[${k}]`;
    let issuerUrl = t.issuer_url;
    if (t.issuer !== undefined) {
      issuerUrl = ctx.issuers.get(t.issuer);
      if (issuerUrl === undefined) issues.push({ path: `${path}.issuer`, message: `no lab issuer named "${t.issuer}"; declared issuers: ${[...ctx.issuers.keys()].join(', ') || 'none'}` });
    } else if (issuerUrl === undefined) issues.push({ path, message: 'expected issuer (a lab issuer name) or issuer_url' });
    return { key: t.name, at: path, name: t.name, issuerUrl: issuerUrl ?? '', claimAttributePath: t.claim_attribute_path, identityStoreAttributePath: t.identity_store_attribute_path };
  });
  const applications = (spec.applications ?? []).map((app, i): PlanApplication => {
    const appAt = `${at}.applications[${i}]`;
    const g = app.grants ?? {};
    const policy = app.actor_policy ?? (app.allowed_callers ? actorPolicyFor(app.allowed_callers) : undefined);
    for (const [k, j] of (g.jwt_bearer ?? []).entries()) {
      if (!ttis.has(j.trusted_token_issuer)) issues.push({ path: `${appAt}.grants.jwt_bearer[${k}].trusted_token_issuer`, message: `no trusted token issuer named "${j.trusted_token_issuer}" in instance "${spec.name}"; declare it under trusted_token_issuers` });
    }
    return {
      key: app.name,
      at: appAt,
      name: app.name,
      ...(app.description ? { description: app.description } : {}),
      grants: {
        ...(g.jwt_bearer ? { jwtBearer: g.jwt_bearer.map((j) => ({ trustedTokenIssuer: j.trusted_token_issuer, audiences: j.audiences })) } : {}),
        ...(g.refresh_token ? { refreshToken: true } : {}),
        ...(g.token_exchange ? { tokenExchange: true } : {}),
        ...(g.authorization_code ? { authorizationCode: { redirectUris: g.authorization_code.redirect_uris } } : {}),
      },
      ...(policy !== undefined ? { actorPolicy: { policy, at: app.actor_policy ? `${appAt}.actor_policy` : `${appAt}.allowed_callers` } } : {}),
      scopes: app.scopes ?? [],
      // Only `false` is sent: true is the service's default.
      ...(app.assignment_required === false ? { assignmentRequired: false } : {}),
      assignments: (app.assignments ?? []).map((who, k) => {
        const path = `${appAt}.assignments[${k}]`;
        const isGroup = who.startsWith('group:');
        const name = isGroup ? who.slice(6) : who;
        if (!(isGroup ? groups : users).has(name)) issues.push({ path, message: `no ${isGroup ? 'group' : 'user'} "${name}" in this instance; assignments name users by user_name and groups as group:<display name>` });
        return { principal: isGroup ? { group: name } : { user: name }, at: path };
      }),
    };
  });
  const groupList = (spec.groups ?? []).map((g, k) => ({
    key: g.display_name,
    at: `${at}.groups[${k}]`,
    displayName: g.display_name,
    ...(g.description ? { description: g.description } : {}),
    members: (g.members ?? []).map((member, m) => {
      const path = `${at}.groups[${k}].members[${m}]`;
      if (!users.has(member)) issues.push({ path, message: `no user "${member}" declared in this instance's users` });
      return { user: member, at: path };
    }),
  }));
  if (issues.length) throw new ConfigError('config', issues);
  return compileSetupPlan({
    ...((spec.type ?? 'ORGANIZATION') === 'ACCOUNT' ? { accountInstance: { name: spec.name, at } } : {}),
    users: (spec.users ?? []).map((u, k) => ({
      key: u.user_name,
      at: `${at}.users[${k}]`,
      userName: u.user_name,
      displayName: u.display_name ?? u.user_name,
      givenName: u.given_name ?? u.user_name,
      familyName: u.family_name ?? u.user_name,
      ...(u.emails ? { emails: u.emails } : {}),
      ...(u.external_ids ? { externalIds: u.external_ids } : {}),
    })),
    groups: groupList,
    trustedTokenIssuers,
    applications,
  });
}
