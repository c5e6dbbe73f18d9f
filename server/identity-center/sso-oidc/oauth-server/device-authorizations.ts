import { randomInt } from 'node:crypto';
import { BoundedMap } from '../../../util/bounded-map.js';
import { randomBase64url } from '../../../util/random-base64url.js';

export interface DeviceAuthorizationRecord {
  deviceCode: string;
  /** `XXXX-XXXX`, what the user types on the verification page. */
  userCode: string;
  clientId: string;
  instanceArn: string;
  startUrl: string;
  createdAt: number;
  expiresAt: number;
  /** Seconds the client must wait between polls; grows with each slow_down (RFC 8628 §3.5). */
  interval: number;
  /** Epoch ms of the last CreateToken poll, if any. */
  lastPolledAt?: number;
  status: 'pending' | 'approved' | 'denied' | 'redeemed';
  /** The user who approved, and when (epoch seconds: the sign-in time). */
  userId?: string;
  authTime?: number;
}

/** RFC 8628 §6.1: user codes from 20 consonants, no vowels (no words), nothing easily confused. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

/** Upper case, no dashes or spaces: how user codes are compared (RFC 8628 §6.1). */
export const normalizeUserCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

/** The device authorizations StartDeviceAuthorization began, by device code and by user code. */
export class DeviceAuthorizations {
  readonly #byDeviceCode = new BoundedMap<string, DeviceAuthorizationRecord>(10_000);
  readonly #byUserCode = new BoundedMap<string, string>(10_000);

  start(opts: { clientId: string; instanceArn: string; startUrl: string; now: number; ttlSeconds: number; interval: number }): DeviceAuthorizationRecord {
    let userCode: string;
    do {
      userCode = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
    } while (this.#byUserCode.has(userCode));
    const record: DeviceAuthorizationRecord = {
      deviceCode: randomBase64url(48),
      userCode: `${userCode.slice(0, 4)}-${userCode.slice(4)}`,
      clientId: opts.clientId,
      instanceArn: opts.instanceArn,
      startUrl: opts.startUrl,
      createdAt: opts.now,
      expiresAt: opts.now + opts.ttlSeconds * 1000,
      interval: opts.interval,
      status: 'pending',
    };
    this.#byDeviceCode.set(record.deviceCode, record);
    this.#byUserCode.set(userCode, record.deviceCode);
    return record;
  }

  get(deviceCode: string): DeviceAuthorizationRecord | undefined {
    return this.#byDeviceCode.get(deviceCode);
  }

  /** The authorization a user code belongs to, however the user typed it (case, dashes). */
  byUserCode(userCode: string): DeviceAuthorizationRecord | undefined {
    const deviceCode = this.#byUserCode.get(normalizeUserCode(userCode));
    return deviceCode === undefined ? undefined : this.#byDeviceCode.get(deviceCode);
  }
}
