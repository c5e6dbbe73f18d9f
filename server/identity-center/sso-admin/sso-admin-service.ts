import { AwsError } from '../../aws/aws-error.js';
import type { AwsCallContext, AwsJsonOperation, AwsJsonService } from '../../aws/aws-registry.js';
import { epochSeconds } from '../../../shared/clock.js';
import type { IdentityCenter } from '../identity-center.js';
import { applicationAccessScopeOperations } from './application-access-scope-operations.js';
import { applicationAssignmentOperations } from './application-assignment-operations.js';
import { applicationAuthenticationMethodOperations } from './application-authentication-method-operations.js';
import { applicationGrantOperations } from './application-grant-operations.js';
import { applicationOperations } from './application-operations.js';
import { applicationProviderOperations } from './application-provider-operations.js';
import { instanceOperations } from './instance-operations.js';
import type { SsoAdminCall, SsoAdminOperation } from './sso-admin-operation.js';
import { tagOperations } from './tag-operations.js';
import { trustedTokenIssuerOperations } from './trusted-token-issuer-operations.js';

/** Every SSO Admin operation the lab implements (docs/sso-admin.md lists them). */
export const SSO_ADMIN_OPERATIONS: readonly SsoAdminOperation[] = [
  ...instanceOperations,
  ...trustedTokenIssuerOperations,
  ...applicationProviderOperations,
  ...applicationOperations,
  ...applicationGrantOperations,
  ...applicationAuthenticationMethodOperations,
  ...applicationAccessScopeOperations,
  ...applicationAssignmentOperations,
  ...tagOperations,
];

/** Errors any operation may return: the four every SSO Admin operation declares, and the protocol's own. */
const ALWAYS_DECLARED = new Set(['ThrottlingException', 'InternalServerException', 'AccessDeniedException', 'ValidationException', 'SerializationException']);

/**
 * Runs one operation. An AwsError the operation's model does not declare would be one the real
 * service can never send, so it is a lab bug: it becomes an InternalServerException whose reason
 * (x-tti-lab-reason) names it, rather than a plausible-looking wrong answer.
 */
function bind(op: SsoAdminOperation, ic: IdentityCenter): AwsJsonOperation {
  return async (input: Record<string, unknown>, ctx: AwsCallContext) => {
    const call: SsoAdminCall = { ic, ctx, input, operation: op, accountId: ctx.principal.accountId, now: () => epochSeconds(ic.clock) };
    try {
      return await op.run(call);
    } catch (err) {
      if (err instanceof AwsError && !ALWAYS_DECLARED.has(err.type) && !op.errors.includes(err.type as never)) {
        throw new AwsError('InternalServerException', 500, 'An internal error occurred. Try again later.', {}, `tti-lab bug: ${op.name} raised ${err.type}, which its model does not declare: ${err.message}`);
      }
      throw err;
    }
  };
}

/** SSO Admin (`sso`, awsJson1_1, `X-Amz-Target: SWBExternalService.<Operation>`). */
export function ssoAdminService(ic: IdentityCenter): AwsJsonService {
  return {
    name: 'sso-admin',
    targetPrefix: 'SWBExternalService',
    signingName: 'sso',
    operations: Object.fromEntries(SSO_ADMIN_OPERATIONS.map((op) => [op.name, bind(op, ic)])),
  };
}
