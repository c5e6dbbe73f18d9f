import { createHash, randomBytes } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const upper = (n: number) => [...randomBytes(n)].map((b) => UPPER_ALNUM[b % 32]).join('');

/** Fresh temporary credentials in AWS's shapes: ASIA… key id, 40-character secret, opaque session token. */
export function newTemporaryCredentials() {
  return {
    accessKeyId: `ASIA${upper(16)}`,
    secretAccessKey: randomBytes(30).toString('base64').replace(/[+/]/g, 'A').slice(0, 40),
    sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}`,
  };
}

/** A stable unique id for a role (AROA…) or user (AIDA…), derived from its ARN. */
export function principalUniqueId(prefix: 'AROA' | 'AIDA', arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  return `${prefix}${[...digest.subarray(0, 17)].map((b) => UPPER_ALNUM[b % 32]).join('')}`;
}

export const roleName = (roleArn: string) => roleArn.split(':role/')[1]!.split('/').pop()!;
export const accountOf = (arn: string) => arn.split(':')[4]!;
export const assumedRoleArn = (roleArn: string, session: string) => `arn:aws:sts::${accountOf(roleArn)}:assumed-role/${roleName(roleArn)}/${session}`;
