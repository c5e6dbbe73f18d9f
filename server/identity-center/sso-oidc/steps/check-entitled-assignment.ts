import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { assignmentOf } from './check-user-assigned.js';

/**
 * CreateToken: a public client registered with an entitledApplicationArn gets tokens only for users
 * that application lets in (its assignments). Without one, any user of the instance may sign in.
 */
export const checkEntitledAssignment: Step<'publicClient' | 'user' | 'identityStore'> = {
  name: 'entitled-user-assigned',
  title: 'the user is assigned to the client\'s entitled application (if it has one)',
  run(ctx) {
    const arn = ctx.publicClient.entitledApplicationArn;
    if (!arn) return { reason: 'the client has no entitled application: any user of the instance may sign in' };
    const { user } = ctx;
    const app = ctx.state.applications[arn];
    const assignment = app ? assignmentOf(app, ctx.identityStore, user.UserId) : false;
    if (!app || assignment === false) {
      throw new ExchangeFailure(
        'user.not_assigned',
        app ? `the client's entitled application "${app.Name}" requires assignment and user ${user.UserName} is not assigned` : `the client's entitled application ${arn} no longer exists`,
        'CreateApplicationAssignment for the user (or a group of theirs) on the entitled application',
        { userId: user.UserId, entitledApplicationArn: arn },
      );
    }
    return { reason: `user ${user.UserName} may use the entitled application "${app.Name}"` };
  },
};
