import { MINT_VARIANTS, mintToken, type MintRequest, type MintResult, type MintVariant } from '../issuer/mint/mint-token.js';
import { systemClock } from '../../shared/clock.js';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT } from '../lab/start-lab.js';
import { UsageError, type Command } from './command.js';
import { labRequest } from './lab-client.js';
import { offlineIssuer } from './offline-issuer.js';
import { parseAssignment } from './parse-claim.js';

const DEFAULT_ENDPOINT = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;

export function formatMint(result: MintResult): string {
  return [
    `variant: ${result.variant} — ${result.note}`,
    '',
    'header:',
    JSON.stringify(result.header, null, 2),
    '',
    'payload:',
    JSON.stringify(result.payload, null, 2),
    '',
    'token:',
    result.token,
  ].join('\n');
}

export const mintCommand: Command = {
  name: 'mint',
  summary: 'mint a JWT from a lab issuer: any aud, times, claims, or a deliberately broken one',
  usage: `Usage: tti-lab mint --issuer NAME [options]

Asks a running lab (or, with --offline, the data dir) for a signed JWT, and prints the decoded
header and payload beside the token.

Options:
  --issuer NAME        the issuer (required)
  --user SUB           start from this configured user's claims
  --sub VALUE          the sub claim
  --aud VALUE          an audience; repeat for an array (--aud a --aud b); omit for no aud
  --aud-array          make aud an array even with one value
  --claim NAME=VALUE   any claim; VALUE is read as JSON when it parses (repeatable)
  --iat/--nbf/--exp T  epoch seconds, ISO date, or relative: +1h, -5m, +30s, +2d; "none" leaves it out
  --header NAME=VALUE  header override: alg, kid, typ … (repeatable)
  --variant V          ${MINT_VARIANTS.join(' | ')} (default valid)
  --endpoint URL       the lab (default ${DEFAULT_ENDPOINT}); with --offline, the lab URL for iss
  --offline            mint from the data dir's keys, with no lab running (needs --config)
  --config FILE        with --offline: the lab configuration
  --data-dir DIR       with --offline: the data dir (default: the config's data_dir, else
                       ${DEFAULT_DATA_DIR}/ in the working directory, as serve uses)
  --json               print the whole result as JSON
  --token-only         print only the token (for scripts)
  -h, --help           this help

Example, with examples/lab.yaml:
  tti-lab mint --issuer okta --user 00u1alice --aud 0oa1b2c3d4e5f6g7h8i9 --exp +10m`,
  options: {
    issuer: { type: 'string' },
    user: { type: 'string' },
    sub: { type: 'string' },
    aud: { type: 'string', multiple: true },
    'aud-array': { type: 'boolean' },
    claim: { type: 'string', multiple: true },
    iat: { type: 'string' },
    nbf: { type: 'string' },
    exp: { type: 'string' },
    header: { type: 'string', multiple: true },
    variant: { type: 'string' },
    endpoint: { type: 'string' },
    offline: { type: 'boolean' },
    config: { type: 'string' },
    'data-dir': { type: 'string' },
    json: { type: 'boolean' },
    'token-only': { type: 'boolean' },
  },
  async run(v, _positionals, io) {
    const issuer = v.issuer as string | undefined;
    if (!issuer) throw new UsageError('--issuer NAME is required');
    const req: MintRequest = { claims: {} };
    if (v.user) req.user = v.user as string;
    for (const c of (v.claim as string[] | undefined) ?? []) {
      const [k, val] = parseAssignment(c, '--claim');
      req.claims![k] = val;
    }
    if (v.sub !== undefined) req.claims!.sub = v.sub;
    const aud = v.aud as string[] | undefined;
    if (v['aud-array'] && !aud?.length) throw new UsageError('--aud-array makes the --aud values an array; give at least one --aud');
    if (aud?.length) req.claims!.aud = aud.length === 1 && !v['aud-array'] ? aud[0] : aud;
    for (const t of ['iat', 'nbf', 'exp'] as const) {
      const given = v[t] as string | undefined;
      if (given === undefined) continue;
      req[t] = given === 'none' ? null : /^\d+$/.test(given) ? Number(given) : given;
    }
    const headers = (v.header as string[] | undefined) ?? [];
    if (headers.length) req.header = Object.fromEntries(headers.map((h) => parseAssignment(h, '--header')));
    if (v.variant !== undefined) {
      if (!MINT_VARIANTS.includes(v.variant as MintVariant)) throw new UsageError(`--variant: expected one of ${MINT_VARIANTS.join(', ')}`);
      req.variant = v.variant as MintVariant;
    }
    let result: MintResult;
    if (v.offline) {
      const { runtime } = await offlineIssuer({ config: v.config as string, dataDir: v['data-dir'] as string, issuer, endpoint: v.endpoint as string });
      result = await mintToken(runtime.mintSource(), req, systemClock);
    } else {
      const endpoint = (v.endpoint as string | undefined) ?? DEFAULT_ENDPOINT;
      result = await labRequest<MintResult>(endpoint, 'POST', `/issuers/${encodeURIComponent(issuer)}/mint`, req);
    }
    io.out(v.json ? JSON.stringify(result, null, 2) : v['token-only'] ? result.token : formatMint(result));
    return 0;
  },
};
