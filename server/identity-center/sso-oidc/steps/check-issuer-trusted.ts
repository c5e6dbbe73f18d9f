import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import type { BehaviourProfile } from '../../profile/behaviour-profile.js';
import type { ApplicationRecord, IdentityCenterState, InstanceRecord, TrustedTokenIssuerRecord } from '../../state/model.js';

const IDENTITY_CENTER_ISS = /^https:\/\/identitycenter\.amazonaws\.com\/ssoins-/;

function nearMiss(iss: string, url: string): string | undefined {
  const strip = (s: string) => s.replace(/\/+$/, '');
  if (strip(iss) === strip(url)) return 'they differ only by a trailing slash';
  if (iss.replace(/^https?:/, '') === url.replace(/^https?:/, '')) return 'they differ only in http vs https';
  if (iss.toLowerCase() === url.toLowerCase()) return 'they differ only in letter case';
  if (iss.startsWith(url) || url.startsWith(iss)) return 'one is a prefix of the other (another path?)';
  if (url.endsWith('/.well-known/openid-configuration')) return 'the IssuerUrl includes /.well-known/openid-configuration, which it must not';
  return undefined;
}

/** The trusted token issuer an application's jwt-bearer grant authorizes for a token, and the audiences it allows. */
export interface TrustedIssuerMatch {
  record: TrustedTokenIssuerRecord;
  audiences: string[];
}

/**
 * Which trusted token issuer, authorized by the application's jwt-bearer grant, has the IssuerUrl
 * `iss`; else the ExchangeFailure that says why not (explain asks this on its own, for every
 * application, even when a pipeline stops before the step).
 */
export function trustedIssuerFor(
  iss: unknown,
  on: { state: Readonly<IdentityCenterState>; application: ApplicationRecord; instance: InstanceRecord; profile: BehaviourProfile },
): TrustedIssuerMatch {
  const { state, application } = on;
  if (typeof iss !== 'string' || iss === '') throw new ExchangeFailure('issuer.missing', 'the assertion has no iss claim, so no trusted token issuer can be matched');
  const grant = application.Grants['urn:ietf:params:oauth:grant-type:jwt-bearer'] as { JwtBearer?: { AuthorizedTokenIssuers?: { TrustedTokenIssuerArn: string; AuthorizedAudiences: string[] }[] } } | undefined;
  const authorized = grant?.JwtBearer?.AuthorizedTokenIssuers ?? [];
  const candidates = authorized
    .map((a) => ({ a, tti: state.trustedTokenIssuers[a.TrustedTokenIssuerArn] }))
    .filter((c): c is { a: (typeof authorized)[number]; tti: TrustedTokenIssuerRecord } => c.tti !== undefined);
  const configured = candidates.map((c) => c.tti.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl);
  if (IDENTITY_CENTER_ISS.test(iss)) {
    // Before any match: a trusted token issuer registered with Identity Center's own URL must not
    // lead to a key fetch from an AWS domain (the lab never makes one), and is refused for what it is.
    const self = candidates.find((c) => IDENTITY_CENTER_ISS.test(c.tti.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl));
    throw new ExchangeFailure(
      'issuer.identity_center',
      `iss ${iss} is Identity Center itself${self ? `, registered as trusted token issuer "${self.tti.Name}" and authorized by the grant` : ''}: ` +
        'Identity Center cannot be its own trusted token issuer. A trusted token issuer is an OAuth 2.0 server outside Identity Center; Identity Center has no endpoint that hands your application a JWT for an audience you choose, ' +
        'and this token is already the answer of an exchange (an idToken, whose aud is an opaque value Identity Center picks). No key was fetched: the lab never fetches from an AWS domain',
      'to sign users in with Identity Center, give the application an authorization_code grant and redeem the code with CreateTokenWithIAM (no trusted token issuer, no aud to configure); to move a user between Identity Center applications, use the token-exchange grant; ' +
        `to use jwt-bearer, trust your external IdP and authorize the aud of its ID token${self ? `; delete trusted token issuer "${self.tti.Name}"` : ''} (docs/identity-center-as-issuer.md, tti-lab standalone)`,
      { iss, configured, ...(self ? { trustedTokenIssuerArn: self.tti.TrustedTokenIssuerArn } : {}) },
    );
  }
  const mode = on.profile.settings.issuer_match.value;
  const matches = (url: string) => (mode === 'exact' ? url === iss : url.replace(/\/+$/, '') === iss.replace(/\/+$/, ''));
  const hit = candidates.find((c) => matches(c.tti.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl));
  if (!hit) {
    const near = configured.map((u) => [u, nearMiss(iss, u)] as const).find(([, why]) => why);
    const otherTti = Object.values(state.trustedTokenIssuers).find((t) => t.InstanceArn === on.instance.InstanceArn && matches(t.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl));
    throw new ExchangeFailure(
      'issuer.untrusted',
      near
        ? `iss ${JSON.stringify(iss)} does not equal the IssuerUrl ${JSON.stringify(near[0])}: ${near[1]} (the comparison is ${mode === 'exact' ? 'byte for byte' : 'ignoring a trailing slash'})`
        : otherTti
          ? `iss ${iss} is the trusted token issuer "${otherTti.Name}", but application "${application.Name}"'s jwt-bearer grant does not authorize it; it authorizes: ${configured.join(', ') || 'none'}`
          : `iss ${iss} is not the IssuerUrl of any trusted token issuer the grant authorizes (${configured.join(', ') || 'none'})`,
      otherTti
        ? `add ${otherTti.TrustedTokenIssuerArn} to the jwt-bearer grant's AuthorizedTokenIssuers`
        : near
          ? `make the IssuerUrl exactly ${JSON.stringify(iss)} (IssuerUrl cannot be updated: create a new trusted token issuer)`
          : 'CreateTrustedTokenIssuer with IssuerUrl equal to the token\'s iss, and authorize it in the jwt-bearer grant',
      { iss, configured },
    );
  }
  return { record: hit.tti, audiences: hit.a.AuthorizedAudiences };
}

/** 5. `iss` is the IssuerUrl of one of the trusted token issuers the jwt-bearer grant authorizes. */
export const checkIssuerTrusted: Step<'assertion' | 'application' | 'instance', 'trustedIssuer'> = {
  name: 'issuer-trusted',
  title: 'iss is a trusted token issuer authorized by the grant',
  run(ctx) {
    const iss = ctx.assertion.payload.iss;
    const hit = trustedIssuerFor(iss, ctx);
    return { reason: `iss equals the IssuerUrl of trusted token issuer "${hit.record.Name}"`, facts: { iss, trustedTokenIssuerArn: hit.record.TrustedTokenIssuerArn }, set: { trustedIssuer: hit } };
  },
};
