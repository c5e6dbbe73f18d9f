import { resolve } from 'node:path';
import { startLab, DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT } from '../lab/start-lab.js';
import { ConfigError } from '../config/schema.js';
import { UsageError, type Command } from './command.js';
import { RemoteBindError } from '../security/bind-host.js';
import { ControlTokenError } from '../security/control-token.js';
import { DataDirLockedError } from '../state/data-dir-lock.js';
import { isHostName } from '../security/allowed-hosts.js';

/** What to tell the user when the lab cannot listen; undefined for errors that are not about that. */
function listenProblem(err: NodeJS.ErrnoException & { port?: number; address?: string; hostname?: string }): string | undefined {
  const where = `${err.address ?? '?'}:${err.port ?? '?'}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${err.port} is in use (${where}): stop what is listening there, pick another port with --port, or --port 0 for any free port`;
    case 'EACCES':
      return `not allowed to listen on ${where}: ports below 1024 need privileges; pick another with --port`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: this machine has no such address; check --host (default ${DEFAULT_HOST})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen: the host "${err.hostname ?? err.address ?? '?'}" does not resolve; check --host`;
    default:
      return undefined;
  }
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the lab: mock issuers and the Identity Center emulator on one port',
  usage: `Usage: tti-lab serve [options]

Runs the lab until SIGINT or SIGTERM, and prints every URL it serves.

Options:
  --config FILE     YAML configuration (see docs/configuration.md, examples/lab.yaml)
  --host HOST       interface to bind (default ${DEFAULT_HOST}: loopback only)
  --port PORT       port (default ${DEFAULT_PORT}; 0 picks a free one)
  --data-dir DIR    keys and state (default: the config's data_dir, relative to the config
                    file, else ${DEFAULT_DATA_DIR}/ in the working directory)
  --in-memory       keep keys and state in memory only; nothing is written
  --allow-remote    allow --host to be a non-loopback address (mint and control routes
                    still answer loopback clients only, unless a control token is set)
  --allowed-hosts H1,H2
                    host names the lab answers besides localhost, 127.x.x.x and [::1]
                    (and, with --allow-remote, IP addresses): every other Host header is
                    refused, so a web page cannot reach the lab by DNS rebinding
  --control-token TOKEN
                    let non-loopback clients that send this secret (16+ characters) as
                    "Authorization: Bearer TOKEN" or x-tti-lab-control-token use the mint
                    and control routes; TTI_LAB_CONTROL_TOKEN works too (and stays out of ps)
  --open-control    serve mint and control routes to non-loopback clients too, without a
                    token (unsafe)
  -h, --help        this help`,
  options: {
    config: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'in-memory': { type: 'boolean' },
    'open-control': { type: 'boolean' },
    'allow-remote': { type: 'boolean' },
    'allowed-hosts': { type: 'string' },
    'control-token': { type: 'string' },
  },
  async run(values, _positionals, io) {
    let port: number | undefined;
    if (values.port !== undefined) {
      const given = String(values.port);
      port = Number(given);
      if (!/^\d+$/.test(given) || port > 65535) throw new UsageError(`--port: expected a port from 0 to 65535, got "${given}"`);
    }
    const allowedHosts = values['allowed-hosts'] === undefined ? undefined : String(values['allowed-hosts']).split(',').map((h) => h.trim()).filter(Boolean);
    for (const h of allowedHosts ?? []) {
      if (!isHostName(h)) throw new UsageError(`--allowed-hosts: "${h}" is not a host name or IP address; give names without scheme or port, separated by commas (--allowed-hosts lab.test,build-box)`);
    }
    const controlToken = (values['control-token'] as string | undefined) ?? (process.env.TTI_LAB_CONTROL_TOKEN || undefined);
    // Asked for now, so a signal that arrives while starting is not lost (and does not kill the process).
    const stopped = io.stopSignal;
    let lab;
    try {
      lab = await startLab({
        config: values.config as string | undefined,
        host: values.host as string | undefined,
        port,
        useConfigPort: true,
        // Paths given on the command line are relative to the working directory, as `mint --offline`
        // and `keys --offline` read them; the config's data_dir stays relative to the config file.
        dataDir: values['data-dir'] === undefined ? undefined : resolve(values['data-dir'] as string),
        inMemory: Boolean(values['in-memory']),
        openControl: Boolean(values['open-control']),
        ...(values['allow-remote'] ? { allowRemote: true } : {}),
        ...(allowedHosts ? { allowedHosts } : {}),
        ...(controlToken !== undefined ? { controlToken } : {}),
        defaults: { port: DEFAULT_PORT, dataDir: resolve(DEFAULT_DATA_DIR) },
        onNotice: (message) => io.err(`tti-lab: ${message}`),
      });
    } catch (err) {
      if (err instanceof ConfigError) {
        io.err(`tti-lab: the configuration is invalid; nothing was started.\n${err.message}`);
        return 2;
      }
      if (err instanceof RemoteBindError || err instanceof ControlTokenError) {
        io.err(`tti-lab: ${err.message}; nothing was started.`);
        return 2;
      }
      if (err instanceof DataDirLockedError) {
        io.err(`tti-lab: ${err.message}; nothing was started.`);
        return 1;
      }
      const problem = listenProblem(err as NodeJS.ErrnoException);
      if (problem) {
        io.err(`tti-lab: ${problem}; nothing was started.`);
        return 1;
      }
      throw err;
    }
    const rule = lab.services.hostRule;
    const hosts = `loopback names${rule?.remote ? ', IP addresses' : ''}${rule?.names.length ? `, ${rule.names.join(', ')}` : ''}`;
    const lines = [`tti-lab listening on ${lab.url}`, `  data:       ${lab.dataDir ?? '(in memory)'}`, `  hosts:      ${hosts} (other Host headers are refused)`];
    if (lab.tls?.certFile) lines.push(`  tls cert:   ${lab.tls.certFile} (trust it with NODE_EXTRA_CA_CERTS)`);
    for (const [name, url] of Object.entries(lab.endpoints)) {
      const access = lab.services.openControl ? 'OPENED to every client by --open-control' : lab.services.controlToken ? 'loopback, or any client with the control token' : 'loopback only';
      lines.push(`  ${`${name}:`.padEnd(11)} ${url}${name === 'control' ? ` (${access})` : ''}`);
    }
    for (const i of Object.values(lab.issuers)) {
      lines.push(`  issuer ${i.name}:`, `    issuer URL: ${i.url}`, `    discovery:  ${i.discoveryUrl}`, `    jwks:       ${i.jwksUrl}`, `    mint:       POST ${i.url}/mint`);
    }
    for (const notice of lab.notices) lines.push(`  ${notice}`);
    io.out(lines.join('\n'));
    const signal = await stopped;
    io.out(`tti-lab: ${signal} received, shutting down`);
    await lab.close();
    return 0;
  },
};
