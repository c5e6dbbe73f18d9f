import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { startLab, type Lab, type StartLabOptions } from '../../../server/lab/start-lab.js';
import type { IdentityCenter } from '../../../server/identity-center/identity-center.js';
import { ids } from '../../../server/identity-center/state/ids.js';

/** The local-emulator default credentials: account 000000000000. */
export const DEFAULT_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
/** A second account, configured as a lab principal: for visibility and ownership checks. */
export const OTHER_ACCOUNT = '111122223333';
export const OTHER_CREDENTIALS = { accessKeyId: 'OTHERKEY', secretAccessKey: 'other-secret' };
export const OTHER_PRINCIPAL = { access_key_id: OTHER_CREDENTIALS.accessKeyId, secret_access_key: OTHER_CREDENTIALS.secretAccessKey, arn: `arn:aws:iam::${OTHER_ACCOUNT}:user/other` };

export const CUSTOM_PROVIDER = 'arn:aws:sso::aws:applicationProvider/custom';
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** A real SDK client pointed at the lab; no retries, so error tests see the first answer. */
export const adminClient = (lab: Lab, credentials = DEFAULT_CREDENTIALS) =>
  new SSOAdminClient({ endpoint: lab.url, region: 'us-east-1', credentials, maxAttempts: 1 });

export interface SsoAdminLab {
  lab: Lab;
  ic: IdentityCenter;
  sso: SSOAdminClient;
  /** The organization instance that exists from the start. */
  instanceArn: string;
  identityStoreId: string;
}

/** A lab in memory (unless a dataDir is given) with a second account configured. */
export async function startSsoAdminLab(opts: StartLabOptions = {}): Promise<SsoAdminLab> {
  const lab = await startLab({ inMemory: !opts.dataDir, config: { aws: { principals: [OTHER_PRINCIPAL] } }, ...opts });
  const ic = lab.services.identityCenter;
  const instance = ic.defaultInstance();
  return { lab, ic, sso: adminClient(lab), instanceArn: instance.InstanceArn, identityStoreId: instance.IdentityStoreId };
}

/** Puts a user straight into an identity store (the Identity Store service is another feature's). */
export async function seedUser(ic: IdentityCenter, identityStoreId: string, userName = `user-${randomUUID().slice(0, 8)}`): Promise<string> {
  const userId = ids.principalId(identityStoreId);
  await ic.state.mutate((s) => {
    s.identityStores[identityStoreId]!.Users[userId] = { UserId: userId, IdentityStoreId: identityStoreId, UserName: userName };
  });
  return userId;
}

export async function seedGroup(ic: IdentityCenter, identityStoreId: string, displayName = `group-${randomUUID().slice(0, 8)}`): Promise<string> {
  const groupId = ids.principalId(identityStoreId);
  await ic.state.mutate((s) => {
    s.identityStores[identityStoreId]!.Groups[groupId] = { GroupId: groupId, IdentityStoreId: identityStoreId, DisplayName: displayName };
  });
  return groupId;
}

/** The whole Identity Center state, to show a failed call changed nothing. */
export const snapshot = (ic: IdentityCenter): string => JSON.stringify(ic.state.read);

export interface ExpectedError {
  name: string;
  status: number;
  message: string | RegExp;
}

type Asserter = Pick<Test, 'equal' | 'match' | 'fail'>;

/** The call fails with exactly this exception name, HTTP status and message, as the SDK reports them. */
export async function rejects(t: Asserter, call: Promise<unknown>, want: ExpectedError): Promise<void> {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    t.equal(e.name, want.name, 'exception name');
    t.equal(e.$metadata?.httpStatusCode, want.status, 'HTTP status');
    if (typeof want.message === 'string') t.equal(e.message, want.message, 'message');
    else t.match(e.message, want.message, 'message');
    return;
  }
  t.fail(`expected ${want.name}, but the call succeeded`);
}

/** A Coral ValidationException with one problem. */
export const oneValidationError = (problem: string): ExpectedError => ({ name: 'ValidationException', status: 400, message: `1 validation error detected: ${problem}` });
