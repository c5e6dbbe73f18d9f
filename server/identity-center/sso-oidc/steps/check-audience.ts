import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

const looksLikeApi = (a: string) => /^(api:\/\/|https?:\/\/|urn:)/.test(a);

function hint(tokenAud: string[], allowed: string[]): string | undefined {
  for (const t of tokenAud) {
    for (const a of allowed) {
      if (t.toLowerCase() === a.toLowerCase()) return `${JSON.stringify(t)} and ${JSON.stringify(a)} differ only in letter case; aud is compared exactly`;
      if (t.replace(/\/+$/, '') === a.replace(/\/+$/, '')) return `${JSON.stringify(t)} and ${JSON.stringify(a)} differ only by a trailing slash; aud is compared exactly`;
    }
  }
  if (tokenAud.length && tokenAud.every(looksLikeApi)) {
    return 'the token\'s aud looks like an API identifier: this may be an access token, whose aud is the API (resource) it is for, not your application\'s client id; ID tokens carry your client id';
  }
  return undefined;
}

/**
 * 9. The token's `aud` — a string or an array — shares at least one value with the
 * AuthorizedAudiences listed for its issuer in the application's jwt-bearer grant.
 * RFC 7519 §4.1.3: "Each principal intended to process the JWT MUST identify itself with a value
 * in the audience claim. If the principal processing the claim does not identify itself with a
 * value in the "aud" claim when this claim is present, then the JWT MUST be rejected."
 */
export const checkAudience: Step = {
  name: 'audience-authorized',
  title: 'aud contains an audience the grant authorizes for this issuer',
  run(ctx) {
    const raw = ctx.assertion!.payload.aud;
    const { record, audiences } = ctx.trustedIssuer!;
    const app = ctx.application!;
    const facts = { tokenAud: raw, authorizedAudiences: audiences, trustedTokenIssuer: record.Name };
    if (raw === undefined) {
      throw new ExchangeFailure(
        'aud.missing',
        'the assertion has no aud claim; Identity Center accepts a token only if its aud names one of the audiences the application trusts for this issuer',
        `mint the token for your application: its aud must be one of ${audiences.map((a) => JSON.stringify(a)).join(', ')}`,
        facts,
      );
    }
    const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) && raw.every((a) => typeof a === 'string') ? (raw as string[]) : undefined;
    if (!list) throw new ExchangeFailure('aud.invalid', `aud must be a string or an array of strings (RFC 7519 §4.1.3), got ${JSON.stringify(raw)}`, undefined, facts);
    if (list.length === 0) {
      throw new ExchangeFailure('aud.mismatch', 'aud is an empty array, so the token is intended for nobody', `mint it with aud ${JSON.stringify(audiences[0])}`, facts);
    }
    const match = list.find((a) => audiences.includes(a));
    if (!match) {
      const why = hint(list, audiences);
      throw new ExchangeFailure(
        'aud.mismatch',
        `aud ${JSON.stringify(raw)} shares no value with the AuthorizedAudiences ${JSON.stringify(audiences)} that application "${app.Name}" trusts for issuer "${record.Name}"${why ? `; ${why}` : ''}`,
        `add ${JSON.stringify(list[0])} to AuthorizedAudiences for trusted token issuer "${record.Name}" in application "${app.Name}"'s jwt-bearer grant (PutApplicationGrant), if this token really is meant for your application`,
        facts,
      );
    }
    return { reason: `aud ${JSON.stringify(raw)} contains ${JSON.stringify(match)}, which the grant authorizes`, facts: { ...facts, matched: match } };
  },
};
