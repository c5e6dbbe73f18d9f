import type { FastifyReply } from 'fastify';
import type { FailureBehaviour } from '../profile/behaviour-profile.js';
import { wellFormed } from '../../security/well-formed.js';

const CORAL_NAMESPACE = 'http://internal.amazon.com/coral/com.amazonaws.sso.oidc/';

/**
 * Header-safe text that decodeURIComponent reads back: printable ASCII but `%` kept, anything else
 * percent-encoded code point by code point (a lone surrogate, which encodeURIComponent refuses,
 * becomes U+FFFD first). At most 4000 characters, never cut inside a code point's escapes.
 */
export function headerSafe(s: string): string {
  let out = '';
  for (const c of wellFormed(s)) {
    const piece = /^[\x20-\x24\x26-\x7e]$/.test(c) ? c : encodeURIComponent(c);
    if (out.length + piece.length > 4000) break;
    out += piece;
  }
  return out;
}

/**
 * The SSO OIDC error, exactly as captured from the real service (reference §1): exception name in
 * `x-amzn-ErrorType` with the Coral namespace, body `{"error", "error_description"}` (plus `reason`
 * where modelled), `x-amzn-RequestId`. The lab's own explanation rides beside it in
 * `x-tti-lab-reason` and never changes the body.
 */
export function sendOidcError(reply: FastifyReply, behaviour: FailureBehaviour, requestId: string, labReason?: string, exchangeId?: string): FastifyReply {
  const body: Record<string, string> = { error: behaviour.error };
  if (behaviour.error_description) body.error_description = behaviour.error_description;
  if (behaviour.reason) body.reason = behaviour.reason;
  reply
    .code(behaviour.status)
    .header('content-type', 'application/json')
    .header('x-amzn-requestid', requestId)
    .header('x-amzn-errortype', `${behaviour.exception}:${CORAL_NAMESPACE}`);
  if (labReason) reply.header('x-tti-lab-reason', headerSafe(labReason));
  if (exchangeId) reply.header('x-tti-lab-exchange', exchangeId);
  return reply.send(JSON.stringify(body));
}
