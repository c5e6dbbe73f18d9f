import type { IdentityCenter } from '../../identity-center.js';
import type { ApplicationRecord } from '../../state/model.js';
import { ids } from '../../state/ids.js';

/**
 * An application's OAuth client id — the `aud` of every idToken issued for it, stable across
 * exchanges and restarts: made (16 random bytes + the region, base64url, like RegisterClient's
 * clientId) when the application is created; an application stored before the lab kept one gets it
 * the first time it is needed.
 */
export async function applicationClientId(ic: IdentityCenter, app: ApplicationRecord): Promise<string> {
  const kept = ic.state.read.applications[app.ApplicationArn]?.OAuthClientId ?? app.OAuthClientId;
  if (kept) return kept;
  return ic.state.mutate((draft) => {
    const stored = draft.applications[app.ApplicationArn];
    // A concurrent exchange may have made it first: keep that one.
    if (!stored) return ids.oauthClientId(ic.region);
    stored.OAuthClientId ??= ids.oauthClientId(ic.region);
    return stored.OAuthClientId;
  });
}
