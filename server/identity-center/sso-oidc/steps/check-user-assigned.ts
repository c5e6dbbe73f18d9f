import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

/** 11. If the application requires assignment, the user or one of their groups is assigned. */
export const checkUserAssigned: Step = {
  name: 'user-assigned',
  title: 'the user is assigned to the application (if it requires assignment)',
  run(ctx) {
    const app = ctx.application!;
    const user = ctx.user!;
    if (!app.AssignmentRequired) return { reason: 'the application does not require assignment (AssignmentRequired false)' };
    if (app.Assignments.some((a) => a.PrincipalType === 'USER' && a.PrincipalId === user.UserId)) {
      return { reason: `user ${user.UserName} is assigned directly` };
    }
    const groups = Object.values(ctx.identityStore!.Memberships).filter((m) => m.MemberId.UserId === user.UserId).map((m) => m.GroupId);
    const viaGroup = app.Assignments.find((a) => a.PrincipalType === 'GROUP' && groups.includes(a.PrincipalId));
    if (viaGroup) return { reason: `user ${user.UserName} is assigned through group ${viaGroup.PrincipalId}` };
    throw new ExchangeFailure(
      'user.not_assigned',
      `application "${app.Name}" requires assignment (the default) and user ${user.UserName} is not assigned, directly or through a group`,
      `CreateApplicationAssignment for the user or a group of theirs, or PutApplicationAssignmentConfiguration AssignmentRequired false`,
      { userId: user.UserId, groups, assignments: app.Assignments },
    );
  },
};
