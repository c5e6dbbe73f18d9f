import type { JWK } from 'jose';
import type { Clock } from '../../../../shared/clock.js';
import type { KeyStore } from '../../../../keys/key-store.js';
import { signCompactJws } from '../../../../keys/sign-compact-jws.js';
import { BoundedMap } from '../../../util/bounded-map.js';
import type { ApplicationRecord, InstanceRecord, UserRecord } from '../../state/model.js';
import { arns } from '../../state/ids.js';
import { AuthorizationCodes } from '../oauth-server/authorization-codes.js';
import { DeviceAuthorizations } from '../oauth-server/device-authorizations.js';
import { PublicClients } from '../oauth-server/public-clients.js';
import { sha256 } from '../../../util/sha256.js';
import { randomBase64url } from '../../../util/random-base64url.js';
import { IdentityContextSeal } from './identity-context-seal.js';
import { ReplayCache } from './replay-cache.js';

/** The `iss` of every token an instance issues (reference §4). */
export const instanceIssuer = (instance: InstanceRecord) => `https://identitycenter.amazonaws.com/${instance.InstanceArn.split('/').pop()}`;
/** The key-store name of an instance's signing keys. */
export const instanceKeyName = (instance: InstanceRecord) => `identity-center-${instance.InstanceArn.split('/').pop()}`;
export const TOKEN_TYPE_ACCESS = 'urn:ietf:params:oauth:token-type:access_token';
export const TOKEN_TYPE_REFRESH = 'urn:ietf:params:oauth:token-type:refresh_token';

interface IssuedFor {
  applicationArn: string;
  instanceArn: string;
  identityStoreId: string;
  userId: string;
  scopes: string[];
  /** Epoch seconds of the original sign-in (kept across refreshes). */
  authTime: number;
  /** The trusted token issuer that vouched for the user (`act.sub`), if any. */
  actSub?: string;
}

export interface AccessTokenRecord extends IssuedFor {
  token: string;
  expiresAt: number;
}

export interface RefreshTokenRecord extends IssuedFor {
  token: string;
  expiresAt: number;
  /** Set when the token was used (rotation) or revoked; a second use is refused. */
  revokedAt?: number;
}

/** CreateTokenWithIAM's response members. */
export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken?: string;
  idToken: string;
  issuedTokenType: string;
  scope: string[];
  awsAdditionalDetails: { identityContext: string };
}

/** A token CreateToken issued to a public client (RegisterClient): for a user, not for an application. */
export interface ClientTokenRecord {
  token: string;
  clientId: string;
  instanceArn: string;
  identityStoreId: string;
  userId: string;
  /** The scopes the client registered (CreateToken's `scope` has no effect, model doc string). */
  scopes: string[];
  /** Epoch seconds of the original sign-in (kept across refreshes). */
  authTime: number;
  expiresAt: number;
}

export interface ClientRefreshTokenRecord extends ClientTokenRecord {
  /** Set when the token was used (rotation) or revoked; a second use is refused. */
  revokedAt?: number;
}

/** CreateToken's response members (no idToken: the model says it is not supported). */
export interface CreateTokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken?: string;
}

/** The tokens one grant produced, so they can be revoked together (a reused authorization code). */
export interface IssuedTokens {
  accessToken: string;
  refreshToken?: string;
}

/** An idToken's `auth_time`: ISO-8601 to the second, without milliseconds (`2023-11-10T08:00:08Z`, AWS Security Blog 2023-12-07). */
export const authTimeClaim = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** What a verified identity context says (STS AssumeRole reads it). */
export interface IdentityContext {
  userId: string;
  identityStoreArn: string;
  identityStoreId: string;
  instanceArn: string;
  applicationArn: string;
  credentialId: string;
  expiresAt: number;
  /** Which idToken claim it came from: sts:identity_context, or sts:audit_context (accepted by STS for backward compatibility). */
  claim: 'sts:identity_context' | 'sts:audit_context';
}

const opaque = (prefix: string) => `${prefix}${randomBase64url(48)}`;

/** Bounds on what the token service remembers: the lab config's token_table_size and replay_cache_size (their defaults live there). */
export interface TokenLimits {
  /** Entries per token table (access and refresh tokens, of applications and of public clients). */
  tokenTableSize: number;
  /** Accepted assertions remembered against replay. */
  replayCacheSize: number;
}

/** The replay cache's key: 128 bits of SHA-256 of `iss + jti` or of the token's hash; small, fixed size. */
const replayDigest = (key: string) => sha256(key, 'base64url').slice(0, 22);

/**
 * An access or refresh token record, every member written in one order so all records share one
 * compact object shape. (Built with an object spread, an access + refresh pair took about 1.2 KB of
 * heap, Map entries and token strings included; built this way, 0.56 KB.)
 */
function tokenRecord(base: IssuedFor, token: string, expiresAt: number): AccessTokenRecord & RefreshTokenRecord {
  const record: AccessTokenRecord & RefreshTokenRecord = {
    applicationArn: base.applicationArn,
    instanceArn: base.instanceArn,
    identityStoreId: base.identityStoreId,
    userId: base.userId,
    scopes: base.scopes,
    authTime: base.authTime,
    token,
    expiresAt,
  };
  if (base.actSub !== undefined) record.actSub = base.actSub;
  return record;
}

