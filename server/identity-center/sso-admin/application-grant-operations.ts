import type { Grant, GrantType } from '../state/model.js';
import { findApplication, findTrustedTokenIssuer } from './sso-admin-lookup.js';
import { invalid, notFound, type SsoAdminHandlers } from './sso-admin-operation.js';
import { paginate } from './sso-admin-pagination.js';

/**
 * An application's grants: which OAuth grant types CreateTokenWithIAM accepts for it, one per
 * GrantType. The Grant union's member must be the one for the GrantType. What a JwtBearer grant
 * must hold beyond the model is checked with the input (sso-admin-checks.ts).
 */

/** The Grant union's members. */
type GrantMember = 'AuthorizationCode' | 'JwtBearer' | 'RefreshToken' | 'TokenExchange';

export const GRANT_MEMBER_OF: Record<GrantType, GrantMember> = {
  authorization_code: 'AuthorizationCode',
  refresh_token: 'RefreshToken',
  'urn:ietf:params:oauth:grant-type:jwt-bearer': 'JwtBearer',
  'urn:ietf:params:oauth:grant-type:token-exchange': 'TokenExchange',
};

const target = (call: { input: Record<string, unknown> }) => ({ applicationArn: call.input.ApplicationArn as string, grantType: call.input.GrantType as GrantType });

export const applicationGrantHandlers: SsoAdminHandlers = {
  PutApplicationGrant(call) {
    const { applicationArn, grantType } = target(call);
    const grant = call.input.Grant as Grant;
    const member = Object.keys(grant)[0] as GrantMember;
    const expected = GRANT_MEMBER_OF[grantType];
    if (member !== expected) throw invalid(`GrantType ${grantType} takes a Grant of type ${expected}, not ${member}`);
    return call.ic.state.mutate((s) => {
      const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
      if ('JwtBearer' in grant) {
        for (const issuer of grant.JwtBearer.AuthorizedTokenIssuers ?? []) findTrustedTokenIssuer(s, call, issuer.TrustedTokenIssuerArn, app.InstanceArn);
      }
      app.Grants[grantType] = grant;
      return {};
    });
  },

  GetApplicationGrant(call) {
    const { applicationArn, grantType } = target(call);
    const app = findApplication(call.ic.state.read, call, applicationArn);
    const grant = app.Grants[grantType];
    if (!grant) throw notFound(call, `Grant ${grantType} does not exist for application ${applicationArn}`);
    return { Grant: structuredClone(grant) };
  },

  DeleteApplicationGrant(call) {
    const { applicationArn, grantType } = target(call);
    return call.ic.state.mutate((s) => {
      const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
      if (!app.Grants[grantType]) throw notFound(call, `Grant ${grantType} does not exist for application ${applicationArn}`);
      delete app.Grants[grantType];
      return {};
    });
  },

  /** No MaxResults in this model: an application has at most four grants, all on one page. */
  ListApplicationGrants(call) {
    const app = findApplication(call.ic.state.read, call, call.input.ApplicationArn as string);
    const all = (Object.entries(app.Grants) as [GrantType, Grant][]).map(([GrantType, Grant]) => ({ GrantType, Grant: structuredClone(Grant) }));
    return paginate(call, all);
  },
};
