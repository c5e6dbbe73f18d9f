import type { LabServices } from '../lab/lab-services.js';
import type { IdentityCenter } from '../identity-center/identity-center.js';
import type { IdentityCenterState } from '../identity-center/state/model.js';
import type { SsoOidc } from '../identity-center/sso-oidc/sso-oidc.js';
import type { ExchangeContext, TokenRequest } from '../identity-center/sso-oidc/exchange/exchange-context.js';

/**
 * The context for running one step on its own, read-only (explain uses the issuer-trusted step to
 * find the applications that trust a token's issuer, and the assertion-well-formed step to say why
 * a token does not decode). It holds the lab's own services and what the step reads; a whole
 * pipeline always runs through `SsoOidc`, which builds the full context itself.
 */
export function stepContext(lab: LabServices, request: TokenRequest, established: Partial<ExchangeContext> = {}): ExchangeContext {
  const sso = lab.ssoOidc;
  return {
    request,
    principal: null,
    now: lab.clock.now(),
    readOnly: true,
    ic: sso.ic,
    profile: sso.profile,
    issuerKeys: sso.issuerKeys,
    tokens: sso.tokens,
    ...established,
  } as ExchangeContext;
}

/**
 * The lab's SsoOidc seeing a variant of the Identity Center state — the aud lesson's "what if the
 * grant listed these audiences" — so the real pipeline runs against it without changing the real
 * configuration. Everything else (profile, keys, tokens, replay cache) is the lab's own; the steps
 * read Identity Center state only through `ctx.ic.state.read`. Use read-only runs only.
 */
export function ssoOidcSeeing(lab: LabServices, state: Readonly<IdentityCenterState>): SsoOidc {
  const ic = Object.create(lab.ssoOidc.ic, { state: { value: { read: state } } }) as IdentityCenter;
  return Object.create(lab.ssoOidc, { ic: { value: ic } }) as SsoOidc;
}