/**
 * Issues and remembers the tokens of CreateTokenWithIAM: opaque access and refresh tokens (bounded
 * tables, in memory), the idToken signed by the instance's own key, and the identity context that
 * STS accepts. Also the OAuth server's other credentials — authorization codes, device codes,
 * public clients and CreateToken's tokens for them — and the replay cache of accepted assertions.
 */
export class TokenService {
  readonly accessTokens: BoundedMap<string, AccessTokenRecord>;
  readonly refreshTokens: BoundedMap<string, RefreshTokenRecord>;
  /** Tokens of public clients (CreateToken), kept apart: they are not any application's. */
  readonly clientAccessTokens: BoundedMap<string, ClientTokenRecord>;
  readonly clientRefreshTokens: BoundedMap<string, ClientRefreshTokenRecord>;
  /** The authorize endpoint's authorization codes. */
  readonly codes = new AuthorizationCodes();
  /** StartDeviceAuthorization's device and user codes. */
  readonly devices = new DeviceAuthorizations();
  /** RegisterClient's public clients and their secrets. */
  readonly clients = new PublicClients();
  readonly #seal: IdentityContextSeal;
  /** Accepted assertions: a 128-bit digest of the replay key → until when (epoch ms) it is remembered; persisted with a data dir. */
  readonly replay: ReplayCache;

  constructor(
    private readonly keys: KeyStore,
    private readonly clock: Clock,
    /** The secret that seals identity contexts (32 bytes; kept in the data dir so contexts survive a restart). */
    contextSecret: Buffer,
    readonly limits: TokenLimits,
  ) {
    this.#seal = new IdentityContextSeal(contextSecret);
    this.accessTokens = new BoundedMap(limits.tokenTableSize);
    this.refreshTokens = new BoundedMap(limits.tokenTableSize);
    this.clientAccessTokens = new BoundedMap(limits.tokenTableSize);
    this.clientRefreshTokens = new BoundedMap(limits.tokenTableSize);
    this.replay = new ReplayCache(limits.replayCacheSize);
  }

  /** The JWKS an application verifies idTokens with (public members only). */
  instanceJwks(instance: InstanceRecord): Promise<{ keys: JWK[] }> {
    return this.keys.publicJwks(instanceKeyName(instance), 'RS256');
  }

  /** Has this assertion been accepted before (and is that memory still live)? */
  seen(key: string, now: number): boolean {
    return this.replay.seen(replayDigest(key), now);
  }

  /** Remembers an accepted assertion until `until` (epoch ms). Returns false if it was already there. */
  remember(key: string, until: number, now: number): boolean {
    return this.replay.remember(replayDigest(key), until, now);
  }

