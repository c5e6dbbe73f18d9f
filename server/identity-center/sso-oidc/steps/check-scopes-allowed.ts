import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

/**
 * 13. Requested scopes ⊆ the application's access scopes plus the defaults (openid, aws,
 * sts:identity_context). No scope requested: all of them (model doc string). On refresh, the
 * scopes may not grow beyond those of the original grant.
 */
export const checkScopesAllowed: Step = {
  name: 'scopes-allowed',
  title: 'the requested scopes are the application\'s',
  run(ctx) {
    const app = ctx.application!;
    const defaults = ctx.profile.settings.default_scopes.value;
    const available = ctx.refresh ? ctx.refresh.scopes : [...new Set([...Object.keys(app.AccessScopes), ...defaults])];
    const requested = ctx.request.scope;
    if (!requested || requested.length === 0) {
      ctx.grantedScopes = available;
      return { reason: `no scope requested: granted all ${available.length} (${available.join(' ')})`, facts: { granted: available } };
    }
    const missing = requested.filter((s) => !available.includes(s));
    if (missing.length) {
      throw new ExchangeFailure(
        'scope.invalid',
        `scope ${missing.map((s) => JSON.stringify(s)).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not available${ctx.refresh ? ' in the original grant' : ` to application "${app.Name}"`}; available: ${available.join(' ')}`,
        ctx.refresh ? 'ask for a subset of the original scopes' : `PutApplicationAccessScope for ${missing.join(', ')}`,
        { requested, available },
      );
    }
    ctx.grantedScopes = [...new Set(requested)];
    return { reason: `granted ${ctx.grantedScopes.join(' ')}`, facts: { requested, available } };
  },
};
