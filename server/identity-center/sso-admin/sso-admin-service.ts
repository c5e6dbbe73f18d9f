import type { AwsJsonService } from '../../aws/aws-registry.js';
import type { IdentityCenter } from '../identity-center.js';

/** SSO Admin (`sso`, awsJson1_1, `X-Amz-Target: SWBExternalService.<Operation>`). */
export function ssoAdminService(_ic: IdentityCenter): AwsJsonService {
  return {
    name: 'sso-admin',
    targetPrefix: 'SWBExternalService',
    signingName: 'sso',
    operations: {},
  };
}
