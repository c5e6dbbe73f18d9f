import { randomInt } from 'node:crypto';
import { BoundedMap } from '../../../util/bounded-map.js';
import { randomBase64url } from '../../../util/random-base64url.js';

/** Who a credential was issued to: an application (CreateTokenWithIAM) or a public client (RegisterClient, CreateToken). */
export type ClientKind = 'application' | 'public';

/** A client as a credential records it: its kind and id (the application ARN, or the public client id). */
export interface ClientRef {
  kind: ClientKind;
  id: string;
}

export type CredentialKind = 'access_token' | 'refresh_token' | 'authorization_code' | 'device_code';

/**
 * What every credential the lab's SSO OIDC issues has — the shape of node-oidc-provider's base
 * token (`lib/models/base_token.js`: kind, value, grantId, iat, exp) with its consumable mixin
 * (`lib/models/mixins/consumable.js`: consumed): one shape for access and refresh tokens,
 * authorization codes and device codes, whichever client they were issued to.
 */
export interface Credential<K extends CredentialKind = CredentialKind> {
  kind: K;
  /** The opaque string the client holds. */
  value: string;
  client: ClientRef;
  /**
   * The grant it belongs to: a code, the tokens redeemed from it and the tokens refreshed from those
   * share one, so revoking the grant revokes them all (RFC 6749 §4.1.2, a code presented twice).
   * A number the store counts up: credentials live in memory only, like the store.
   */
  grantId: number;
  instanceArn: string;
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms. */
  expiresAt: number;
  /** Set by the one use a single-use credential allows: a code redeemed, a refresh token rotated, a device code redeemed. */
  consumedAt?: number;
  /** Set when the credential's grant was revoked. */
  revokedAt?: number;
}

/** What an access or refresh token is for: a user of an instance, with scopes. */
export interface UserGrant {
  identityStoreId: string;
  userId: string;
  scopes: string[];
  /** Epoch seconds of the original sign-in (kept across refreshes). */
  authTime: number;
  /** The trusted token issuer that vouched for the user (`act.sub`), if any. */
  actSub?: string;
}

export type AccessToken = Credential<'access_token'> & UserGrant;
export type RefreshToken = Credential<'refresh_token'> & UserGrant;

export interface AuthorizationCode extends Credential<'authorization_code'> {
  userId: string;
  /** The redirect_uri of the authorization request; the token request must repeat it. */
  redirectUri: string;
  /** The S256 code_challenge, absent only when the profile does not require PKCE and none was sent. */
  codeChallenge?: string;
  /** Scopes asked for at authorize (validated there); absent when none were asked for. */
  scopes?: string[];
  /** Epoch seconds of the sign-in on the login page (the idToken's auth_time). */
  authTime: number;
  /** Set when tokens were issued in the code's grant: presented again, the code revokes them. */
  tokensIssued?: true;
}

export interface DeviceCode extends Credential<'device_code'> {
  /** `XXXX-XXXX`, what the user types on the verification page. */
  userCode: string;
  startUrl: string;
  /** Seconds the client must wait between polls; grows with each slow_down (RFC 8628 §3.5). */
  interval: number;
  /** Epoch ms of the last CreateToken poll, if any. */
  lastPolledAt?: number;
  /** The user's decision on the verification page (a redeemed code is consumed). */
  status: 'pending' | 'approved' | 'denied';
  /** The user who approved, and when (epoch seconds: the sign-in time). */
  userId?: string;
  authTime?: number;
}

interface ByKind {
  access_token: AccessToken;
  refresh_token: RefreshToken;
  authorization_code: AuthorizationCode;
  device_code: DeviceCode;
}

/** What a caller gives to issue a credential: everything but what the store makes (value, user code, grant when new). */
export type CredentialInput<K extends CredentialKind> = Omit<ByKind[K], 'kind' | 'value' | 'grantId' | 'consumedAt' | 'revokedAt' | 'userCode'> & { grantId?: number };

type Made = { value: string; grantId: number };

/** RFC 8628 §6.1: user codes from 20 consonants, no vowels (no words), nothing easily confused. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

/** Upper case, no dashes or spaces: how user codes are compared (RFC 8628 §6.1). */
export const normalizeUserCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

const newValue: Record<CredentialKind, () => string> = {
  access_token: () => `aoa${randomBase64url(48)}`,
  refresh_token: () => `aor${randomBase64url(48)}`,
  authorization_code: () => randomBase64url(32),
  device_code: () => randomBase64url(48),
};

/**
 * The one store of what SSO OIDC issues, in memory and bounded (one table per kind; access and
 * refresh tokens `tokenTableSize` each, codes and device codes 10 000), and the one place that
 * decides what a credential's state is: issued, consumed (single use), expired, revoked with its grant.
 */
export class CredentialStore {
  readonly #tables: { [K in CredentialKind]: BoundedMap<string, ByKind[K]> };
  /** User codes (normalized) to device codes. */
  readonly #userCodes = new BoundedMap<string, string>(10_000);
  #issued = 0;
  #grants = 0;
  /** One ClientRef object per client, shared by all its credentials (a token record stays small). */
  readonly #clients = new BoundedMap<string, ClientRef>(10_000);

