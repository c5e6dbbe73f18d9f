import type { AwsRegistry } from '../../aws/aws-registry.js';
import { createTokenWithIam } from './create-token-with-iam.js';
import { sendOidcError } from './oidc-error-response.js';
import { randomUUID } from 'node:crypto';

/**
 * SSO OIDC (`sso-oauth`, restJson1) on the lab's AWS endpoint: `POST /token?aws_iam=t` is
 * CreateTokenWithIAM. The public operations (CreateToken, RegisterClient,
 * StartDeviceAuthorization) are not emulated yet and say so.
 */
export function registerSsoOidc(aws: AwsRegistry): void {
  aws.addRestRoute({
    method: 'POST',
    path: '/token',
    service: 'sso-oidc',
    async handler(req, reply, body) {
      const query = new URLSearchParams(req.url.split('?')[1] ?? '');
      if (query.get('aws_iam') === 't') return createTokenWithIam(req, reply, body);
      const p = req.server.lab.ssoOidc.profile;
      return sendOidcError(reply, p.failures['grant.unsupported_type']!, randomUUID(), 'CreateToken (POST /token without ?aws_iam=t) is not emulated by this version of tti-lab; use CreateTokenWithIAM');
    },
  });
}
