import { isIP } from 'node:net';

/** True for a bind address or Host name that only this machine reaches: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const a = h.startsWith('::ffff:') ? h.slice(7) : h;
  if (isIP(a) === 4) return a.startsWith('127.');
  return a === '::1';
}

/** The host part of a Host header (`127.0.0.1:4750`, `[::1]:4750`, `localhost`). */
export function hostOfHostHeader(header: string | undefined): string {
  if (!header) return '';
  const v6 = /^\[([^\]]*)\]/.exec(header);
  if (v6) return v6[1]!;
  return header.replace(/:\d*$/, '');
}

export class RemoteBindError extends Error {
  constructor(readonly host: string) {
    super(
      `binding to ${host} exposes the lab to the network; the lab mints tokens your issuers sign. ` +
        'Pass --allow-remote (config allow_remote: true, startLab({ allowRemote: true })) to do it anyway; ' +
        'mint and control routes then still answer loopback clients only, unless a control token is set (--control-token)',
    );
    this.name = 'RemoteBindError';
  }
}

/** Refuses a non-loopback bind address unless remote access was asked for explicitly. */
export function checkBindHost(host: string, allowRemote: boolean): void {
  if (!allowRemote && !isLoopbackHost(host)) throw new RemoteBindError(host);
}
