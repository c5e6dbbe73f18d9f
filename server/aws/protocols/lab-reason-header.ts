import type { FastifyReply } from 'fastify';
import { wellFormed } from '../../security/well-formed.js';

/** The header that carries the lab's reason for a refusal, beside the real wire answer and never in it. */
export const LAB_REASON_HEADER = 'x-tti-lab-reason';

/** Why the lab refused: the named step (or check) that failed, the reason, and the fix when there is one. */
export interface LabReason {
  step: string;
  reason: string;
  fix?: string;
}

/** At most this many characters go on the wire (never cut inside a character's escapes). */
const MAX_LENGTH = 4000;

/** `<step>: <reason>. Fix: <fix>` — the text every protocol puts in the header, the step first. */
export function formatLabReason({ step, reason, fix }: LabReason): string {
  const text = `${step}: ${reason.trim()}`;
  if (!fix) return text;
  return `${/[.!?]$/.test(text) ? text : `${text}.`} Fix: ${fix.trim()}`;
}

/**
 * The one encoding of the header, for every protocol: printable ASCII other than `%` as is, every
 * other character as the percent-encoded bytes of its UTF-8 (a lone surrogate becomes U+FFFD
 * first). So the header is always a legal value, readable in `curl -i`, and `decodeURIComponent`
 * (readLabReason) gives back the exact text.
 */
export function encodeLabReason(text: string): string {
  let out = '';
  for (const c of wellFormed(text)) {
    const piece = /^[\x20-\x24\x26-\x7e]$/.test(c) ? c : encodeURIComponent(c);
    if (out.length + piece.length > MAX_LENGTH) break;
    out += piece;
  }
  return out;
}

/** Writes `x-tti-lab-reason` on a reply: the one place any protocol does. */
export function writeLabReason(reply: FastifyReply, reason: LabReason): FastifyReply {
  return reply.header(LAB_REASON_HEADER, encodeLabReason(formatLabReason(reason)));
}

/** The header that names the exchange log entry of the run that answered (`GET /_lab/exchanges/<id>`). */
export const LAB_EXCHANGE_HEADER = 'x-tti-lab-exchange';

/**
 * Writes the lab's headers on any answer, for every protocol and the lab's own routes: the reason
 * (when the answer is a refusal the lab can explain) and the exchange log entry (when the run was
 * logged). The one place either header is written.
 */
export function writeLabHeaders(reply: FastifyReply, headers: { reason?: LabReason | undefined; exchangeId?: string | undefined }): FastifyReply {
  if (headers.reason) writeLabReason(reply, headers.reason);
  if (headers.exchangeId) reply.header(LAB_EXCHANGE_HEADER, headers.exchangeId);
  return reply;
}

/** Reads the header back (clients, tests, the harness): the decoded text, or the raw value if it does not decode. */
export function readLabReason(raw: string | null | undefined): string {
  if (!raw) return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