  async issue(opts: {
    application: ApplicationRecord;
    instance: InstanceRecord;
    user: UserRecord;
    scopes: string[];
    authTime: number;
    actSub?: string;
    /** The idToken's `aud`: the application's OAuth client id (applicationClientId). */
    audience: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    issueRefresh: boolean;
  }): Promise<TokenResponse> {
    const nowMs = this.clock.now();
    const now = Math.floor(nowMs / 1000);
    const base: IssuedFor = {
      applicationArn: opts.application.ApplicationArn,
      instanceArn: opts.instance.InstanceArn,
      identityStoreId: opts.instance.IdentityStoreId,
      userId: opts.user.UserId,
      scopes: opts.scopes,
      authTime: opts.authTime,
      ...(opts.actSub ? { actSub: opts.actSub } : {}),
    };
    const accessToken = opaque('aoa');
    this.accessTokens.set(accessToken, tokenRecord(base, accessToken, nowMs + opts.accessTtlSeconds * 1000));
    let refreshToken: string | undefined;
    if (opts.issueRefresh) {
      refreshToken = opaque('aor');
      this.refreshTokens.set(refreshToken, tokenRecord(base, refreshToken, nowMs + opts.refreshTtlSeconds * 1000));
    }
    // Opaque, one per issued token set; STS makes the session's identitycenter:CredentialId of it.
    const credentialId = randomBase64url(24);
    const account = opts.instance.OwnerAccountId;
    const identityStoreArn = arns.identityStore(account, opts.instance.IdentityStoreId);
    const signer = await this.keys.signingKey(instanceKeyName(opts.instance), 'RS256');
    const exp = now + opts.accessTtlSeconds;
    const context = {
      iss: instanceIssuer(opts.instance),
      sub: opts.user.UserId,
      'identitystore:UserId': opts.user.UserId,
      'identitystore:IdentityStoreArn': identityStoreArn,
      instance_arn: opts.instance.InstanceArn,
      application_arn: opts.application.ApplicationArn,
      credential_id: credentialId,
      iat: now,
      exp,
    };
    // Sealed (AES-256-GCM), so the application holding it can pass it to STS but not read or forge it.
    const identityContext = this.#seal.seal(context);
    // Claims in the order of the decoded idToken in the AWS Security Blog (2023-12-07).
    const idToken = await signCompactJws(
      { alg: 'RS256', kid: signer.kid, typ: 'JWT' },
      {
        'aws:identity_store_id': opts.instance.IdentityStoreId,
        sub: opts.user.UserId,
        'aws:instance_account': account,
        iss: instanceIssuer(opts.instance),
        // The older form of the same context (STS still accepts it, IdC guide: "supported for backward
        // compatibility"); sealed the same way, marked so STS can say which claim a session came from.
        'sts:audit_context': this.#seal.seal({ ...context, claim: 'sts:audit_context' }),
        'sts:identity_context': identityContext,
        'aws:identity_store_arn': identityStoreArn,
        aud: opts.audience,
        'aws:instance_arn': opts.instance.InstanceArn,
        'aws:credential_id': credentialId,
        ...(opts.actSub ? { act: { sub: opts.actSub } } : {}),
        'aws:application_arn': opts.application.ApplicationArn,
        auth_time: authTimeClaim(opts.authTime),
        exp,
        iat: now,
      },
      signer,
    );
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: opts.accessTtlSeconds,
      ...(refreshToken ? { refreshToken } : {}),
      idToken,
      issuedTokenType: refreshToken ? TOKEN_TYPE_REFRESH : TOKEN_TYPE_ACCESS,
      scope: opts.scopes,
      awsAdditionalDetails: { identityContext },
    };
  }

  /** CreateToken's tokens for a public client: an opaque access token and, if asked, a refresh token. */
  issueForClient(opts: {
    clientId: string;
    instance: InstanceRecord;
    user: UserRecord;
    scopes: string[];
    authTime: number;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    issueRefresh: boolean;
  }): CreateTokenResponse {
    const nowMs = this.clock.now();
    const base = {
      clientId: opts.clientId,
      instanceArn: opts.instance.InstanceArn,
      identityStoreId: opts.instance.IdentityStoreId,
      userId: opts.user.UserId,
      scopes: opts.scopes,
      authTime: opts.authTime,
    };
    const accessToken = opaque('aoa');
    this.clientAccessTokens.set(accessToken, { ...base, token: accessToken, expiresAt: nowMs + opts.accessTtlSeconds * 1000 });
    let refreshToken: string | undefined;
    if (opts.issueRefresh) {
      refreshToken = opaque('aor');
      this.clientRefreshTokens.set(refreshToken, { ...base, token: refreshToken, expiresAt: nowMs + opts.refreshTtlSeconds * 1000 });
    }
    return { accessToken, tokenType: 'Bearer', expiresIn: opts.accessTtlSeconds, ...(refreshToken ? { refreshToken } : {}) };
  }

  /**
   * Revokes the tokens one grant produced (RFC 6749 §4.1.2: when a code is used twice, the tokens
   * issued from it SHOULD be revoked): the access token is forgotten, the refresh token marked spent.
   */
  revoke(issued: IssuedTokens, now: number): void {
    this.accessTokens.delete(issued.accessToken);
    this.clientAccessTokens.delete(issued.accessToken);
    if (issued.refreshToken) {
      const refresh = this.refreshTokens.get(issued.refreshToken) ?? this.clientRefreshTokens.get(issued.refreshToken);
      if (refresh && refresh.revokedAt === undefined) refresh.revokedAt = now;
    }
  }

  /**
   * What an identity context (or audit context) this lab sealed says, or undefined when it is not
   * one (changed, cut, sealed under another lab's secret). The lab may read its own contexts (STS,
   * explanations); the application that holds one cannot.
   */
  openIdentityContext(context: string): Record<string, unknown> | undefined {
    return this.#seal.open(context);
  }

  /**
   * Reads an identity context this lab sealed (for STS AssumeRole): an error when it is not one,
   * was changed, names an instance that no longer exists, or has expired.
   */
  verifyIdentityContext(context: string, instances: InstanceRecord[]): IdentityContext | { error: string } {
    const payload = this.openIdentityContext(context);
    if (!payload) return { error: 'the context assertion is not an identity context sealed by this lab (or it was changed)' };
    const instance = instances.find((i) => i.InstanceArn === payload.instance_arn);
    if (!instance) return { error: `the identity context names instance ${String(payload.instance_arn)}, which does not exist` };
    const expiresAt = Number(payload.exp) * 1000;
    if (!(expiresAt > this.clock.now())) return { error: `the identity context has expired (at ${new Date(expiresAt).toISOString()})` };
    return {
      userId: String(payload.sub),
      identityStoreArn: String(payload['identitystore:IdentityStoreArn']),
      identityStoreId: instance.IdentityStoreId,
      instanceArn: instance.InstanceArn,
      applicationArn: String(payload.application_arn),
      credentialId: String(payload.credential_id),
      expiresAt,
      claim: payload.claim === 'sts:audit_context' ? 'sts:audit_context' : 'sts:identity_context',
    };
  }
}