  constructor(tokenTableSize: number) {
    this.#tables = {
      access_token: new BoundedMap(tokenTableSize),
      refresh_token: new BoundedMap(tokenTableSize),
      authorization_code: new BoundedMap(10_000),
      device_code: new BoundedMap(10_000),
    };
  }

  /** How many credentials of a kind the store keeps before it forgets the oldest. */
  capacity(kind: CredentialKind): number {
    return this.#tables[kind].capacity;
  }

  /** A fresh value, in the grant given or a new one. */
  #made(kind: CredentialKind, grantId: number | undefined): Made {
    return { value: newValue[kind](), grantId: grantId ?? ++this.#grants };
  }

  /** The store's one ClientRef for a client. */
  client(kind: ClientKind, id: string): ClientRef {
    const key = `${kind} ${id}`;
    let ref = this.#clients.get(key);
    if (!ref) this.#clients.set(key, (ref = { kind, id }));
    return ref;
  }

  /** A grant for credentials issued together before any of them is (the store makes one on issue otherwise). */
  newGrant(): number {
    return ++this.#grants;
  }

  /**
   * Issues an access or refresh token. Every member is written in one order, so all token records
   * share one compact object shape (built by object spreads they took about a third more heap).
   */
  issueToken<K extends 'access_token' | 'refresh_token'>(kind: K, input: CredentialInput<K>): Credential<K> & UserGrant {
    const { value, grantId } = this.#made(kind, input.grantId);
    const record: Credential<K> & UserGrant = {
      kind,
      value,
      client: this.client(input.client.kind, input.client.id),
      grantId,
      instanceArn: input.instanceArn,
      issuedAt: input.issuedAt,
      expiresAt: input.expiresAt,
      identityStoreId: input.identityStoreId,
      userId: input.userId,
      scopes: input.scopes,
      authTime: input.authTime,
    };
    if (input.actSub !== undefined) record.actSub = input.actSub;
    (this.#tables[kind] as BoundedMap<string, Credential<K> & UserGrant>).set(record.value, record);
    return record;
  }

  /** Issues an authorization code. */
  issueCode(input: CredentialInput<'authorization_code'>): AuthorizationCode {
    const record: AuthorizationCode = { kind: 'authorization_code', ...input, ...this.#made('authorization_code', input.grantId) };
    const table = this.#tables.authorization_code;
    table.set(record.value, record);
    // Codes live minutes: every 256th issue sweeps those an hour past their expiry.
    if (++this.#issued % 256 === 0) table.sweep((c) => c.expiresAt + 3600_000 <= record.issuedAt);
    return record;
  }

  /** Issues a device code, with a user code no live device authorization has. */
  issueDeviceCode(input: CredentialInput<'device_code'>): DeviceCode {
    let userCode: string;
    do {
      userCode = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
    } while (this.#userCodes.has(userCode));
    const record: DeviceCode = { kind: 'device_code', ...input, ...this.#made('device_code', input.grantId), userCode: `${userCode.slice(0, 4)}-${userCode.slice(4)}` };
    this.#tables.device_code.set(record.value, record);
    this.#userCodes.set(userCode, record.value);
    return record;
  }

  /** The credential of `kind` with this value, whatever its state (consumed, expired, revoked), if the store still has it. */
  find<K extends CredentialKind>(kind: K, value: string): ByKind[K] | undefined {
    return (this.#tables[kind] as BoundedMap<string, ByKind[K]>).get(value);
  }

  /** Which kind of credential a value is, if the store has it (to say "this is a refresh token" when an access token was expected). */
  kindOf(value: string): CredentialKind | undefined {
    return (Object.keys(this.#tables) as CredentialKind[]).find((kind) => this.#tables[kind].has(value));
  }

  /** The device authorization a user code belongs to, however the user typed it (case, dashes). */
  byUserCode(userCode: string): DeviceCode | undefined {
    const value = this.#userCodes.get(normalizeUserCode(userCode));
    return value === undefined ? undefined : this.#tables.device_code.get(value);
  }

  /** Has the credential expired at `now` (epoch ms)? */
  static expired(credential: Credential, now: number): boolean {
    return credential.expiresAt <= now;
  }

  /** Has the credential been used (if single-use) or revoked? */
  static spent(credential: Credential): boolean {
    return credential.consumedAt !== undefined || credential.revokedAt !== undefined;
  }

  /** Marks a single-use credential used (consumable.js): a second use is refused. */
  static consume(credential: Credential, now: number): void {
    credential.consumedAt ??= now;
  }

  /**
   * Revokes every credential of a grant (node-oidc-provider's revokeByGrantId): access tokens are
   * forgotten, refresh tokens and codes marked revoked, so a later use is told why.
   */
  revokeGrant(grantId: number, now: number): void {
    for (const record of [...this.#tables.access_token.values()]) if (record.grantId === grantId) this.#tables.access_token.delete(record.value);
    for (const record of this.#tables.refresh_token.values()) if (record.grantId === grantId) record.revokedAt ??= now;
    for (const record of this.#tables.authorization_code.values()) if (record.grantId === grantId) record.revokedAt ??= now;
  }
}
