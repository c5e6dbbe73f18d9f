import { AwsError } from '../../aws/aws-error.js';
import type { AwsJsonOperation, AwsJsonService } from '../../aws/aws-registry.js';
import type { IdentityCenter } from '../identity-center.js';
import { groupMembershipOperations } from './group-membership-operations.js';
import { groupOperations } from './group-operations.js';
import { userOperations } from './user-operations.js';

/** The Identity Store's exceptions that model a `RequestId` member (all of them). */
const MODELLED = new Set(['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ResourceNotFoundException', 'ServiceQuotaExceededException', 'ThrottlingException', 'ValidationException']);

/** Adds the modelled `RequestId` member (the request's x-amzn-RequestId) to the service's errors. */
function withRequestId(op: AwsJsonOperation): AwsJsonOperation {
  return async (input, ctx) => {
    try {
      return await op(input, ctx);
    } catch (err) {
      if (err instanceof AwsError && MODELLED.has(err.type) && err.fields.RequestId === undefined) {
        throw new AwsError(err.type, err.status, err.message, { ...err.fields, RequestId: ctx.requestId }, err.detail);
      }
      throw err;
    }
  };
}

/**
 * Identity Store (`identitystore`, awsJson1_1, `X-Amz-Target: AWSIdentityStore.<Operation>`):
 * users, groups and group memberships of the identity stores in `state.identityStores`.
 * What is emulated how, and what is assumed: docs/identity-store.md.
 */
export function identityStoreService(ic: IdentityCenter): AwsJsonService {
  const operations = { ...userOperations(ic), ...groupOperations(ic), ...groupMembershipOperations(ic) };
  return {
    name: 'identity-store',
    targetPrefix: 'AWSIdentityStore',
    signingName: 'identitystore',
    operations: Object.fromEntries(Object.entries(operations).map(([name, op]) => [name, withRequestId(op)])),
  };
}
