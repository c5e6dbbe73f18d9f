import { compileSetupPlan, type PlanText, type SetupPlan } from '../../server/identity-center/setup/setup-plan.js';
import { accessGrantsPlanSteps } from '../../server/s3-access-grants/setup/access-grants-setup-plan.js';
import type { Scenario } from './scenario.js';
import { toPlanText, type Values } from './template.js';

/**
 * A scenario's `setup:` as a setup plan (server/identity-center/setup/setup-plan.ts), the one the
 * lab's config compiles to, run by the same executor on every target. Templates are resolved with
 * what is known before the plan runs (`values`: ns, run, account, the instance, issuers' URLs, roles),
 * the others left as references the plan binds. Names the target shares are namespaced
 * (`<name>-${ns}`), and what takes tags gets `tags`. References: `user.<name>.id`,
 * `group.<name>.id`, `tti.<name>.arn`, `app.<name>.arn`, as the scenario's templates name them;
 * `setup.access_grants` adds the S3 Control steps the config's `s3_access_grants` compiles to
 * (access-grants-setup-plan.ts), binding `access_grants.location.<name>.id` and `access_grants.grant.<name>.id`.
 */
export function scenarioSetupPlan(sc: Scenario, values: Values, tags?: { Key: string; Value: string }[]): SetupPlan {
  const s = sc.setup;
  const known = new Map(values);
  const text = (t: string): PlanText => toPlanText(t, known);
  const users = s.users.map((u, k) => {
    const userName = text(u.user_name);
    const emails = u.emails.map(text);
    // A later template may name them (`${user.alice.user_name}`): known once they are.
    if (typeof userName === 'string') known.set(`user.${u.name}.user_name`, userName);
    if (typeof emails[0] === 'string') known.set(`user.${u.name}.email`, emails[0]);
    return {
      key: u.name,
      at: `setup.users[${k}]`,
      userName,
      displayName: text(u.display_name ?? u.user_name),
      givenName: u.name,
      familyName: 'Harness',
      ...(emails.length ? { emails } : {}),
      ...(u.external_ids.length ? { externalIds: u.external_ids.map((x) => ({ issuer: text(x.issuer), id: text(x.id) })) } : {}),
    };
  });
  const plan = compileSetupPlan({
    ...(s.instance === 'account' ? { accountInstance: { name: text('tti-harness-${ns}'), at: 'setup.instance' } } : {}),
    ...(tags ? { tags } : {}),
    users,
    groups: s.groups.map((g, k) => ({
      key: g.name,
      at: `setup.groups[${k}]`,
      displayName: text(g.display_name),
      members: g.members.map((user, m) => ({ user, at: `setup.groups[${k}].members[${m}]` })),
    })),
    trustedTokenIssuers: s.trusted_token_issuers.map((t, k) => ({
      key: t.name,
      at: `setup.trusted_token_issuers[${k}]`,
      name: text(`${t.name}-\${ns}`),
      issuerUrl: t.issuer_url !== undefined ? text(t.issuer_url) : text(`\${issuer.${t.issuer}.url}`),
      claimAttributePath: t.claim_attribute_path,
      identityStoreAttributePath: t.identity_store_attribute_path,
    })),
    applications: s.applications.map((a, k) => {
      const at = `setup.applications[${k}]`;
      const g = a.grants;
      return {
        key: a.name,
        at,
        name: text(`${a.name}-\${ns}`),
        grants: {
          ...(g.jwt_bearer ? { jwtBearer: g.jwt_bearer.map((j) => ({ trustedTokenIssuer: j.trusted_token_issuer, audiences: j.audiences.map(text) })) } : {}),
          ...(g.refresh_token ? { refreshToken: true } : {}),
          ...(g.token_exchange ? { tokenExchange: true } : {}),
          ...(g.authorization_code ? { authorizationCode: { redirectUris: g.authorization_code.redirect_uris.map(text) } } : {}),
        },
        ...(a.authentication_method
          ? { actorPolicy: { policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: known.get('account') }, Action: 'sso-oauth:CreateTokenWithIAM', Resource: '*' }] }, at: `${at}.authentication_method` } }
          : {}),
        scopes: a.scopes.map(text),
        ...(a.assignment_required !== undefined ? { assignmentRequired: a.assignment_required } : {}),
        assignments: a.assignments.map((who, m) => ({ principal: who.startsWith('group:') ? { group: who.slice(6) } : { user: who }, at: `${at}.assignments[${m}]` })),
      };
    }),
  });
  const ag = s.access_grants;
  if (!ag) return plan;
  return [
    ...plan,
    ...accessGrantsPlanSteps({
      at: 'setup.access_grants',
      locations: ag.locations.map((l, k) => ({ key: l.name, at: `setup.access_grants.locations[${k}]`, scope: text(l.scope), iamRole: text(`\${role.${l.role}.arn}`) })),
      grants: ag.grants.map((g, k) => ({
        key: g.name,
        at: `setup.access_grants.grants[${k}]`,
        location: g.location,
        ...(g.sub_prefix !== undefined ? { subPrefix: text(g.sub_prefix) } : {}),
        grantee: g.grantee.startsWith('group:') ? { group: g.grantee.slice(6) } : g.grantee.startsWith('role:') ? { iam: text(`\${role.${g.grantee.slice(5)}.arn}`) } : { user: g.grantee },
        permission: g.permission,
      })),
    }),
  ];
}
