import { DEFAULT_HOST, DEFAULT_PORT } from '../lab/start-lab.js';
import type { ExplainReport } from '../explain/explain-report.js';
import { explainOffline, type ExplainRequest } from '../explain/explain-token.js';
import { formatExplanation } from '../explain/format-explanation.js';
import { UsageError, type Command } from './command.js';
import { labRequest, LabRequestError } from './lab-client.js';

const DEFAULT_ENDPOINT = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;

/** Exit codes: what the explanation concluded, so scripts can branch on it. */
export const EXPLAIN_EXIT = { accepted: 0, refused: 1, unchecked: 3 } as const;

export const explainCommand: Command = {
  name: 'explain',
  summary: 'why a JWT would be accepted or refused: every exchange check, read-only, with the fix',
  usage: `Usage: tti-lab explain <jwt> [options]

Decodes the token, then asks a running lab to run it through CreateTokenWithIAM's own checks,
read-only (nothing is changed or logged), and prints each check with its verdict, its reason and
the fix. Without --application: every application whose jwt-bearer grant trusts the token's
issuer. With no lab running it still decodes the token and says what its aud means, and says
plainly that nothing was checked against a configuration.

Options:
  --application ARN    check against this application only
  --caller ARN         also check the ActorPolicy for this IAM principal (or a 12-digit account)
  --scope S            a scope the exchange would request (repeatable)
  --endpoint URL       the lab (default ${DEFAULT_ENDPOINT})
  --offline            do not contact a lab: decode and advise only
  --json               print the explanation as JSON (a stable structure, "version": 1)
  -h, --help           this help

Exit codes: 0 accepted (by the application, or by at least one); 1 refused, or the lab refused
the request; 2 usage; 3 not checked (no lab answered, or --offline).

Example:
  tti-lab explain "$(tti-lab mint --issuer okta --user 00u1alice --aud api://default --token-only)"`,
  options: {
    application: { type: 'string' },
    caller: { type: 'string' },
    scope: { type: 'string', multiple: true },
    endpoint: { type: 'string' },
    offline: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  allowPositionals: true,
  async run(v, positionals, io) {
    if (positionals.length === 0) throw new UsageError('expected the JWT to explain: tti-lab explain <jwt>');
    if (positionals.length > 1) throw new UsageError(`expected one JWT, got ${positionals.length} arguments (quote the token?)`);
    const token = positionals[0]!.trim();
    if (token === '') throw new UsageError('the JWT is empty');
    const request: ExplainRequest = { token };
    if (v.application !== undefined) request.applicationArn = v.application as string;
    if (v.caller !== undefined) request.caller = v.caller as string;
    const scope = v.scope as string[] | undefined;
    if (scope?.length) request.scope = scope;
    const endpoint = (v.endpoint as string | undefined) ?? DEFAULT_ENDPOINT;
    let report: ExplainReport;
    if (v.offline) {
      report = explainOffline(token, '--offline: no lab was asked');
    } else {
      try {
        report = await labRequest<ExplainReport>(endpoint, 'POST', '/_lab/explain', request);
      } catch (err) {
        if (!(err instanceof LabRequestError) || err.code !== 'unreachable') throw err;
        report = explainOffline(token, `no lab answered at ${endpoint}`);
      }
    }
    io.out(v.json ? JSON.stringify(report, null, 2) : formatExplanation(report));
    if (report.verdict === 'unchecked') return report.token.error ? EXPLAIN_EXIT.refused : EXPLAIN_EXIT.unchecked;
    return EXPLAIN_EXIT[report.verdict];
  },
};
