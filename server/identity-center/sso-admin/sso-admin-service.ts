import type { ModelHandler, ModelService } from '../../aws/model/model-service.js';
import { serviceModel } from '../../aws/model/service-models.js';
import { epochSeconds } from '../../../shared/clock.js';
import type { IdentityCenter } from '../identity-center.js';
import { applicationAccessScopeHandlers } from './application-access-scope-operations.js';
import { applicationAssignmentHandlers } from './application-assignment-operations.js';
import { applicationAuthenticationMethodHandlers } from './application-authentication-method-operations.js';
import { applicationGrantHandlers } from './application-grant-operations.js';
import { applicationHandlers } from './application-operations.js';
import { applicationProviderHandlers } from './application-provider-operations.js';
import { instanceHandlers } from './instance-operations.js';
import { SSO_ADMIN_CHECKS } from './sso-admin-checks.js';
import { SSO_ADMIN_CONSTRAINTS } from './sso-admin-constraints.js';
import type { SsoAdminHandlers } from './sso-admin-operation.js';
import { tagHandlers } from './tag-operations.js';
import { trustedTokenIssuerHandlers } from './trusted-token-issuer-operations.js';

/** Every SSO Admin operation the lab implements (docs/sso-admin.md lists them). */
export const SSO_ADMIN_HANDLERS: SsoAdminHandlers = {
  ...instanceHandlers,
  ...trustedTokenIssuerHandlers,
  ...applicationProviderHandlers,
  ...applicationHandlers,
  ...applicationGrantHandlers,
  ...applicationAuthenticationMethodHandlers,
  ...applicationAccessScopeHandlers,
  ...applicationAssignmentHandlers,
  ...tagHandlers,
};

/**
 * SSO Admin (`sso`, awsJson1_1, `X-Amz-Target: SWBExternalService.<Operation>`) on the model layer:
 * the SDK's model, botocore's constraints, the service's own input checks, and a handler per
 * operation, each given the Identity Center and the caller's account.
 */
export function ssoAdminService(ic: IdentityCenter): ModelService {
  const handlers: Record<string, ModelHandler> = {};
  for (const [name, handler] of Object.entries(SSO_ADMIN_HANDLERS)) {
    handlers[name] = (call) => handler({ ...call, ic, accountId: call.ctx.principal.accountId, now: () => epochSeconds(ic.clock) });
  }
  return {
    modelName: 'sso-admin',
    get model() {
      return serviceModel('sso-admin');
    },
    constraints: SSO_ADMIN_CONSTRAINTS, checks: SSO_ADMIN_CHECKS, handlers };
}
