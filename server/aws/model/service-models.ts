import identitystore from './services/identitystore.json' with { type: 'json' };
import s3Control from './services/s3-control.json' with { type: 'json' };
import ssoAdmin from './services/sso-admin.json' with { type: 'json' };
import ssoOidc from './services/sso-oidc.json' with { type: 'json' };
import sts from './services/sts.json' with { type: 'json' };
import type { ServiceModel } from './service-model.js';

/**
 * The models of the services the lab emulates, extracted from the installed AWS SDK clients
 * (`npm run model:update`; `test/aws/model/service-models.test.ts` fails when they drift).
 */
export const SERVICE_MODELS = {
  'sso-admin': ssoAdmin as unknown as ServiceModel,
  identitystore: identitystore as unknown as ServiceModel,
  sts: sts as unknown as ServiceModel,
  'sso-oidc': ssoOidc as unknown as ServiceModel,
  's3-control': s3Control as unknown as ServiceModel,
} as const;

export type ServiceName = keyof typeof SERVICE_MODELS;
