import type { JWK } from 'jose';
import type { Clock } from '../../../../shared/clock.js';
import type { KeyStore } from '../../../../keys/key-store.js';
import { signCompactJws } from '../../../../keys/sign-compact-jws.js';
import type { ApplicationRecord, InstanceRecord } from '../../state/model.js';
import { arns } from '../../state/ids.js';
import { PublicClients } from '../oauth-server/public-clients.js';
import { sha256 } from '../../../util/sha256.js';
import { randomBase64url } from '../../../util/random-base64url.js';
import { IdentityContextSeal } from './identity-context-seal.js';
import { ReplayCache } from './replay-cache.js';
import { CredentialStore, type AccessToken, type ClientRef, type RefreshToken } from './credential-store.js';

/** The `iss` of every token an instance issues (reference §4). */
export const instanceIssuer = (instance: InstanceRecord) => `https://identitycenter.amazonaws.com/${instance.InstanceArn.split('/').pop()}`;
/** The key-store name of an instance's signing keys. */
export const instanceKeyName = (instance: InstanceRecord) => `identity-center-${instance.InstanceArn.split('/').pop()}`;
export const TOKEN_TYPE_ACCESS = 'urn:ietf:params:oauth:token-type:access_token';
export const TOKEN_TYPE_REFRESH = 'urn:ietf:params:oauth:token-type:refresh_token';

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

/** CreateToken's response members (no idToken: the model says it is not supported). */
export interface CreateTokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
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

/** Bounds on what the token service remembers: the lab config's token_table_size and replay_cache_size (their defaults live there). */
export interface TokenLimits {
  /** Entries per token table (access tokens; refresh tokens), of applications and public clients alike. */
  tokenTableSize: number;
  /** Accepted assertions remembered against replay. */
  replayCacheSize: number;
}

/** The replay cache's key: 128 bits of SHA-256 of `iss + jti` or of the token's hash; small, fixed size. */
const replayDigest = (key: string) => sha256(key, 'base64url').slice(0, 22);

/** The access token (and refresh token) one issuance made, in one grant. */
export interface IssuedTokens {
  access: AccessToken;
  refresh?: RefreshToken;
}

/**
 * Issues the tokens of CreateTokenWithIAM and CreateToken into the credential store — opaque access
 * and refresh tokens — and, for an application, the idToken signed by the instance's own key and the
 * identity context that STS accepts. Holds the store (also the OAuth server's codes and device
 * codes), RegisterClient's public clients, and the replay cache of accepted assertions.
 */
export class TokenService {
  /** Every access token, refresh token, authorization code and device code SSO OIDC issued. */
  readonly credentials: CredentialStore;
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
    this.credentials = new CredentialStore(limits.tokenTableSize);
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

  /** An access token and, if asked, a refresh token for a user, to a client, in the grant given (or a new one). */
  issueTokens(opts: {
    client: ClientRef;
    instance: InstanceRecord;
    userId: string;
    scopes: string[];
    authTime: number;
    actSub?: string;
    grantId?: number;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    issueRefresh: boolean;
  }): IssuedTokens {
    const issuedAt = this.clock.now();
    const grantId = opts.grantId ?? this.credentials.newGrant();
    // Written member by member, no spreads: this runs on every exchange.
    const grant = (ttlSeconds: number) => ({
      client: opts.client,
      grantId,
      instanceArn: opts.instance.InstanceArn,
      issuedAt,
      expiresAt: issuedAt + ttlSeconds * 1000,
      identityStoreId: opts.instance.IdentityStoreId,
      userId: opts.userId,
      scopes: opts.scopes,
      authTime: opts.authTime,
      actSub: opts.actSub,
    });
    const access = this.credentials.issueToken('access_token', grant(opts.accessTtlSeconds));
    return opts.issueRefresh ? { access, refresh: this.credentials.issueToken('refresh_token', grant(opts.refreshTtlSeconds)) } : { access };
  }

  /** CreateTokenWithIAM's answer for tokens issued to an application: with the idToken and the sealed identity context. */
  async applicationResponse(issued: IssuedTokens, opts: {
    application: ApplicationRecord;
    instance: InstanceRecord;
    /** The idToken's `aud`: the application's OAuth client id (applicationClientId). */
    audience: string;
    accessTtlSeconds: number;
  }): Promise<TokenResponse> {
    const { access, refresh } = issued;
    const now = Math.floor(access.issuedAt / 1000);
    // Opaque, one per issued token set; STS makes the session's identitycenter:CredentialId of it.
    const credentialId = randomBase64url(24);
    const account = opts.instance.OwnerAccountId;
    const identityStoreArn = arns.identityStore(account, opts.instance.IdentityStoreId);
    const signer = await this.keys.signingKey(instanceKeyName(opts.instance), 'RS256');
    const exp = now + opts.accessTtlSeconds;
    const context = {
      iss: instanceIssuer(opts.instance),
      sub: access.userId,
      'identitystore:UserId': access.userId,
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
        sub: access.userId,
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
        ...(access.actSub ? { act: { sub: access.actSub } } : {}),
        'aws:application_arn': opts.application.ApplicationArn,
        auth_time: authTimeClaim(access.authTime),
        exp,
        iat: now,
      },
      signer,
    );
    return {
      accessToken: access.value,
      tokenType: 'Bearer',
      expiresIn: opts.accessTtlSeconds,
      ...(refresh ? { refreshToken: refresh.value } : {}),
      idToken,
      issuedTokenType: refresh ? TOKEN_TYPE_REFRESH : TOKEN_TYPE_ACCESS,
      scope: access.scopes,
      awsAdditionalDetails: { identityContext },
    };
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
