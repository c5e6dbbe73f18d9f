import type { ModelHandler, ModelService } from '../../aws/model/model-service.js';
import { epochSeconds } from '../../../shared/clock.js';
import type { IdentityCenter } from '../identity-center.js';
import { groupMembershipHandlers } from './group-membership-operations.js';
import { groupChecks, groupHandlers } from './group-operations.js';
import { IDENTITY_STORE_CONSTRAINTS } from './identity-store-constraints.js';
import { identityStoreModel } from './identity-store-model.js';
import { userChecks, userHandlers } from './user-operations.js';

/**
 * Identity Store (`identitystore`, awsJson1_1, `X-Amz-Target: AWSIdentityStore.<Operation>`) on the
 * model layer: users, groups and group memberships of the identity stores in
 * `state.identityStores`. Every error's modelled `RequestId` is filled by `runOperation`.
 * What is emulated how, and what is assumed: docs/identity-store.md.
 */
export function identityStoreService(ic: IdentityCenter): ModelService {
  const handlers: Record<string, ModelHandler> = {};
  for (const [name, handler] of Object.entries({ ...userHandlers, ...groupHandlers, ...groupMembershipHandlers })) {
    handlers[name] = (call) => handler({ ...call, ic, now: () => epochSeconds(ic.clock) });
  }
  return {
    modelName: 'identitystore',
    get model() {
      return identityStoreModel();
    },
    constraints: IDENTITY_STORE_CONSTRAINTS, checks: { ...userChecks, ...groupChecks }, handlers };
}
