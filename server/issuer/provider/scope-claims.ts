import type { UserConfig } from '../../config/lab-config.js';

/** Claims each standard scope releases (OIDC Core §5.4), plus `groups` as most IdPs offer it. */
const STANDARD_SCOPE_CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: [
    'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile',
    'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
  ],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
  groups: ['groups'],
};

/**
 * The claims each scope releases, for oidc-provider's `claims` and the issuer's discovery document.
 * Claims named by no standard scope (custom claims from the config) are released with `openid`, so a
 * user's custom claim is always in their ID token, as an IdP's custom claim mapping would put it.
 */
export function scopeClaims(users: UserConfig[]): Record<string, string[]> {
  const known = new Set(Object.values(STANDARD_SCOPE_CLAIMS).flat());
  const custom = new Set<string>();
  for (const u of users) for (const k of Object.keys(u)) if (!known.has(k)) custom.add(k);
  return { ...STANDARD_SCOPE_CLAIMS, openid: ['sub', ...custom] };
}
