import { InputValidator } from '../../aws/input-validator.js';
import type { AccessScopeRecord } from '../state/model.js';
import { paginate } from './paginate.js';
import { readPageRequest, readStringList } from './read-members.js';
import { findApplication } from './sso-admin-lookup.js';
import { invalid, notFound, operation, type SsoAdminOperation } from './sso-admin-operation.js';
import { outputListMax, shapes } from './sso-admin-shapes.js';

/**
 * An application's access scopes (`sso:account:access`, `s3:access_grants:read_write`, …): what its
 * tokens may carry, and for which target applications or instances.
 */

/** "You can add up to 25 access scopes to an application" (AWS documentation, reference §3). */
export const MAX_ACCESS_SCOPES = 25;

const scopeOutput = (s: AccessScopeRecord) => ({ Scope: s.Scope, ...(s.AuthorizedTargets ? { AuthorizedTargets: [...s.AuthorizedTargets] } : {}) });

const readTarget = (v: InputValidator) => ({
  applicationArn: v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn })!,
  scope: v.string('Scope', { required: true, ...shapes.Scope })!,
});

const missing = (applicationArn: string, scope: string) => `Access scope ${scope} does not exist for application ${applicationArn}`;

/**
 * Adds a scope or replaces its targets. The 26th scope is a ValidationException: this operation
 * declares no ServiceQuotaExceededException (assumed). Targets are not checked to exist (assumed).
 */
const putApplicationAccessScope = operation('PutApplicationAccessScope', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, scope } = readTarget(v);
  const targets = readStringList(v, 'AuthorizedTargets', call.input.AuthorizedTargets, shapes.ScopeTargets, shapes.ScopeTarget);
  v.done();
  return call.ic.state.mutate((s) => {
    const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
    if (!app.AccessScopes[scope] && Object.keys(app.AccessScopes).length >= MAX_ACCESS_SCOPES) {
      throw invalid(`Application ${applicationArn} already has ${MAX_ACCESS_SCOPES} access scopes, the most an application can have`);
    }
    app.AccessScopes[scope] = { Scope: scope, ...(targets ? { AuthorizedTargets: targets } : {}) };
    return {};
  });
});

const getApplicationAccessScope = operation('GetApplicationAccessScope', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, scope } = readTarget(v);
  v.done();
  const record = findApplication(call.ic.state.read, call, applicationArn).AccessScopes[scope];
  if (!record) throw notFound(call, missing(applicationArn, scope));
  return scopeOutput(record);
});

const deleteApplicationAccessScope = operation('DeleteApplicationAccessScope', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, scope } = readTarget(v);
  v.done();
  return call.ic.state.mutate((s) => {
    const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
    if (!app.AccessScopes[scope]) throw notFound(call, missing(applicationArn, scope));
    delete app.AccessScopes[scope];
    return {};
  });
});

const listApplicationAccessScopes = operation('ListApplicationAccessScopes', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const applicationArn = v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn });
  const page = readPageRequest(v, { maxShape: shapes.ListApplicationAccessScopesRequestMaxResultsInteger, defaultMax: outputListMax.Scopes, outputMax: outputListMax.Scopes });
  v.done();
  const app = findApplication(call.ic.state.read, call, applicationArn!);
  const { items, nextToken } = paginate(Object.values(app.AccessScopes), (s) => s.Scope, page, `ListApplicationAccessScopes/${app.ApplicationArn}`);
  return { Scopes: items.map(scopeOutput), ...(nextToken ? { NextToken: nextToken } : {}) };
});

export const applicationAccessScopeOperations: SsoAdminOperation[] = [
  putApplicationAccessScope,
  getApplicationAccessScope,
  deleteApplicationAccessScope,
  listApplicationAccessScopes,
];
