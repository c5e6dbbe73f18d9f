import type { FastifyReply } from 'fastify';
import type { AwsError } from '../../aws/aws-error.js';
import { writeLabHeaders } from '../../aws/protocols/lab-reason-header.js';

const CORAL_NAMESPACE = 'http://internal.amazon.com/coral/com.amazonaws.sso.oidc/';

/**
 * SSO OIDC's error serialiser (restJson1, OAuth-style body), exactly as captured from the real
 * service (reference §1): exception name in `x-amzn-ErrorType` with the Coral namespace, the body
 * the error's modelled members `{"error", "error_description"}` (plus `reason` where modelled),
 * `x-amzn-RequestId`. The lab's own explanation rides beside it (`x-tti-lab-reason` under the
 * error's step, else `step`; `x-tti-lab-exchange`) and never changes the body. The public answer
 * comes from the behaviour profile (`failureError`).
 */
export function sendOidcError(reply: FastifyReply, err: AwsError, requestId: string, opts: { step?: string; exchangeId?: string | undefined } = {}): FastifyReply {
  reply
    .code(err.status)
    .header('content-type', 'application/json')
    .header('x-amzn-requestid', requestId)
    .header('x-amzn-errortype', `${err.type}:${CORAL_NAMESPACE}`);
  writeLabHeaders(reply, { reason: err.labReason(opts.step ?? 'request'), exchangeId: opts.exchangeId });
  return reply.send(JSON.stringify(err.fields));
}
