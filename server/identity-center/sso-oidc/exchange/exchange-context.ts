import type { Principal } from '../../../aws/aws-credentials.js';
import type { BehaviourProfile } from '../../profile/behaviour-profile.js';
import type { IdentityCenter } from '../../identity-center.js';
import type {
  ApplicationRecord, IdentityCenterState, IdentityStoreRecord, InstanceRecord, TrustedTokenIssuerRecord, UserRecord,
} from '../../state/model.js';
import type { IssuerKeyCache, KeyLookup } from '../issuer-keys/issuer-key-cache.js';
import type { TokenService, TokenResponse } from '../tokens/token-service.js';
import type { AccessToken, AuthorizationCode, ClientRef, DeviceCode, RefreshToken } from '../tokens/credential-store.js';
import type { PublicClientRecord } from '../oauth-server/public-clients.js';
import type { AuthorizeClient, AuthorizeRequest } from '../oauth-server/authorize-request.js';
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

/** The services and inputs every run has, whatever its flow. */
export interface BaseContext {
  request: TokenRequest;
  /** Who signed the request (null when unsigned: a read-only explain run, or a public operation). */
  principal: Principal | null;
  /** The exchange's one instant (epoch ms), from the injected clock. */
  now: number;
  /** True for explain: no state changes, replay is only checked. */
  readOnly: boolean;
  /** The Identity Center state the steps read: the lab's, or (explain's what-if) a variant of it. */
  state: Readonly<IdentityCenterState>;
  /** Identity Center itself, for the effect steps that change it (and its region). */
  ic: IdentityCenter;
  profile: BehaviourProfile;
  issuerKeys: IssuerKeyCache;
  /** The credential store, the public clients, the replay cache, and the signing of idTokens. */
  tokens: TokenService;
  /** The lab's base URL as clients reach it (verification URLs are built on it), when known. */
  baseUrl?: string;
}

/** The client a request comes from, with its record: what a credential records of it (`ClientRef`) and more. */
export type RequestClient = (ClientRef & { kind: 'application'; application: ApplicationRecord }) | (ClientRef & { kind: 'public'; publicClient: PublicClientRecord });

/** What the steps establish for the steps after them: each member is there once a step has set it. */
export interface Established {
  /** Which client is asking: an application (CreateTokenWithIAM, its ARN) or a public client (RegisterClient's id). */
  client: RequestClient;
  application: ApplicationRecord;
  instance: InstanceRecord;
  identityStore: IdentityStoreRecord;
  assertion: DecodedJwt;
  trustedIssuer: { record: TrustedTokenIssuerRecord; audiences: string[] };
  /** The issuer key the assertion's header names, as found in its JWKS. */
  issuerKey: KeyLookup;
  /** The verified key's description (kid, alg). */
  verifiedKey: { kid: string | undefined; alg: string };
  user: UserRecord;
  grantedScopes: string[];
  /** The refresh token being redeemed (an application's or a public client's). */
  refresh: RefreshToken;
  /** CreateTokenWithIAM's response. */
  result: TokenResponse;
  /** The user's sign-in time (epoch seconds) when an earlier step knows it (code, device, subject token, refresh). */
  authTime: number;
  /** `act.sub` carried over from an earlier token (token exchange, refresh), when there is one. */
  actSub: string;
  /** Whether to issue a refresh token, when a step decided it (token exchange's requestedTokenType). */
  issueRefresh: boolean;
  /** Scopes granted earlier (authorize's scope, a refresh token's): the token's scopes may not grow beyond them. */
  authorizedScopes: string[];
  /** The grant the new tokens belong to (a redeemed code's, a refresh token's); a new one when absent. */
  grantId: number;
  /** The authorization code being redeemed. */
  code: AuthorizationCode;
  /** The token-exchange subject token. */
  subject: AccessToken;
  /** The public client (RegisterClient) making a CreateToken or StartDeviceAuthorization call. */
  publicClient: PublicClientRecord;
  /** The device authorization being polled, started or decided. */
  device: DeviceCode;
  /** RegisterClient's input. */
  registration: ClientRegistrationRequest;
  /** The verification page's request: the user code, and the user's decision when the form is posted. */
  verification: { userCode?: string; decision?: 'approve' | 'deny'; userId?: string; crossSite?: string };
  /** The authorize endpoint's request. */
  authorize: AuthorizeRequest;
  /** The client an authorization request names, as the authorize steps resolved it. */
  authorizeClient: AuthorizeClient;
  /** The authorization request's redirect_uri, once it is known to be registered: from then on authorize errors go back to it. */
  redirectUri: string;
  /** The scopes an authorization request asked for (space-separated `scope`, or `scopes` as the AWS CLI sends it). */
  requestedScopes: string[];
  /** The authorization request's S256 code_challenge. */
  codeChallenge: string;
  /** The code the authorize endpoint issued. */
  issuedCode: AuthorizationCode;
  /** The output of a public operation (RegisterClient, StartDeviceAuthorization, CreateToken). */
  output: Record<string, unknown>;
}

/**
 * A step's view of the context: the base, the members `K` that are established (its needs), and
 * every other member as possibly there.
 */
export type Ctx<K extends keyof Established = never> = BaseContext & Pick<Established, K> & Partial<Omit<Established, K>>;

/** Any run's context, nothing known established (the pages and the exchange log read it so). */
export type ExchangeContext = Ctx;
