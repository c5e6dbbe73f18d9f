import type { AwsRegistry } from '../../aws/aws-registry.js';
import { createTokenWithIam } from './create-token-with-iam.js';
import { createToken, registerClient, startDeviceAuthorization } from './public-operations.js';

/**
 * SSO OIDC (`sso-oauth`, restJson1) on the lab's AWS endpoint: `POST /token?aws_iam=t` is
 * CreateTokenWithIAM (signed); `POST /token` is CreateToken, `POST /client/register` RegisterClient
 * and `POST /device_authorization` StartDeviceAuthorization (unsigned: the public client's id and
 * secret are in the body).
 */
export function registerSsoOidc(aws: AwsRegistry): void {
  aws.addRestRoute({
    method: 'POST',
    path: '/token',
    service: 'sso-oidc',
    async handler(req, reply, body) {
      const query = new URLSearchParams(req.url.split('?')[1] ?? '');
      if (query.get('aws_iam') === 't') return createTokenWithIam(req, reply, body);
      return createToken(req, reply, body);
    },
  });
  aws.addRestRoute({ method: 'POST', path: '/client/register', service: 'sso-oidc', handler: registerClient });
  aws.addRestRoute({ method: 'POST', path: '/device_authorization', service: 'sso-oidc', handler: startDeviceAuthorization });
}
