import { randomBytes, randomUUID } from 'node:crypto';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const alnum = (n: number) => [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');
const hex = (n: number) => randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);

/** Identifiers in the real formats (reference §3): ssoins-<16>, d-<10>, apl-<16>, tti-<uuid>. */
export const ids = {
  instanceId: () => `ssoins-${hex(16)}`,
  identityStoreId: () => `d-${hex(10)}`,
  applicationId: () => `apl-${alnum(16)}`,
  trustedTokenIssuerId: () => `tti-${randomUUID()}`,
  /**
   * Identity Store user, group and membership ids: `<the store id's 10 characters>-<uuid>`, as the
   * real service makes them (model ResourceId pattern `([0-9a-f]{10}-|)<uuid>`; store d-1234567890 →
   * user 1234567890-…). A store id of another form (the model also allows a bare UUID) gives a bare UUID.
   */
  principalId: (identityStoreId: string) => storePrefixed(identityStoreId),
  membershipId: (identityStoreId: string) => storePrefixed(identityStoreId),
  /**
   * An OAuth client id as Identity Center makes them: 16 random bytes and the region, base64url
   * (RegisterClient's clientId; an application's idToken `aud`, e.g. `20bSatbAF2kiR7lxX5Vdp2V1LWNlbnRyYWwtMQ`
   * = 16 bytes + `eu-central-1`, AWS Security Blog 2023-12-07).
   */
  oauthClientId: (region: string) => Buffer.concat([randomBytes(16), Buffer.from(region)]).toString('base64url'),
};

function storePrefixed(identityStoreId: string): string {
  const digits = /^d-([0-9a-f]{10})$/.exec(identityStoreId)?.[1];
  return digits ? `${digits}-${randomUUID()}` : randomUUID();
}

export const arns = {
  instance: (instanceId: string) => `arn:aws:sso:::instance/${instanceId}`,
  application: (account: string, instanceId: string, appId: string) => `arn:aws:sso::${account}:application/${instanceId}/${appId}`,
  trustedTokenIssuer: (account: string, instanceId: string, ttiId: string) => `arn:aws:sso::${account}:trustedTokenIssuer/${instanceId}/${ttiId}`,
  identityStore: (account: string, identityStoreId: string) => `arn:aws:identitystore::${account}:identitystore/${identityStoreId}`,
};

/** `ssoins-…` from any Identity Center ARN that contains one. */
export const instanceIdOf = (arn: string): string | undefined => /(ssoins-[a-zA-Z0-9-.]{16})/.exec(arn)?.[1];
