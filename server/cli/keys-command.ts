import type { KeySummary } from '../../keys/key-store.js';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT } from '../lab/start-lab.js';
import { UsageError, type Command } from './command.js';
import { labRequest } from './lab-client.js';
import { offlineIssuer } from './offline-issuer.js';

const DEFAULT_ENDPOINT = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;

const table = (keys: KeySummary[]) =>
  keys.length === 0 ? '(no keys yet)' : keys.map((k) => `${k.status.padEnd(9)} ${k.alg.padEnd(5)} ${k.kid}  created ${k.createdAt}`).join('\n');

export const keysCommand: Command = {
  name: 'keys',
  summary: 'list, rotate or retire an issuer\'s signing keys',
  usage: `Usage: tti-lab keys list|rotate|retire [KID] --issuer NAME [options]

  list            the issuer's keys: the active signer first, then keys still published
  rotate          a new key becomes the signer; the old ones stay in the JWKS until retired
  retire KID      remove a published (not the active) key from the JWKS for good

Options:
  --issuer NAME   the issuer (required)
  --endpoint URL  the running lab (default ${DEFAULT_ENDPOINT})
  --offline       act on the data dir directly (stop the lab first), needs --config
  --config FILE   with --offline: the lab configuration
  --data-dir DIR  with --offline: the data dir (default: the config's data_dir, else
                  ${DEFAULT_DATA_DIR}/ in the working directory, as serve uses)
  --json          print JSON
  -h, --help      this help`,
  allowPositionals: true,
  options: {
    issuer: { type: 'string' },
    endpoint: { type: 'string' },
    offline: { type: 'boolean' },
    config: { type: 'string' },
    'data-dir': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(v, positionals, io) {
    const [action, kid] = positionals;
    const issuer = v.issuer as string | undefined;
    if (!action || !['list', 'rotate', 'retire'].includes(action)) throw new UsageError('expected an action: list, rotate or retire');
    if (!issuer) throw new UsageError('--issuer NAME is required');
    if (action === 'retire' && !kid) throw new UsageError('retire needs the KID to retire (see `tti-lab keys list`)');
    let keys: KeySummary[];
    if (v.offline) {
      const { keys: store, runtime } = await offlineIssuer({ config: v.config as string, dataDir: v['data-dir'] as string, issuer });
      const alg = runtime.config.algorithm;
      if (action === 'rotate') await store.rotate(issuer, alg);
      else if (action === 'retire') await store.retire(issuer, kid!);
      else await store.signingKey(issuer, alg);
      keys = await store.list(issuer);
    } else {
      const endpoint = (v.endpoint as string | undefined) ?? DEFAULT_ENDPOINT;
      const base = `/_lab/issuers/${encodeURIComponent(issuer)}/keys`;
      const res =
        action === 'list'
          ? await labRequest<{ keys: KeySummary[] }>(endpoint, 'GET', base)
          : action === 'rotate'
            ? await labRequest<{ keys: KeySummary[] }>(endpoint, 'POST', `${base}/rotate`, {})
            : await labRequest<{ keys: KeySummary[] }>(endpoint, 'POST', `${base}/retire`, { kid });
      keys = res.keys;
    }
    io.out(v.json ? JSON.stringify({ keys }, null, 2) : table(keys));
    return 0;
  },
};
