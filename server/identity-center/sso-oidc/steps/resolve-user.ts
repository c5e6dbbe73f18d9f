import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { findUsersByAttribute } from '../../identity-store/find-users-by-attribute.js';

/** The claim at a ClaimAttributePath: a top-level claim by its full name, else a dotted path into objects. */
export function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let cur: unknown = payload;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** 11. The claim at ClaimAttributePath matches IdentityStoreAttributePath of exactly one user. */
export const resolveUser: Step<'trustedIssuer' | 'assertion' | 'identityStore', 'user'> = {
  name: 'user-resolved',
  title: 'the mapped claim identifies exactly one Identity Store user',
  run(ctx) {
    const { ClaimAttributePath, IdentityStoreAttributePath } = ctx.trustedIssuer.record.TrustedTokenIssuerConfiguration.OidcJwtConfiguration;
    const value = claimAt(ctx.assertion.payload, ClaimAttributePath);
    const facts = { claimAttributePath: ClaimAttributePath, identityStoreAttributePath: IdentityStoreAttributePath, claimValue: value };
    if (typeof value !== 'string' || value === '') {
      throw new ExchangeFailure(
        'user.claim_missing',
        value === undefined
          ? `the assertion has no ${ClaimAttributePath} claim, which the trusted token issuer maps to the user's ${IdentityStoreAttributePath}`
          : `the ${ClaimAttributePath} claim is ${JSON.stringify(value)}, not a non-empty string`,
        `include ${ClaimAttributePath} in the token (request the scope that releases it), or change the trusted token issuer's ClaimAttributePath`,
        facts,
      );
    }
    const caseSensitive = ctx.profile.settings.attribute_match_case_sensitive.value;
    const users = findUsersByAttribute(ctx.identityStore, IdentityStoreAttributePath, value, { caseSensitive });
    if (users.length === 0) {
      throw new ExchangeFailure(
        'user.not_found',
        `no user in identity store ${ctx.identityStore.IdentityStoreId} has ${IdentityStoreAttributePath} = ${JSON.stringify(value)}`,
        `create the user (identitystore CreateUser) with ${IdentityStoreAttributePath} ${JSON.stringify(value)}, or map another claim`,
        facts,
      );
    }
    const [user] = users;
    if (users.length > 1 || !user) {
      throw new ExchangeFailure(
        'user.ambiguous',
        `${users.length} users have ${IdentityStoreAttributePath} = ${JSON.stringify(value)} (${users.map((u) => u.UserName).join(', ')}); the mapping must identify exactly one`,
        'map a unique attribute (userName, or a unique email)',
        { ...facts, userIds: users.map((u) => u.UserId) },
      );
    }
    return { reason: `${ClaimAttributePath} ${JSON.stringify(value)} is user ${user.UserName} (${user.UserId})`, facts: { ...facts, userId: user.UserId }, set: { user } };
  },
};
