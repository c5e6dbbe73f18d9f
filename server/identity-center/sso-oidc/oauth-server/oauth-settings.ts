import type { BehaviourProfile, ProfileSettings, Setting } from '../../profile/behaviour-profile.js';

/**
 * The behaviour-profile settings of the OAuth server (authorize endpoint, device flow, public
 * clients). They live in `default-profile.json` beside the others, each with its provenance; this
 * reads them typed.
 */
export interface OAuthServerSettings {
  /** Lifetime of an authorization code. */
  authorization_code_ttl_seconds: Setting<number>;
  /** Whether the authorize endpoint requires an S256 code_challenge. */
  authorization_code_require_pkce: Setting<boolean>;
  /** RegisterClient: clientSecretExpiresAt − clientIdIssuedAt. */
  client_secret_ttl_seconds: Setting<number>;
  /** StartDeviceAuthorization: expiresIn. */
  device_code_ttl_seconds: Setting<number>;
  /** StartDeviceAuthorization: interval. */
  device_poll_interval_seconds: Setting<number>;
  /** What a slow_down adds to a device authorization's interval. */
  device_slow_down_increment_seconds: Setting<number>;
}

export const oauthSettings = (profile: BehaviourProfile): ProfileSettings & OAuthServerSettings => profile.settings as ProfileSettings & OAuthServerSettings;
