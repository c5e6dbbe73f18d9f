import type { ApplicationRecord } from '../../state/model.js';
import type { ClientRef } from '../tokens/credential-store.js';
import type { PublicClientRecord } from './public-clients.js';

/** The authorization request's parameters (RFC 6749 §4.1.1, RFC 7636 §4.3) the lab reads. */
export const AUTHORIZE_PARAMETERS = ['client_id', 'redirect_uri', 'response_type', 'code_challenge', 'code_challenge_method', 'state', 'scope', 'scopes'] as const;
export type AuthorizeParameter = (typeof AUTHORIZE_PARAMETERS)[number];

/** The client an authorization request names, as the authorize steps resolved it. */
export interface AuthorizeClient extends ClientRef {
  name: string;
  application?: ApplicationRecord;
  publicClient?: PublicClientRecord;
}

/**
 * One request to the authorize endpoint: its parameters (each at most once), the login form's
 * answer when it is the form being posted (what the authorize steps establish is in the run's context).
 */
export interface AuthorizeRequest {
  params: Partial<Record<AuthorizeParameter, string>>;
  /** Parameters given more than once (RFC 6749 §3.1 forbids it). */
  repeated: AuthorizeParameter[];
  /** The instance id of an instance-scoped authorize path (`/identity-center/<ssoins-…>/authorize`). */
  pathInstanceId?: string;
  /** The login form's answer: which user signed in, or that the user cancelled. Absent on GET. */
  form?: { decision: 'approve' | 'deny'; userId?: string; crossSite?: string };
}

/** Reads the OAuth parameters from a query string or form body, noting repeated ones. */
export function readAuthorizeParams(search: URLSearchParams): Pick<AuthorizeRequest, 'params' | 'repeated'> {
  const params: AuthorizeRequest['params'] = {};
  const repeated: AuthorizeParameter[] = [];
  for (const name of AUTHORIZE_PARAMETERS) {
    const values = search.getAll(name);
    if (values.length > 1) repeated.push(name);
    const [first] = values;
    if (first !== undefined) params[name] = first;
  }
  return { params, repeated };
}

/** The parameters again, as hidden form fields or a query, so the login form posts the same request. */
export const authorizeParamEntries = (req: AuthorizeRequest): [string, string][] =>
  AUTHORIZE_PARAMETERS.flatMap((name) => {
    const value = req.params[name];
    return value === undefined ? [] : [[name, value] as [string, string]];
  });
