/** Query and form parameters that carry a credential: never kept in a log as they were sent. */
export const SECRET_PARAMETERS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'id_token_hint',
  'code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'assertion',
  'token',
  'subject_token',
  'actor_token',
  'password',
  'logout_token',
  'device_code',
  'user_code',
]);

export const REDACTED = '[redacted]';

/** The parameters with each credential's value replaced by `[redacted]` (the name stays, for the log's reader). */
export function redactParameters(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = SECRET_PARAMETERS.has(k.toLowerCase()) ? REDACTED : v;
  return out;
}
