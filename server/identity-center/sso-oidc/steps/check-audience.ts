import { classifyToken } from '../../../explain/token-kind.js';
import { oneEditApart } from '../../../util/one-edit-apart.js';
import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

const looksLikeApi = (a: string) => /^(api:\/\/|https?:\/\/|urn:)/.test(a);
const q = (v: unknown) => JSON.stringify(v);

/** How a token's aud and an authorized audience one character apart differ, in words (positions count from 1). */
function typoHint(t: string, a: string): string | undefined {
  const edit = oneEditApart(t, a);
  if (!edit) return undefined;
  const where = `at position ${edit.index + 1}`;
  const what =
    edit.kind === 'substitution'
      ? `the token has ${q(edit.from)} where AuthorizedAudiences has ${q(edit.to)}`
      : edit.kind === 'insertion'
        ? `AuthorizedAudiences has ${q(edit.to)}, which the token's aud lacks`
        : edit.kind === 'deletion'
          ? `the token's aud has an extra ${q(edit.from)}`
          : `the token has ${q(edit.from)} where AuthorizedAudiences has ${q(edit.to)}`;
  const how = edit.kind === 'transposition' ? `by two adjacent characters swapped, at positions ${edit.index + 1}–${edit.index + 2}` : `by one character, ${where}`;
  return `${q(t)} and ${q(a)} differ only ${how}: ${what} — a typo? aud is compared exactly`;
}

/** Why no value matched, when the values nearly do: letter case, a trailing slash, or one character. */
function nearMiss(tokenAud: string[], allowed: string[]): string | undefined {
  for (const t of tokenAud) {
    for (const a of allowed) {
      if (t.toLowerCase() === a.toLowerCase()) return `${q(t)} and ${q(a)} differ only in letter case; aud is compared exactly`;
      if (t.replace(/\/+$/, '') === a.replace(/\/+$/, '')) return `${q(t)} and ${q(a)} differ only by a trailing slash; aud is compared exactly`;
    }
  }
  for (const t of tokenAud) {
    for (const a of allowed) {
      const typo = typoHint(t, a);
      if (typo) return typo;
    }
  }
  return undefined;
}

/**
 * A token's `aud` (a string, or an array of strings: RFC 7519 §4.1.3) as a list — undefined when it
 * has another shape — and the first value in `allowed`. STS's AssumeRoleWithWebIdentity matches a
 * web identity token's aud against the provider's client ids with it too.
 */
export function matchAudience(raw: unknown, allowed: readonly string[]): { list?: string[]; match?: string } {
  const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) && raw.every((a) => typeof a === 'string') ? (raw as string[]) : undefined;
  const match = list?.find((a) => allowed.includes(a));
  return { list, match };
}

/**
 * 9. The token's `aud` — a string or an array — shares at least one value with the
 * AuthorizedAudiences listed for its issuer in the application's jwt-bearer grant.
 * RFC 7519 §4.1.3: "Each principal intended to process the JWT MUST identify itself with a value
 * in the audience claim. If the principal processing the claim does not identify itself with a
 * value in the "aud" claim when this claim is present, then the JWT MUST be rejected."
 */
export const checkAudience: Step<'assertion' | 'trustedIssuer' | 'application'> = {
  name: 'audience-authorized',
  title: 'aud contains an audience the grant authorizes for this issuer',
  run(ctx) {
    const raw = ctx.assertion.payload.aud;
    const { record, audiences } = ctx.trustedIssuer;
    const app = ctx.application;
    const facts = { tokenAud: raw, authorizedAudiences: audiences, trustedTokenIssuer: record.Name };
    if (raw === undefined) {
      throw new ExchangeFailure(
        'aud.missing',
        'the assertion has no aud claim; Identity Center accepts a token only if its aud names one of the audiences the application trusts for this issuer',
        `mint the token for your application: its aud must be one of ${audiences.map((a) => JSON.stringify(a)).join(', ')}`,
        facts,
      );
    }
    const { list, match } = matchAudience(raw, audiences);
    if (!list) throw new ExchangeFailure('aud.invalid', `aud must be a string or an array of strings (RFC 7519 §4.1.3), got ${JSON.stringify(raw)}`, undefined, facts);
    if (list.length === 0) {
      throw new ExchangeFailure('aud.mismatch', 'aud is an empty array, so the token is intended for nobody', `mint it with aud ${JSON.stringify(audiences[0])}`, facts);
    }
    if (match === undefined) {
      const near = nearMiss(list, audiences);
      // An access token (or a token whose every aud names an API) most likely is the wrong token,
      // not a wrong grant: the fix leads with the ID token. Advice only; the check is the same.
      const { header, payload } = ctx.assertion;
      const kind = classifyToken(header, payload).kind;
      const accessLike = !near && (kind === 'access_token' || (kind !== 'id_token' && list.every(looksLikeApi)));
      const why = near ?? (list.every(looksLikeApi) ? 'the token\'s aud looks like an API identifier: this may be an access token, whose aud is the API (resource) it is for, not your application\'s client id; ID tokens carry your client id' : undefined);
      const add = `add ${q(list[0])} to AuthorizedAudiences for trusted token issuer "${record.Name}" in application "${app.Name}"'s jwt-bearer grant (PutApplicationGrant)`;
      throw new ExchangeFailure(
        'aud.mismatch',
        `aud ${q(raw)} shares no value with the AuthorizedAudiences ${q(audiences)} that application "${app.Name}" trusts for issuer "${record.Name}"${why ? `; ${why}` : ''}`,
        accessLike
          ? `exchange your application's ID token instead: ${kind === 'access_token' ? 'this is an access token, and its' : 'this token\'s'} aud ${list.map((v) => q(v)).join(', ')} names an API, not your client id; an ID token's aud is your client id, which is what AuthorizedAudiences lists (here: ${audiences.map((a) => q(a)).join(', ')}). Only if this token really is meant for your application: ${add}`
          : `${add}, if this token really is meant for your application`,
        facts,
      );
    }
    return { reason: `aud ${JSON.stringify(raw)} contains ${JSON.stringify(match)}, which the grant authorizes`, facts: { ...facts, matched: match } };
  },
};
