import { AwsError } from '../../aws/aws-error.js';
import { NO_CONSTRAINTS } from '../../aws/model/constraint-table.js';
import { readInput } from '../../aws/model/read-input.js';
import { loadServiceModel } from '../../aws/model/service-models.js';

/** SSO OIDC's operations the lab reads bodies for. */
export type OidcOperation = 'CreateTokenWithIAM' | 'CreateToken' | 'RegisterClient' | 'StartDeviceAuthorization';

/**
 * Reads an SSO OIDC restJson1 body into its operation's input by the sso-oidc model (`readInput`):
 * each member's type (strings, lists of strings), unknown members dropped, as restJson services do.
 * Required members are left to the operation's steps, whose answers the behaviour profile gives
 * (`client.missing` …). Returns the input, or why the body is not the modelled shape — the reason
 * the caller answers with the profile's `request.malformed`.
 */
export async function readOidcRequest<T extends object>(operation: OidcOperation, body: Buffer): Promise<T | string> {
  let raw: unknown;
  try {
    raw = body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    return 'the body is not valid JSON';
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'the body must be a JSON object';
  const model = await loadServiceModel('sso-oidc');
  try {
    return readInput(model, NO_CONSTRAINTS, model.operations[operation]!.input, raw, { requiredMembers: false }) as T;
  } catch (err) {
    if (err instanceof AwsError) return `the body is not ${operation}'s modelled shape: ${err.message}`;
    throw err;
  }
}
