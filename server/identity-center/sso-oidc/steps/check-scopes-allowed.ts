import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

/**
 * 13. Requested scopes ⊆ the application's access scopes plus the defaults (openid, aws,
 * sts:identity_context). No scope requested: all of them (model doc string). On refresh, and for
 * a code whose authorization request named scopes, they may not grow beyond the original grant.
 */
export const checkScopesAllowed: Step<'application', 'grantedScopes'> = {
  name: 'scopes-allowed',
  title: 'the requested scopes are the application\'s',
  run(ctx) {
    const app = ctx.application;
    const defaults = ctx.profile.settings.default_scopes.value;
    // A refresh, or a code redeemed after authorize asked for scopes, may not grow beyond the original grant.
    const original = ctx.authorizedScopes;
    const available = original ?? [...new Set([...Object.keys(app.AccessScopes), ...defaults])];
    const requested = ctx.request.scope;
    if (!requested || requested.length === 0) {
      return { reason: `no scope requested: granted all ${available.length} (${available.join(' ')})`, facts: { granted: available }, set: { grantedScopes: available } };
    }
    const missing = requested.filter((s) => !available.includes(s));
    if (missing.length) {
      throw new ExchangeFailure(
        'scope.invalid',
        `scope ${missing.map((s) => JSON.stringify(s)).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not available${original ? ' in the original grant' : ` to application "${app.Name}"`}; available: ${available.join(' ')}`,
        original ? 'ask for a subset of the original scopes' : `PutApplicationAccessScope for ${missing.join(', ')}`,
        { requested, available },
      );
    }
    const granted = [...new Set(requested)];
    return { reason: `granted ${granted.join(' ')}`, facts: { requested, available }, set: { grantedScopes: granted } };
  },
};
