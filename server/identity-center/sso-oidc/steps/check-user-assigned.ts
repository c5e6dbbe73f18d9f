import type { ApplicationRecord, IdentityStoreRecord } from '../../state/model.js';
import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

/**
 * How a user is assigned to an application: `true` when it does not require assignment, `'user'`
 * when assigned directly, the group id when through a group, `false` when not at all.
 */
export function assignmentOf(app: ApplicationRecord, identityStore: IdentityStoreRecord, userId: string): true | 'user' | string | false {
  if (!app.AssignmentRequired) return true;
  if (app.Assignments.some((a) => a.PrincipalType === 'USER' && a.PrincipalId === userId)) return 'user';
  const groups = Object.values(identityStore.Memberships).filter((m) => m.MemberId.UserId === userId).map((m) => m.GroupId);
  return app.Assignments.find((a) => a.PrincipalType === 'GROUP' && groups.includes(a.PrincipalId))?.PrincipalId ?? false;
}

/** 12. If the application requires assignment, the user or one of their groups is assigned. */
export const checkUserAssigned: Step<'application' | 'user' | 'identityStore'> = {
  name: 'user-assigned',
  title: 'the user is assigned to the application (if it requires assignment)',
  run(ctx) {
    const app = ctx.application;
    const user = ctx.user;
    const assignment = assignmentOf(app, ctx.identityStore, user.UserId);
    if (assignment === true) return { reason: 'the application does not require assignment (AssignmentRequired false)' };
    if (assignment === 'user') return { reason: `user ${user.UserName} is assigned directly` };
    if (assignment !== false) return { reason: `user ${user.UserName} is assigned through group ${assignment}` };
    const groups = Object.values(ctx.identityStore.Memberships).filter((m) => m.MemberId.UserId === user.UserId).map((m) => m.GroupId);
    throw new ExchangeFailure(
      'user.not_assigned',
      `application "${app.Name}" requires assignment (the default) and user ${user.UserName} is not assigned, directly or through a group`,
      `CreateApplicationAssignment for the user or a group of theirs, or PutApplicationAssignmentConfiguration AssignmentRequired false`,
      { userId: user.UserId, groups, assignments: app.Assignments },
    );
  },
};
