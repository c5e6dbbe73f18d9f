import type { AwsRegistry } from '../../aws/aws-registry.js';
import { createTokenWithIam } from './create-token-with-iam.js';
import { createToken, registerClient, startDeviceAuthorization } from './public-operations.js';
import type { AwsError } from '../../aws/aws-error.js';
import { sendOidcError } from './oidc-error-response.js';
import { failureError } from '../profile/failure-error.js';
import type { FastifyReply } from 'fastify';

/**
 * An error raised before an operation ran: the SSO OIDC shape. A body over the lab's limit is
 * InvalidRequestException with the endpoint's status; a refused Host is AccessDeniedException with
 * its modelled status, 400, and the description the profile gives access_denied (Access denied). Provenance: assumed (what the real service answers
 * to either is not published).
 */
const sendError = (reply: FastifyReply, err: AwsError, requestId: string) =>
  sendOidcError(
    reply,
    err.type === 'AccessDeniedException'
      ? failureError({ exception: 'AccessDeniedException', status: 400, error: 'access_denied', error_description: 'Access denied', provenance: 'assumed', source: 'tti-lab' }, { reason: err.detail ?? err.message })
      : failureError({ exception: 'InvalidRequestException', status: err.status, error: 'invalid_request', error_description: err.message, provenance: 'assumed', source: 'tti-lab' }, { reason: err.message }),
    requestId,
  );

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
    sendError,
    async handler(req, reply, body) {
      const query = new URLSearchParams(req.url.split('?')[1] ?? '');
      if (query.get('aws_iam') === 't') return createTokenWithIam(req, reply, body);
      return createToken(req, reply, body);
    },
  });
  aws.addRestRoute({ method: 'POST', path: '/client/register', service: 'sso-oidc', sendError, handler: registerClient });
  aws.addRestRoute({ method: 'POST', path: '/device_authorization', service: 'sso-oidc', sendError, handler: startDeviceAuthorization });
}
