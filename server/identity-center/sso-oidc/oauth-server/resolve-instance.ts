import type { IdentityCenterState, InstanceRecord } from '../../state/model.js';

const INSTANCE_ID = /(ssoins-[a-zA-Z0-9-.]{16})/;
const IDENTITY_STORE_ID = /\b(d-[0-9a-f]{10})\b/;

/**
 * The instance a start URL or issuer URL names. Accepted: anything with the instance id in it —
 * the instance's issuer (`https://identitycenter.amazonaws.com/ssoins-…`), a portal URL
 * (`https://ssoins-….portal.<region>.app.aws`), the lab's `<lab>/identity-center/ssoins-…` — or
 * with its identity store id (`https://d-xxxxxxxxxx.awsapps.com/start`). Anything else names none.
 */
export function resolveInstance(url: string, state: IdentityCenterState): InstanceRecord | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const instances = Object.values(state.instances);
  const id = INSTANCE_ID.exec(url)?.[1];
  if (id) return instances.find((i) => i.InstanceArn.endsWith(`/${id}`));
  const storeId = IDENTITY_STORE_ID.exec(parsed.hostname)?.[1] ?? IDENTITY_STORE_ID.exec(parsed.pathname)?.[1];
  if (storeId) return instances.find((i) => i.IdentityStoreId === storeId);
  return undefined;
}

