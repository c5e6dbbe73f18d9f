import type { FastifyReply } from 'fastify';
import type { FailureBehaviour } from '../profile/behaviour-profile.js';
import { writeLabReason, type LabReason } from '../../aws/protocols/lab-reason-header.js';

const CORAL_NAMESPACE = 'http://internal.amazon.com/coral/com.amazonaws.sso.oidc/';

/**
 * The SSO OIDC error, exactly as captured from the real service (reference §1): exception name in
 * `x-amzn-ErrorType` with the Coral namespace, body `{"error", "error_description"}` (plus `reason`
 * where modelled), `x-amzn-RequestId`. The lab's own explanation rides beside it in
 * `x-tti-lab-reason` and never changes the body.
 */
export function sendOidcError(reply: FastifyReply, behaviour: FailureBehaviour, requestId: string, labReason?: LabReason, exchangeId?: string): FastifyReply {
  const body: Record<string, string> = { error: behaviour.error };
  if (behaviour.error_description) body.error_description = behaviour.error_description;
  if (behaviour.reason) body.reason = behaviour.reason;
  reply
    .code(behaviour.status)
    .header('content-type', 'application/json')
    .header('x-amzn-requestid', requestId)
    .header('x-amzn-errortype', `${behaviour.exception}:${CORAL_NAMESPACE}`);
  if (labReason) writeLabReason(reply, labReason);
  if (exchangeId) reply.header('x-tti-lab-exchange', exchangeId);
  return reply.send(JSON.stringify(body));
}
