import type { ApplicationAssignmentRecord, IdentityCenterState, InstanceRecord } from '../state/model.js';
import { findApplication, findInstance } from './sso-admin-lookup.js';
import { conflict, notFound, type SsoAdminCall, type SsoAdminHandlers } from './sso-admin-operation.js';
import { paginate } from './sso-admin-pagination.js';

/**
 * Who is assigned to an application (users and groups of the instance's identity store), and
 * whether assignment is required at all (AssignmentRequired, true by default).
 */

type PrincipalType = ApplicationAssignmentRecord['PrincipalType'];

const assignment = (call: { input: Record<string, unknown> }) => ({
  applicationArn: call.input.ApplicationArn as string,
  principalId: call.input.PrincipalId as string,
  principalType: call.input.PrincipalType as PrincipalType,
});

/** The principal must be a user or group of the application's instance's identity store. */
function assertPrincipalExists(state: Readonly<IdentityCenterState>, call: SsoAdminCall, instance: InstanceRecord, type: PrincipalType, id: string): void {
  const store = state.identityStores[instance.IdentityStoreId];
  const found = type === 'USER' ? store?.Users[id] : store?.Groups[id];
  if (!found) throw notFound(call, `${type === 'USER' ? 'User' : 'Group'} ${id} does not exist in identity store ${instance.IdentityStoreId}`);
}

const same = (type: PrincipalType, id: string) => (a: ApplicationAssignmentRecord) => a.PrincipalType === type && a.PrincipalId === id;
const missing = (type: string, id: string, arn: string) => `${type} ${id} is not assigned to application ${arn}`;

export const applicationAssignmentHandlers: SsoAdminHandlers = {
  /** Assigning the same principal twice is a ConflictException (assumed). */
  CreateApplicationAssignment(call) {
    const { applicationArn, principalId, principalType } = assignment(call);
    return call.ic.state.mutate((s) => {
      const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
      assertPrincipalExists(s, call, s.instances[app.InstanceArn]!, principalType, principalId);
      if (app.Assignments.some(same(principalType, principalId))) throw conflict(`${principalType} ${principalId} is already assigned to application ${applicationArn}`);
      app.Assignments.push({ PrincipalId: principalId, PrincipalType: principalType });
      return {};
    });
  },

  /** Removing an assignment that does not exist is a ResourceNotFoundException (assumed); the principal itself need not exist any more. */
  DeleteApplicationAssignment(call) {
    const { applicationArn, principalId, principalType } = assignment(call);
    return call.ic.state.mutate((s) => {
      const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
      const at = app.Assignments.findIndex(same(principalType, principalId));
      if (at < 0) throw notFound(call, missing(principalType, principalId, applicationArn));
      app.Assignments.splice(at, 1);
      return {};
    });
  },

  DescribeApplicationAssignment(call) {
    const { applicationArn, principalId, principalType } = assignment(call);
    const app = findApplication(call.ic.state.read, call, applicationArn);
    if (!app.Assignments.some(same(principalType, principalId))) throw notFound(call, missing(principalType, principalId, applicationArn));
    return { PrincipalType: principalType, PrincipalId: principalId, ApplicationArn: app.ApplicationArn };
  },

  ListApplicationAssignments(call) {
    const app = findApplication(call.ic.state.read, call, call.input.ApplicationArn as string);
    return paginate(
      call,
      app.Assignments.map((a) => ({ ApplicationArn: app.ApplicationArn, PrincipalId: a.PrincipalId, PrincipalType: a.PrincipalType })),
    );
  },

  /**
   * The applications a principal is assigned to directly (a user's groups' assignments are not
   * included; assumed). An unknown principal simply has none (assumed).
   */
  ListApplicationAssignmentsForPrincipal(call) {
    const principalId = call.input.PrincipalId as string;
    const principalType = call.input.PrincipalType as PrincipalType;
    const only = (call.input.Filter as { ApplicationArn?: string } | undefined)?.ApplicationArn;
    const state = call.ic.state.read;
    const instance = findInstance(state, call, call.input.InstanceArn as string);
    const apps = Object.values(state.applications).filter(
      (a) => a.InstanceArn === instance.InstanceArn && (only === undefined || a.ApplicationArn === only) && a.Assignments.some(same(principalType, principalId)),
    );
    return paginate(call, apps.map((a) => ({ ApplicationArn: a.ApplicationArn, PrincipalId: principalId, PrincipalType: principalType })));
  },

  PutApplicationAssignmentConfiguration(call) {
    return call.ic.state.mutate((s) => {
      s.applications[findApplication(s, call, call.input.ApplicationArn as string).ApplicationArn]!.AssignmentRequired = call.input.AssignmentRequired as boolean;
      return {};
    });
  },

  GetApplicationAssignmentConfiguration(call) {
    return { AssignmentRequired: findApplication(call.ic.state.read, call, call.input.ApplicationArn as string).AssignmentRequired };
  },
};
