import type { IdentityCenterState } from '../state/model.js';
import { conflict, type SsoAdminCall } from './sso-admin-operation.js';
import { sha256 } from '../../util/sha256.js';

/**
 * How long a ClientToken is remembered: 24 hours (assumed; AWS does not say for SSO Admin). Older
 * records are dropped whenever a new one is written, so the state does not grow without bound
 * (the SDK sends a fresh random ClientToken with every Create call).
 */
export const CLIENT_TOKEN_TTL_SECONDS = 24 * 3600;

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/** The request's parameters other than the token, in a canonical form (member order does not matter). */
const inputHash = (input: Record<string, unknown>): string => {
  const { ClientToken: _token, ...rest } = input;
  return sha256(canonical(rest), 'hex');
};

const keyOf = (call: SsoAdminCall, token: string) => `${call.operation.name}/${call.accountId}/${token}`;

/**
 * The result a ClientToken already produced, if any. The same token with the same parameters gives
 * the first call's result again, and nothing new is created; the same token with other parameters
 * is what the model's documentation calls "IdempotentParameterMismatch", which this model has no
 * exception for: ConflictException (assumed).
 */
export function replayClientToken(state: Readonly<IdentityCenterState>, call: SsoAdminCall, token: string | undefined): { result: unknown } | undefined {
  if (token === undefined) return undefined;
  const seen = state.clientTokens[keyOf(call, token)];
  if (!seen || seen.at + CLIENT_TOKEN_TTL_SECONDS <= call.now()) return undefined;
  if (seen.inputHash !== inputHash(call.input)) {
    throw conflict(`The ClientToken ${token} was already used with different parameters`, `IdempotentParameterMismatch: first used by ${seen.operation} at ${seen.at}`);
  }
  return { result: seen.result };
}

/** Records what a ClientToken produced (in the same state change that produced it). */
export function rememberClientToken(draft: IdentityCenterState, call: SsoAdminCall, token: string | undefined, result: unknown): void {
  if (token === undefined) return;
  const now = call.now();
  for (const [key, record] of Object.entries(draft.clientTokens)) {
    if (record.at + CLIENT_TOKEN_TTL_SECONDS <= now) delete draft.clientTokens[key];
  }
  draft.clientTokens[keyOf(call, token)] = { operation: call.operation.name, inputHash: inputHash(call.input), result, at: now };
}

/** Inside `state.mutate`: replays a seen token, or runs `create` and remembers what it made. */
export function idempotent<R>(draft: IdentityCenterState, call: SsoAdminCall, token: string | undefined, create: () => R): R {
  const replay = replayClientToken(draft, call, token);
  if (replay) return replay.result as R;
  const result = create();
  rememberClientToken(draft, call, token, result);
  return result;
}
