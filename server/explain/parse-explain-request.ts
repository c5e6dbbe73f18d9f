import { LabError } from '../lab/lab-error.js';
import type { ExplainRequest } from './explain-token.js';

const FIELDS = ['token', 'applicationArn', 'caller', 'scope', 'whatIf'] as const;
const CALLER = /^(\d{12}|arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+)$/;

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (message: string) => new LabError(400, 'invalid_explain_request', message);

/**
 * Checks the body of `POST /_lab/explain` and returns it typed, or throws a 400 naming the field.
 * Unknown fields are refused, as a typo must not silently explain something else.
 */
export function parseExplainRequest(body: unknown): ExplainRequest {
  if (!isObject(body)) throw bad(`expected a JSON object such as {"token": "<jwt>"}, got ${describe(body)}`);
  for (const key of Object.keys(body)) {
    if (!(FIELDS as readonly string[]).includes(key)) throw bad(`${key}: unknown field; expected one of ${FIELDS.join(', ')}`);
  }
  const { token, applicationArn, caller, scope, whatIf } = body;
  if (typeof token !== 'string' || token === '') throw bad(`token: expected the JWT as a string, got ${token === '' ? 'an empty string' : describe(token)}`);
  const out: ExplainRequest = { token };
  if (applicationArn !== undefined) {
    if (typeof applicationArn !== 'string' || applicationArn === '') throw bad(`applicationArn: expected an application ARN, got ${describe(applicationArn)}`);
    out.applicationArn = applicationArn;
  }
  if (caller !== undefined) {
    if (typeof caller !== 'string' || !CALLER.test(caller)) throw bad('caller: expected an IAM principal ARN (arn:aws:iam::123456789012:role/Name) or a 12-digit account id');
    out.caller = caller;
  }
  if (scope !== undefined) {
    if (!Array.isArray(scope) || !scope.every((s) => typeof s === 'string' && s !== '')) throw bad('scope: expected a list of scope strings');
    out.scope = scope as string[];
  }
  if (whatIf !== undefined) {
    if (out.applicationArn === undefined) throw bad('whatIf: needs applicationArn, the application whose audiences it replaces');
    const audiences = isObject(whatIf) ? whatIf.authorizedAudiences : undefined;
    if (!isObject(whatIf) || Object.keys(whatIf).some((k) => k !== 'authorizedAudiences') || !Array.isArray(audiences)) {
      throw bad('whatIf: expected {"authorizedAudiences": ["<aud>", …]}');
    }
    // The same limits PutApplicationGrant enforces (AuthorizedTokenIssuer.AuthorizedAudiences).
    if (audiences.length < 1 || audiences.length > 10) {
      throw bad(`whatIf.authorizedAudiences: expected 1 to 10 audiences, as PutApplicationGrant allows per trusted token issuer; got ${audiences.length}`);
    }
    audiences.forEach((a, i) => {
      if (typeof a !== 'string' || a.length < 1 || a.length > 512) throw bad(`whatIf.authorizedAudiences[${i}]: expected a string of 1 to 512 characters`);
    });
    out.whatIf = { authorizedAudiences: audiences as string[] };
  }
  return out;
}
