/**
 * startLab could not listen: the port is taken, not allowed, or the host is not this machine's.
 * Carries the socket error's `code`, `address`, `port` and `hostname`, so `tti-lab serve` words the
 * fix for its options; the message words it for startLab's.
 */
export class ListenError extends Error {
  readonly code: string;
  readonly address: string | undefined;
  readonly port: number | undefined;
  readonly hostname: string | undefined;

  constructor(err: NodeJS.ErrnoException & { port?: number; address?: string; hostname?: string }, host: string, port: number) {
    const where = `${err.address ?? host}:${err.port ?? port}`;
    super(ListenError.explain(err.code ?? '', where, err.port ?? port, err.hostname ?? host));
    this.name = 'ListenError';
    this.code = err.code ?? '';
    this.address = err.address ?? host;
    this.port = err.port ?? port;
    this.hostname = err.hostname ?? host;
    this.cause = err;
  }

  /** The socket error codes that are about where the lab listens (the rest are not ListenErrors). */
  static readonly CODES = ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN'];

  private static explain(code: string, where: string, port: number, host: string): string {
    switch (code) {
      case 'EADDRINUSE':
        return `cannot start the lab: port ${port} is in use (${where}): stop what is listening there, or pass another port (startLab({ port }), tti-lab serve --port); leave startLab's port out, or give 0, for any free port`;
      case 'EACCES':
        return `cannot start the lab: not allowed to listen on ${where}: ports below 1024 need privileges; pass another port`;
      case 'EADDRNOTAVAIL':
        return `cannot start the lab: cannot listen on ${where}: this machine has no such address; check the host`;
      default:
        return `cannot start the lab: the host "${host}" does not resolve; check the host`;
    }
  }
}
