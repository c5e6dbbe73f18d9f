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
  /** Identity Store user and group ids: `<10 hex>-<uuid>` as the real service makes them. */
  principalId: () => `${hex(10)}-${randomUUID()}`,
  membershipId: () => `${hex(10)}-${randomUUID()}`,
};

export const arns = {
  instance: (instanceId: string) => `arn:aws:sso:::instance/${instanceId}`,
  application: (account: string, instanceId: string, appId: string) => `arn:aws:sso::${account}:application/${instanceId}/${appId}`,
  trustedTokenIssuer: (account: string, instanceId: string, ttiId: string) => `arn:aws:sso::${account}:trustedTokenIssuer/${instanceId}/${ttiId}`,
  identityStore: (account: string, identityStoreId: string) => `arn:aws:identitystore::${account}:identitystore/${identityStoreId}`,
};

/** `ssoins-…` from any Identity Center ARN that contains one. */
export const instanceIdOf = (arn: string): string | undefined => /(ssoins-[a-zA-Z0-9-.]{16})/.exec(arn)?.[1];
