import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { LabError } from '../lab/lab-error.js';
import { hostOfHostHeader, isLoopbackHost } from './bind-host.js';

/**
 * Which `Host` values the lab answers. A web page can point its own DNS name at 127.0.0.1 (DNS
 * rebinding) and so reach a loopback-bound lab from the victim's browser, but its requests then
 * carry its own name in `Host`. So every route answers only:
 * - loopback names and addresses (localhost, *.localhost, 127.x.x.x, [::1]), with any port;
 * - the hosts the lab names (`--allowed-hosts`, config `allowed_hosts`, `startLab({ allowedHosts })`),
 *   compared without case, port ignored, subdomains not included;
 * - when the lab is bound to a non-loopback address (`--allow-remote`), any IP address too: an address
 *   is never a rebound name (a page whose origin is the address is the lab's own).
 */
export interface HostRule {
  /** True when the lab listens on a non-loopback address. */
  remote: boolean;
  /** Host names (or addresses) allowed besides the loopback ones, lowercase. */
  names: readonly string[];
}

export const LOOPBACK_HOST_RULE: HostRule = { remote: false, names: [] };

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/i;
const unbracket = (h: string) => h.replace(/^\[(.*)\]$/, '$1');

/** True for what `allowed_hosts` may hold: a host name or an IP address, without scheme or port. */
export const isHostName = (value: string): boolean => HOST_NAME.test(value) || isIP(unbracket(value)) !== 0;

/** The allowed names as the rule keeps them: lowercase, IPv6 without brackets, no duplicates. */
export const normaliseHostNames = (names: readonly string[]): string[] => [...new Set(names.map((n) => unbracket(n).toLowerCase()))];

/** Whether a request's `Host` header passes the rule. A missing Host never does. */
export function hostAllowed(hostHeader: string | undefined, rule: HostRule): boolean {
  const host = hostOfHostHeader(hostHeader).toLowerCase();
  if (host === '') return false;
  if (isLoopbackHost(host)) return true;
  if (rule.names.includes(host)) return true;
  return rule.remote && isIP(host) !== 0;
}

/** A request for a Host the lab does not answer; each protocol turns it into its own refusal. */
export class HostNotAllowedError extends LabError {
  constructor(
    readonly host: string,
    /** The short form for AWS wire messages; `message` is the full reason and fix. */
    readonly wireMessage: string,
    message: string,
  ) {
    super(403, 'host_not_allowed', message);
  }
}

export function hostNotAllowed(hostHeader: string | undefined, rule: HostRule): HostNotAllowedError {
  const host = hostOfHostHeader(hostHeader).slice(0, 200);
  const answered = `${rule.remote ? 'loopback names, IP addresses' : 'loopback names (localhost, 127.x.x.x, [::1])'}${rule.names.length ? ` and ${rule.names.join(', ')}` : ''}`;
  const name = host === '' ? 'no Host header' : `Host "${host}"`;
  return new HostNotAllowedError(
    host,
    `${name} is not allowed`,
    `${name} is not allowed: the lab answers requests for ${answered} only, so a web page cannot reach it by DNS rebinding (pointing its own name at this address). ` +
      `Reach the lab by one of those names${host === '' ? '' : `, or name this host with --allowed-hosts ${[...rule.names, host.toLowerCase()].join(',')} (config allowed_hosts)`}`,
  );
}

/** onRequest hook for the whole app: refuses a Host the rule does not allow, before any body is read. */
export async function checkHost(req: FastifyRequest): Promise<void> {
  const rule = req.server.lab.hostRule ?? LOOPBACK_HOST_RULE;
  if (!hostAllowed(req.headers.host, rule)) throw hostNotAllowed(req.headers.host, rule);
}
