import type { FastifyRequest } from 'fastify';
import { isLoopbackAddress } from '../util/is-loopback.js';
import { hostOfHostHeader } from '../security/bind-host.js';
import { hostAllowed, LOOPBACK_HOST_RULE } from '../security/allowed-hosts.js';
import { presentedControlToken } from '../security/control-token.js';
import { sameOrigin } from '../security/same-origin.js';
import { LabError } from './lab-error.js';

/**
 * preHandler for routes that mint or reconfigure. Passes when:
 * - the lab was opened (`--open-control`), or
 * - the request presents the lab's control token (`Authorization: Bearer …` or
 *   `x-tti-lab-control-token`), from anywhere, or
 * - the client is on loopback and names a Host the lab answers (allowed-hosts.ts: a web page that
 *   rebinds its own DNS name to 127.0.0.1 reaches loopback too, but with its own name in Host).
 * A token that does not match is refused even from loopback: explicit credentials never fail open.
 * A browser request from another origin is refused whatever else holds.
 */
export async function localOnly(req: FastifyRequest): Promise<void> {
  const lab = req.server.lab;
  if (lab.openControl) return;
  await sameOrigin(req);
  const presented = presentedControlToken(req.headers);
  if (presented !== undefined) {
    if (lab.controlToken?.matches(presented)) return;
    throw new LabError(401, 'invalid_control_token', lab.controlToken ? 'the control token does not match' : 'this lab has no control token configured; loopback clients need none');
  }
  if (isLoopbackAddress(req.socket.remoteAddress)) {
    if (!hostAllowed(req.headers.host, lab.hostRule ?? LOOPBACK_HOST_RULE)) {
      throw new LabError(403, 'local_only', `Host "${hostOfHostHeader(req.headers.host)}" is not a loopback name; mint and control routes answer requests for 127.0.0.1, [::1], localhost or a host named by --allowed-hosts`);
    }
    return;
  }
  if (lab.controlToken) {
    throw new LabError(401, 'control_token_required', 'this route mints or reconfigures: a non-loopback client must send the lab\'s control token (Authorization: Bearer <token> or x-tti-lab-control-token)');
  }
  throw new LabError(403, 'local_only', 'this route mints or reconfigures and answers loopback clients only');
}
