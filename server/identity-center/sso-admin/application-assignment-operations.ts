import { InputValidator } from '../../aws/input-validator.js';
import type { ApplicationAssignmentRecord, IdentityCenterState, InstanceRecord } from '../state/model.js';
import { paginate } from './paginate.js';
import { readPageRequest } from './read-members.js';
import { findApplication, findInstance } from './sso-admin-lookup.js';
import { conflict, notFound, operation, type SsoAdminCall, type SsoAdminOperation } from './sso-admin-operation.js';
import { shapes } from './sso-admin-shapes.js';

/**
 * Who is assigned to an application (users and groups of the instance's identity store), and
 * whether assignment is required at all (AssignmentRequired, true by default).
 */

type PrincipalType = ApplicationAssignmentRecord['PrincipalType'];

const readAssignment = (v: InputValidator) => ({
  applicationArn: v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn })!,
  principalId: v.string('PrincipalId', { required: true, ...shapes.PrincipalId })!,
  principalType: v.string('PrincipalType', { required: true, ...shapes.PrincipalType }) as PrincipalType,
});

/** The principal must be a user or group of the application's instance's identity store. */
function assertPrincipalExists(state: Readonly<IdentityCenterState>, call: SsoAdminCall, instance: InstanceRecord, type: PrincipalType, id: string): void {
  const store = state.identityStores[instance.IdentityStoreId];
  const found = type === 'USER' ? store?.Users[id] : store?.Groups[id];
  if (!found) throw notFound(call, `${type === 'USER' ? 'User' : 'Group'} ${id} does not exist in identity store ${instance.IdentityStoreId}`);
}

const same = (type: PrincipalType, id: string) => (a: ApplicationAssignmentRecord) => a.PrincipalType === type && a.PrincipalId === id;
const missing = (type: string, id: string, arn: string) => `${type} ${id} is not assigned to application ${arn}`;

/** Assigning the same principal twice is a ConflictException (assumed). */
const createApplicationAssignment = operation('CreateApplicationAssignment', ['ServiceQuotaExceededException', 'ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, principalId, principalType } = readAssignment(v);
  v.done();
  return call.ic.state.mutate((s) => {
    const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
    assertPrincipalExists(s, call, s.instances[app.InstanceArn]!, principalType, principalId);
    if (app.Assignments.some(same(principalType, principalId))) throw conflict(`${principalType} ${principalId} is already assigned to application ${applicationArn}`);
    app.Assignments.push({ PrincipalId: principalId, PrincipalType: principalType });
    return {};
  });
});

/** Removing an assignment that does not exist is a ResourceNotFoundException (assumed); the principal itself need not exist any more. */
const deleteApplicationAssignment = operation('DeleteApplicationAssignment', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, principalId, principalType } = readAssignment(v);
  v.done();
  return call.ic.state.mutate((s) => {
    const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
    const at = app.Assignments.findIndex(same(principalType, principalId));
    if (at < 0) throw notFound(call, missing(principalType, principalId, applicationArn));
    app.Assignments.splice(at, 1);
    return {};
  });
});

const describeApplicationAssignment = operation('DescribeApplicationAssignment', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, principalId, principalType } = readAssignment(v);
  v.done();
  const app = findApplication(call.ic.state.read, call, applicationArn);
  if (!app.Assignments.some(same(principalType, principalId))) throw notFound(call, missing(principalType, principalId, applicationArn));
  return { PrincipalType: principalType, PrincipalId: principalId, ApplicationArn: app.ApplicationArn };
});

const listApplicationAssignments = operation('ListApplicationAssignments', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const applicationArn = v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn });
  const page = readPageRequest(v, { maxShape: shapes.MaxResults, defaultMax: shapes.MaxResults.max });
  v.done();
  const app = findApplication(call.ic.state.read, call, applicationArn!);
  const { items, nextToken } = paginate(app.Assignments, (a) => `${a.PrincipalType}/${a.PrincipalId}`, page, `ListApplicationAssignments/${app.ApplicationArn}`);
  return {
    ApplicationAssignments: items.map((a) => ({ ApplicationArn: app.ApplicationArn, PrincipalId: a.PrincipalId, PrincipalType: a.PrincipalType })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
});

/**
 * The applications a principal is assigned to directly (a user's groups' assignments are not
 * included; assumed). An unknown principal simply has none (assumed).
 */
const listApplicationAssignmentsForPrincipal = operation('ListApplicationAssignmentsForPrincipal', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const instanceArn = v.string('InstanceArn', { required: true, ...shapes.InstanceArn });
  const principalId = v.string('PrincipalId', { required: true, ...shapes.PrincipalId });
  const principalType = v.string('PrincipalType', { required: true, ...shapes.PrincipalType });
  const filter = v.structure('Filter');
  const only = filter && v.string('Filter.ApplicationArn', shapes.ApplicationArn, filter.ApplicationArn);
  const page = readPageRequest(v, { maxShape: shapes.MaxResults, defaultMax: shapes.MaxResults.max });
  v.done();
  const state = call.ic.state.read;
  const instance = findInstance(state, call, instanceArn!);
  const apps = Object.values(state.applications).filter(
    (a) => a.InstanceArn === instance.InstanceArn && (only === undefined || a.ApplicationArn === only) && a.Assignments.some(same(principalType as PrincipalType, principalId!)),
  );
  const scope = `ListApplicationAssignmentsForPrincipal/${instance.InstanceArn}/${principalType}/${principalId}/${only ?? ''}`;
  const { items, nextToken } = paginate(apps, (a) => a.ApplicationArn, page, scope);
  return {
    ApplicationAssignments: items.map((a) => ({ ApplicationArn: a.ApplicationArn, PrincipalId: principalId, PrincipalType: principalType })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
});

const putApplicationAssignmentConfiguration = operation('PutApplicationAssignmentConfiguration', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const applicationArn = v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn });
  const required = v.boolean('AssignmentRequired', { required: true });
  v.done();
  return call.ic.state.mutate((s) => {
    s.applications[findApplication(s, call, applicationArn!).ApplicationArn]!.AssignmentRequired = required!;
    return {};
  });
});

const getApplicationAssignmentConfiguration = operation('GetApplicationAssignmentConfiguration', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const applicationArn = v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn });
  v.done();
  return { AssignmentRequired: findApplication(call.ic.state.read, call, applicationArn!).AssignmentRequired };
});

export const applicationAssignmentOperations: SsoAdminOperation[] = [
  createApplicationAssignment,
  deleteApplicationAssignment,
  describeApplicationAssignment,
  listApplicationAssignments,
  listApplicationAssignmentsForPrincipal,
  putApplicationAssignmentConfiguration,
  getApplicationAssignmentConfiguration,
];
