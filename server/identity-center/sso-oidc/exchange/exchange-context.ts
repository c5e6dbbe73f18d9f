import type { Principal } from '../../../aws/aws-credentials.js';
import type { BehaviourProfile } from '../../profile/behaviour-profile.js';
import type { IdentityCenter } from '../../identity-center.js';
import type {
  ApplicationRecord, IdentityStoreRecord, InstanceRecord, TrustedTokenIssuerRecord, UserRecord,
} from '../../state/model.js';
import type { IssuerKeyCache, KeyLookup } from '../issuer-keys/issuer-key-cache.js';
import type { TokenService, RefreshTokenRecord, TokenResponse } from '../tokens/token-service.js';
import type { DecodedJwt } from './decode-jwt.js';

/** CreateTokenWithIAM's input members (all optional on the wire until a step requires one). */
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
}

/**
 * What an exchange knows as it runs: the request and its caller, the services it reads, and what
 * each step has established for the steps after it.
 */
export interface ExchangeContext {
  request: TokenRequest;
  /** Who signed the request (null when unsigned, e.g. a read-only explain run). */
  principal: Principal | null;
  /** The exchange's one instant (epoch ms), from the injected clock. */
  now: number;
  /** True for explain: no state changes, replay is only checked. */
  readOnly: boolean;
  ic: IdentityCenter;
  profile: BehaviourProfile;
  issuerKeys: IssuerKeyCache;
  tokens: TokenService;

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
}
