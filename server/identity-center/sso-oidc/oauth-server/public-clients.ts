import { BoundedMap } from '../../../util/bounded-map.js';
import { randomBase64url } from '../../../util/random-base64url.js';
import { ids } from '../../state/ids.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** The grants CreateToken and RegisterClient know (model doc strings). */
export const PUBLIC_GRANT_TYPES = ['authorization_code', DEVICE_CODE_GRANT, 'refresh_token'] as const;

/** A client RegisterClient made. */
export interface PublicClientRecord {
  clientId: string;
  clientSecret: string;
  clientName: string;
  clientType: 'public';
  scopes: string[];
  redirectUris: string[];
  /** As registered; empty means the device flow only (what the AWS CLI's device registration sends). */
  grantTypes: string[];
  issuerUrl?: string;
  /** The instance issuerUrl names, when given. */
  instanceArn?: string;
  entitledApplicationArn?: string;
  /** Epoch seconds, as RegisterClient returns them. */
  clientIdIssuedAt: number;
  clientSecretExpiresAt: number;
}

/** The grants a client may use: those it registered, or the device flow alone when it registered none. */
export const allowedGrants = (client: PublicClientRecord): string[] => (client.grantTypes.length ? client.grantTypes : [DEVICE_CODE_GRANT]);

/** The public clients RegisterClient made, in memory (forgotten on restart, like the token tables). */
export class PublicClients {
  readonly #clients = new BoundedMap<string, PublicClientRecord>(10_000);

  register(opts: Omit<PublicClientRecord, 'clientId' | 'clientSecret'>, region: string): PublicClientRecord {
    const record: PublicClientRecord = {
      ...opts,
      // An opaque id that, like the real ones, ends with the region it belongs to.
      clientId: ids.oauthClientId(region),
      clientSecret: randomBase64url(64),
    };
    this.#clients.set(record.clientId, record);
    return record;
  }

  get(clientId: string): PublicClientRecord | undefined {
    return this.#clients.get(clientId);
  }
}
