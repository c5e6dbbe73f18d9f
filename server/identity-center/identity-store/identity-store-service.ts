import type { AwsJsonService } from '../../aws/aws-registry.js';
import type { IdentityCenter } from '../identity-center.js';

/** Identity Store (`identitystore`, awsJson1_1, `X-Amz-Target: AWSIdentityStore.<Operation>`). */
export function identityStoreService(_ic: IdentityCenter): AwsJsonService {
  return {
    name: 'identity-store',
    targetPrefix: 'AWSIdentityStore',
    signingName: 'identitystore',
    operations: {},
  };
}
