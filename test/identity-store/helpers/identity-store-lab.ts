import { IdentitystoreClient, type IdentitystoreClientConfig } from '@aws-sdk/client-identitystore';
import { startLab, type Lab, type StartLabOptions } from '../../../server/lab/start-lab.js';

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The real Identity Store SDK client, pointed at a lab. Retries off: a test sees the first answer. */
export function identityStoreClient(lab: Lab, config: Partial<IdentitystoreClientConfig> = {}): IdentitystoreClient {
  return new IdentitystoreClient({ endpoint: lab.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1, ...config });
}

export interface IdentityStoreLab {
  lab: Lab;
  client: IdentitystoreClient;
  /** The default instance's identity store. */
  IdentityStoreId: string;
  /** The whole Identity Center state as JSON: compare before and after a failed call. */
  snapshot(): string;
}

export async function startIdentityStoreLab(opts: StartLabOptions = {}): Promise<IdentityStoreLab> {
  const lab = await startLab({ inMemory: true, ...opts });
  const ic = lab.services.identityCenter;
  return {
    lab,
    client: identityStoreClient(lab),
    IdentityStoreId: ic.defaultInstance().IdentityStoreId,
    snapshot: () => JSON.stringify(ic.state.read),
  };
}

/** A user with the attributes the service requires (UserName, DisplayName, Name.GivenName/FamilyName). */
export function userInput(IdentityStoreId: string, userName: string, extra: Record<string, unknown> = {}) {
  return {
    IdentityStoreId,
    UserName: userName,
    DisplayName: `${userName} Example`,
    Name: { GivenName: userName, FamilyName: 'Example' },
    ...extra,
  };
}

/** The error a call fails with (the call must fail). */
export async function failure(p: Promise<unknown>): Promise<Error & Record<string, unknown> & { $metadata: { httpStatusCode?: number; requestId?: string } }> {
  try {
    await p;
  } catch (err) {
    return err as never;
  }
  throw new Error('expected the call to fail');
}
