import type { AccessScopeRecord } from '../state/model.js';
import { findApplication } from './sso-admin-lookup.js';
import { invalid, notFound, type SsoAdminHandlers } from './sso-admin-operation.js';
import { paginate } from './sso-admin-pagination.js';

/**
 * An application's access scopes (`sso:account:access`, `s3:access_grants:read_write`, …): what its
 * tokens may carry, and for which target applications or instances.
 */

/** "You can add up to 25 access scopes to an application" (AWS documentation, reference §3). */
export const MAX_ACCESS_SCOPES = 25;

const scopeOutput = (s: AccessScopeRecord) => ({ Scope: s.Scope, ...(s.AuthorizedTargets ? { AuthorizedTargets: [...s.AuthorizedTargets] } : {}) });

const target = (call: { input: Record<string, unknown> }) => ({ applicationArn: call.input.ApplicationArn as string, scope: call.input.Scope as string });

const missing = (applicationArn: string, scope: string) => `Access scope ${scope} does not exist for application ${applicationArn}`;

export const applicationAccessScopeHandlers: SsoAdminHandlers = {
  /**
   * Adds a scope or replaces its targets. The 26th scope is a ValidationException: this operation
   * declares no ServiceQuotaExceededException (assumed). Targets are not checked to exist (assumed).
   */
  PutApplicationAccessScope(call) {
    const { applicationArn, scope } = target(call);
    const targets = call.input.AuthorizedTargets as string[] | undefined;
    return call.ic.state.mutate((s) => {
      const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
      if (!app.AccessScopes[scope] && Object.keys(app.AccessScopes).length >= MAX_ACCESS_SCOPES) {
        throw invalid(`Application ${applicationArn} already has ${MAX_ACCESS_SCOPES} access scopes, the most an application can have`);
      }
      app.AccessScopes[scope] = { Scope: scope, ...(targets ? { AuthorizedTargets: targets } : {}) };
      return {};
    });
  },

  GetApplicationAccessScope(call) {
    const { applicationArn, scope } = target(call);
    const record = findApplication(call.ic.state.read, call, applicationArn).AccessScopes[scope];
    if (!record) throw notFound(call, missing(applicationArn, scope));
    return scopeOutput(record);
  },

  DeleteApplicationAccessScope(call) {
    const { applicationArn, scope } = target(call);
    return call.ic.state.mutate((s) => {
      const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
      if (!app.AccessScopes[scope]) throw notFound(call, missing(applicationArn, scope));
      delete app.AccessScopes[scope];
      return {};
    });
  },

  ListApplicationAccessScopes(call) {
    const app = findApplication(call.ic.state.read, call, call.input.ApplicationArn as string);
    return paginate(call, Object.values(app.AccessScopes).map(scopeOutput));
  },
};
