import { join, resolve, dirname } from 'node:path';
import { systemClock } from '../../shared/clock.js';
import { loadConfig } from '../config/load-config.js';
import { KeyStore } from '../../keys/key-store.js';
import { IssuerRuntime } from '../issuer/issuer-runtime.js';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT } from '../lab/start-lab.js';
import { UsageError } from './command.js';

/** The host as a URL shows it: a wildcard bind is reached on loopback; an IPv6 address is bracketed (as startLab does). */
const hostForUrl = (host: string) => (host === '0.0.0.0' || host === '::' ? DEFAULT_HOST : host.includes(':') ? `[${host}]` : host);

/**
 * An issuer read straight from the config and the data dir, with no lab running: for
 * `mint --offline` and `keys --offline`. Its URL is the one the lab would serve it at (pass
 * --endpoint when the lab runs elsewhere, or on a port chosen at start). Paths given on the command
 * line are relative to the working directory; the config's data_dir to the config file.
 */
export async function offlineIssuer(opts: { config?: string; dataDir?: string; issuer: string; endpoint?: string }) {
  if (!opts.config) throw new UsageError('--offline needs --config FILE (the lab configuration that declares the issuer)');
  const config = await loadConfig(opts.config);
  const baseDir = dirname(resolve(opts.config));
  const dataDir = resolve(opts.dataDir ?? (config.data_dir ? resolve(baseDir, config.data_dir) : DEFAULT_DATA_DIR));
  const issuerConfig = config.issuers.find((i) => i.name === opts.issuer);
  if (!issuerConfig) throw new UsageError(`${opts.config} declares no issuer "${opts.issuer}"; it has: ${config.issuers.map((i) => i.name).join(', ') || 'none'}`);
  const base = opts.endpoint ?? `${config.tls ? 'https' : 'http'}://${hostForUrl(config.host ?? DEFAULT_HOST)}:${config.port || DEFAULT_PORT}`;
  const keys = new KeyStore({ dir: join(dataDir, 'keys'), clock: systemClock });
  return { keys, runtime: new IssuerRuntime(issuerConfig, keys, () => base.replace(/\/$/, '')), dataDir };
}
