import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { CODE_VERIFIER, verifierMatches } from '../oauth-server/pkce.js';

/** The authorization_code grant: BASE64URL(SHA256(codeVerifier)) equals the code_challenge (RFC 7636 §4.6). */
export const checkPkce: Step<'code'> = {
  name: 'pkce-verified',
  title: 'the code verifier matches the code challenge (PKCE)',
  run(ctx) {
    const challenge = ctx.code.codeChallenge;
    const verifier = ctx.request.codeVerifier;
    if (challenge === undefined) return { reason: 'the authorization request had no code_challenge (the profile does not require PKCE)' };
    if (!verifier) throw new ExchangeFailure('code.pkce_missing', 'the code was issued for a code_challenge, and codeVerifier is missing', 'pass the code_verifier the challenge was made from as codeVerifier');
    if (!CODE_VERIFIER.test(verifier)) {
      throw new ExchangeFailure('code.pkce_mismatch', `codeVerifier is not a PKCE verifier: 43–128 characters of A–Z a–z 0–9 - . _ ~ (RFC 7636 §4.1); it has ${verifier.length} characters`, 'pass the code_verifier itself, not the challenge');
    }
    if (!verifierMatches(verifier, challenge)) {
      throw new ExchangeFailure('code.pkce_mismatch', 'BASE64URL(SHA256(codeVerifier)) is not the code_challenge of the authorization request', 'pass the verifier that made this challenge (each sign-in makes a new pair)', { challenge });
    }
    return { reason: 'SHA-256 of the verifier is the challenge (S256)' };
  },
};
