import type { Principal } from '../../../aws/aws-credentials.js';
import type { BehaviourProfile } from '../../profile/behaviour-profile.js';
import type { IdentityCenter } from '../../identity-center.js';
import type {
  ApplicationRecord, IdentityStoreRecord, InstanceRecord, TrustedTokenIssuerRecord, UserRecord,
} from '../../state/model.js';
import type { IssuerKeyCache, KeyLookup } from '../issuer-keys/issuer-key-cache.js';
import type { TokenService, RefreshTokenRecord, TokenResponse, AccessTokenRecord, ClientRefreshTokenRecord } from '../tokens/token-service.js';
import type { AuthorizationCodeRecord } from '../oauth-server/authorization-codes.js';
import type { DeviceAuthorizationRecord } from '../oauth-server/device-authorizations.js';
import type { PublicClientRecord } from '../oauth-server/public-clients.js';
import type { AuthorizeRequest } from '../oauth-server/authorize-request.js';
import type { DecodedJwt } from './decode-jwt.js';

/**
 * A token request's members: CreateTokenWithIAM's (all optional on the wire until a step requires
 * one), plus those only the public operations have (CreateToken's clientSecret and deviceCode,
 * StartDeviceAuthorization's startUrl).
 */
export interface TokenRequest {
  clientId?: string;
  grantType?: string;
  code?: string;
  refreshToken?: string;
  assertion?: string;
  scope?: string[];
  redirectUri?: string;
  subjectToken?: string;
  subjectTokenType?: string;
  requestedTokenType?: string;
  codeVerifier?: string;
  clientSecret?: string;
  deviceCode?: string;
  startUrl?: string;
}

/** RegisterClient's input members. */
export interface ClientRegistrationRequest {
  clientName?: string;
  clientType?: string;
  scopes?: string[];
  redirectUris?: string[];
  grantTypes?: string[];
  issuerUrl?: string;
  entitledApplicationArn?: string;
}

/**
 * What an exchange knows as it runs: the request and its caller, the services it reads, and what
 * each step has established for the steps after it.
 */
export interface ExchangeContext {
  request: TokenRequest;
  /** Who signed the request (null when unsigned: a read-only explain run, or a public operation). */
  principal: Principal | null;
  /** The exchange's one instant (epoch ms), from the injected clock. */
  now: number;
  /** True for explain: no state changes, replay is only checked. */
  readOnly: boolean;
  ic: IdentityCenter;
  profile: BehaviourProfile;
  issuerKeys: IssuerKeyCache;
  /** Issued tokens, and the OAuth server's codes, device authorizations and public clients. */
  tokens: TokenService;
  /** The lab's base URL as clients reach it (verification URLs are built on it), when known. */
  baseUrl?: string;

  application?: ApplicationRecord;
  instance?: InstanceRecord;
  identityStore?: IdentityStoreRecord;
  assertion?: DecodedJwt;
  trustedIssuer?: { record: TrustedTokenIssuerRecord; audiences: string[] };
  /** The issuer key the assertion's header names, as found in its JWKS. */
  issuerKey?: KeyLookup;
  /** The verified key's description (kid, alg, whether the JWKS was refetched). */
  verifiedKey?: { kid: string | undefined; alg: string };
  user?: UserRecord;
  grantedScopes?: string[];
  refresh?: RefreshTokenRecord;
  result?: TokenResponse;

  /** The user's sign-in time (epoch seconds) when an earlier step knows it (code, device, subject token). */
  authTime?: number;
  /** `act.sub` carried over from an earlier token (token exchange), when there is one. */
  actSub?: string;
  /** Whether to issue a refresh token, when a step decided it (token exchange's requestedTokenType). */
  issueRefresh?: boolean;
  /** Scopes the user authorized earlier (authorize's scope): the token's scopes may not grow beyond them. */
  authorizedScopes?: string[];
  /** The authorization code being redeemed. */
  code?: AuthorizationCodeRecord;
  /** The token-exchange subject token. */
  subject?: AccessTokenRecord;
  /** The public client (RegisterClient) making a CreateToken or StartDeviceAuthorization call. */
  publicClient?: PublicClientRecord;
  /** The device authorization being polled, started or decided. */
  device?: DeviceAuthorizationRecord;
  /** The public client's refresh token being redeemed. */
  clientRefresh?: ClientRefreshTokenRecord;
  /** RegisterClient's input. */
  registration?: ClientRegistrationRequest;
  /** The verification page's request: the user code, and the user's decision when the form is posted. */
  verification?: { userCode?: string; decision?: 'approve' | 'deny'; userId?: string; crossSite?: string };
  /** The authorize endpoint's request and what its steps established. */
  authorize?: AuthorizeRequest;
  /** The output of a public operation (RegisterClient, StartDeviceAuthorization, CreateToken). */
  output?: Record<string, unknown>;
}
