import type { IssuerConfig } from '../../config/lab-config.js';
import { scopeClaims } from '../provider/scope-claims.js';

/** Claims oidc-provider lists after the scopes' claims (its defaults with no scope: `null` in its claims config). */
const PROVIDER_CLAIMS = ['sid', 'auth_time', 'iss'];

/**
 * A lab issuer's discovery document (OpenID Connect Discovery 1.0 §3), exactly as the issuer's
 * oidc-provider (configured by create-provider.ts) would answer it, in the same key order, built from
 * the config and the issuer URL alone. The lab answers discovery with it, so the first discovery
 * answer after a start, and every exchange's key fetch, need no provider: oidc-provider is loaded
 * and built only for the OIDC flows (docs/benchmarks.md). test/issuer/discovery.test.ts compares it
 * with the provider's own document for every signing algorithm and custom claims, so a change of
 * create-provider.ts or of oidc-provider that changes the document fails there.
 */
export function issuerDiscovery(issuer: IssuerConfig, issuerUrl: string): Record<string, unknown> {
  const claims = scopeClaims(issuer.users);
  return {
    authorization_endpoint: `${issuerUrl}/auth`,
    claims_parameter_supported: false,
    claims_supported: [...new Set([...Object.values(claims).flat(), ...PROVIDER_CLAIMS])],
    code_challenge_methods_supported: ['S256'],
    end_session_endpoint: `${issuerUrl}/session/end`,
    grant_types_supported: ['implicit', 'authorization_code', 'refresh_token', 'client_credentials'],
    issuer: issuerUrl,
    jwks_uri: `${issuerUrl}/jwks`,
    authorization_response_iss_parameter_supported: true,
    response_modes_supported: ['form_post', 'fragment', 'query'],
    response_types_supported: ['code id_token', 'code', 'id_token', 'none'],
    scopes_supported: ['openid', 'offline_access', ...Object.keys(claims).filter((s) => s !== 'openid')],
    subject_types_supported: ['public'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none'],
    token_endpoint_auth_signing_alg_values_supported: ['HS256', 'RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'],
    token_endpoint: `${issuerUrl}/token`,
    id_token_signing_alg_values_supported: [issuer.algorithm],
    pushed_authorization_request_endpoint: `${issuerUrl}/request`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${issuerUrl}/me`,
    introspection_endpoint: `${issuerUrl}/token/introspection`,
    dpop_signing_alg_values_supported: ['ES256', 'Ed25519', 'EdDSA'],
    revocation_endpoint: `${issuerUrl}/token/revocation`,
    claim_types_supported: ['normal'],
  };
}
