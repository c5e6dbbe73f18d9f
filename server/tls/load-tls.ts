import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { TlsConfig } from '../config/lab-config.js';
import { ConfigError } from '../config/schema.js';
import { atomicWrite } from '../../shared/atomic-write.js';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** Where the certificate is, for users to trust it (`NODE_EXTRA_CA_CERTS`); null when in memory. */
  certFile: string | null;
}

async function readPem(path: string, field: string, source: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(source, [{ path: field, message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
}

/**
 * The certificate the lab serves HTTPS with: the configured PEM files (relative to the config
 * file's folder), or a self-signed certificate for localhost and 127.0.0.1, generated once and kept
 * in `<data dir>/tls/` so a client can trust it across restarts.
 */
export async function loadTls(tls: TlsConfig, opts: { baseDir: string; dataDir: string | null; source: string }): Promise<TlsMaterial> {
  if (tls.cert && tls.key) {
    const certFile = resolve(opts.baseDir, tls.cert);
    return { cert: await readPem(certFile, 'tls.cert', opts.source), key: await readPem(resolve(opts.baseDir, tls.key), 'tls.key', opts.source), certFile };
  }
  if (opts.dataDir) {
    const certFile = join(opts.dataDir, 'tls', 'cert.pem');
    try {
      return { cert: await readFile(certFile, 'utf8'), key: await readFile(join(opts.dataDir, 'tls', 'key.pem'), 'utf8'), certFile };
    } catch {
      /* generate below */
    }
  }
  // Loaded only here: selfsigned and its X.509 stack are about a fifth of the CLI's start-up CPU,
  // and most labs never generate a certificate.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  } as never);
  if (!opts.dataDir) return { cert: pems.cert, key: pems.private, certFile: null };
  await atomicWrite(join(opts.dataDir, 'tls', 'key.pem'), pems.private, 0o600);
  await atomicWrite(join(opts.dataDir, 'tls', 'cert.pem'), pems.cert, 0o644);
  return { cert: pems.cert, key: pems.private, certFile: join(opts.dataDir, 'tls', 'cert.pem') };
}
