import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { S256_CHALLENGE } from '../oauth-server/pkce.js';

/** Authorize 5. response_type is `code`, the only one Identity Center's flow uses. */
export const checkResponseType: Step<'authorize'> = {
  name: 'authorize-response-type-code',
  title: 'response_type is code',
  run(ctx) {
    const type = ctx.authorize.params.response_type;
    if (type !== 'code') {
      throw new ExchangeFailure(
        'authorize.response_type_unsupported',
        type === undefined ? 'the authorization request has no response_type' : `response_type ${JSON.stringify(type)} is not supported; only code (the authorization code flow) is`,
        'send response_type=code',
        { responseType: type },
      );
    }
    return { reason: 'response_type is code' };
  },
};

/** Authorize 6. An S256 code_challenge (RFC 7636 §4.3), required unless the profile says otherwise. */
export const checkCodeChallenge: Step<'authorize'> = {
  name: 'authorize-pkce-challenge',
  title: 'the request carries an S256 code_challenge',
  run(ctx) {
    const a = ctx.authorize;
    const { code_challenge: challenge, code_challenge_method: method } = a.params;
    const required = ctx.profile.settings.authorization_code_require_pkce.value;
    if (challenge === undefined) {
      if (required) throw new ExchangeFailure('authorize.pkce_required', 'the authorization request has no code_challenge; PKCE (S256) is required', 'send code_challenge = BASE64URL(SHA256(code_verifier)) and code_challenge_method=S256');
      return { reason: 'no code_challenge, and the profile does not require PKCE' };
    }
    if (method !== 'S256') {
      throw new ExchangeFailure(
        'authorize.pkce_method_unsupported',
        method === undefined ? 'code_challenge_method is missing, which means plain (RFC 7636 §4.3); only S256 is accepted' : `code_challenge_method ${JSON.stringify(method)} is not supported; only S256 is`,
        'send code_challenge_method=S256',
        { method },
      );
    }
    if (!S256_CHALLENGE.test(challenge)) {
      throw new ExchangeFailure(
        'authorize.pkce_method_unsupported',
        `code_challenge ${JSON.stringify(challenge)} is not an S256 challenge (43 base64url characters, no padding)`,
        'send BASE64URL(SHA256(code_verifier)) without = padding',
        { challenge },
      );
    }
    return { reason: 'an S256 code_challenge', set: { codeChallenge: challenge } };
  },
};

/**
 * Authorize 7. The requested scopes (`scope`, space-separated; or `scopes`, as some AWS tools send
 * it) are the client's: an application's access scopes plus the defaults, a public client's
 * registered scopes. None requested: decided at the token endpoint.
 */
export const checkAuthorizeScopes: Step<'authorize' | 'authorizeClient'> = {
  name: 'authorize-scopes-allowed',
  title: 'the requested scopes are the client\'s',
  run(ctx) {
    const a = ctx.authorize;
    const raw = a.params.scope ?? a.params.scopes;
    const requested = raw === undefined ? [] : [...new Set(raw.split(' ').filter(Boolean))];
    if (requested.length === 0) return { reason: 'no scope requested' };
    const client = ctx.authorizeClient;
    const { application, publicClient } = client;
    const available = publicClient ? publicClient.scopes : [...new Set([...Object.keys(application?.AccessScopes ?? {}), ...ctx.profile.settings.default_scopes.value])];
    const missing = requested.filter((s) => !available.includes(s));
    if (missing.length) {
      throw new ExchangeFailure(
        'authorize.scope_invalid',
        `scope ${missing.map((s) => JSON.stringify(s)).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not available to "${client.name}"; available: ${available.join(' ') || 'none'}`,
        publicClient ? 'register the client with these scopes' : `PutApplicationAccessScope for ${missing.join(', ')}`,
        { requested, available },
      );
    }
    return { reason: `scopes ${requested.join(' ')}`, facts: { requested, available }, set: { requestedScopes: requested } };
  },
};
