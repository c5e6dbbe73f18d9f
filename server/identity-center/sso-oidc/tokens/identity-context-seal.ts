import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** The first byte of every sealed context: the format's version (also authenticated, as AAD). */
const VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Standard base64 with padding, as the real identity context is (`AQoJb3JpZ2luX2V…`, AWS Security Blog 2023-12-07). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Seals and opens the identity contexts the lab issues (`sts:identity_context`,
 * `awsAdditionalDetails.identityContext`): opaque to the application that holds one — it can pass it
 * to STS, but neither read nor forge it. AES-256-GCM under a key derived (HKDF-SHA256) from the lab's
 * identity-context secret, with a fresh random 96-bit nonce per context:
 * `base64(version ‖ nonce ‖ ciphertext ‖ tag)`. Any change, truncation or other key fails to open.
 */
export class IdentityContextSeal {
  readonly #key: Buffer;

  /** `secret`: the lab's 32-byte identity-context secret (kept in the data dir, so contexts survive a restart). */
  constructor(secret: Buffer) {
    this.#key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'tti-lab identity context v1 aes-256-gcm', 32));
  }

  seal(payload: Record<string, unknown>): string {
    const version = Buffer.of(VERSION);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(version);
    const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return Buffer.concat([version, nonce, body, cipher.getAuthTag()]).toString('base64');
  }

  /** The payload, or undefined when `context` is not one this seal made (changed, cut, another key, not base64). */
  open(context: string): Record<string, unknown> | undefined {
    if (typeof context !== 'string' || !BASE64.test(context)) return undefined;
    const bytes = Buffer.from(context, 'base64');
    if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES + 2 || bytes[0] !== VERSION) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(1, 1 + NONCE_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(bytes.subarray(0, 1));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
      const payload: unknown = JSON.parse(plain.toString('utf8'));
      return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
}
