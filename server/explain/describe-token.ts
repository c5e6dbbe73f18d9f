import { decodeJwt, JwtDecodeError, type DecodedJwt } from '../identity-center/sso-oidc/exchange/decode-jwt.js';
import { AUD_RULE, type AudView, type DecodedToken } from './explain-report.js';
import { classifyToken, type TokenKind } from './token-kind.js';

export interface TokenDescription {
  token: DecodedToken;
  kind: TokenKind;
  aud: AudView;
  /** The decoded JWT, when it decodes. */
  decoded?: DecodedJwt;
}

const q = (v: unknown) => JSON.stringify(v);
const list = (values: string[]) => values.map(q).join(' or ');

/** `aud` as a recipient reads it: a string, an array of strings, missing, or something else. */
export function readAud(payload: Record<string, unknown> | null): Pick<AudView, 'present' | 'value' | 'shape' | 'values'> {
  if (!payload || payload.aud === undefined) return { present: false, value: null, shape: 'missing', values: [] };
  const raw = payload.aud;
  if (typeof raw === 'string') return { present: true, value: raw, shape: 'string', values: [raw] };
  if (Array.isArray(raw) && raw.every((a) => typeof a === 'string')) return { present: true, value: raw, shape: 'array', values: raw as string[] };
  return { present: true, value: raw, shape: 'invalid', values: [] };
}

/**
 * What the kind of token says about its `aud`, before any configuration is consulted: the general
 * advice `explain` gives even with no lab running.
 */
export function audAdvice(kind: TokenKind, aud: Pick<AudView, 'shape' | 'values'>, payload: Record<string, unknown> | null): string[] {
  const out: string[] = [];
  const clientId = typeof payload?.client_id === 'string' ? payload.client_id : typeof payload?.cid === 'string' ? payload.cid : undefined;
  if (kind.kind === 'identity_center') {
    out.push(
      'This is an Identity Center idToken. No application accepts it as a jwt-bearer assertion, whatever its aud: an Identity Center instance is not a trusted token issuer of itself. ' +
        'To pass a user between Identity Center applications use the token-exchange grant; see docs/identity-center-as-issuer.md.',
    );
    return out;
  }
  if (aud.shape === 'missing') {
    if (payload?.token_use === 'access' || kind.vendor === 'cognito') {
      out.push(
        `This is a Cognito access token: Cognito access tokens carry no aud, only client_id${clientId ? ` (${q(clientId)})` : ''}, so no AuthorizedAudiences entry can ever match. ` +
          `Exchange the Cognito ID token instead: its aud is the app client id${clientId ? ` ${q(clientId)}` : ''}.`,
      );
    } else {
      out.push('The token has no aud claim, so Identity Center refuses it whatever the configuration. Exchange an ID token (its aud is your client id) or an access token issued for an audience.');
    }
    return out;
  }
  if (aud.shape === 'invalid') {
    out.push('aud must be a string or an array of strings (RFC 7519 §4.1.3); this one is neither, so no configuration can accept it.');
    return out;
  }
  if (aud.values.length === 0) {
    out.push('aud is an empty array: the token is meant for nobody, so no configuration can accept it.');
    return out;
  }
  if (kind.kind === 'access_token') {
    out.push(
      `This is an access token (${kind.evidence.join('; ')}): its aud ${list(aud.values)} is the API identifier, not your client id. ` +
        `Identity Center applications usually authorize the client id, which is the aud of the ID token: exchange the ID token, or — if this access token really is meant for Identity Center — put ${q(aud.values[0])} in AuthorizedAudiences.`,
    );
    if (aud.values.includes('api://default')) out.push('"api://default" is the default audience of Okta\'s "default" custom authorization server: every access token it issues carries it.');
  } else if (kind.kind === 'id_token') {
    out.push(`This looks like an ID token (${kind.evidence.join('; ')}): its aud is the client id of the application it was issued to. The value for AuthorizedAudiences (the console's "Aud claim") is ${list(aud.values)}.`);
  } else {
    out.push(`To be accepted, ${aud.values.length > 1 ? 'one of ' : ''}${list(aud.values)} must be in the AuthorizedAudiences of the application for this issuer (the console's "Aud claim").`);
  }
  if (aud.shape === 'array' && aud.values.length > 1) out.push(`aud is an array of ${aud.values.length}: it is enough that one of them is authorized.`);
  const userinfo = aud.values.find((v) => /^https:\/\/[^/]+\/userinfo$/.test(v));
  if (userinfo && aud.values.length > 1) out.push(`${q(userinfo)} is the IdP's own userinfo audience (Auth0 adds it when openid is requested); the other value is the API identifier.`);
  return out;
}

/** Decodes a token (without verifying anything) and says what it looks like. */
export function describeToken(raw: string): TokenDescription {
  let decoded: DecodedJwt | undefined;
  let error: string | undefined;
  try {
    decoded = decodeJwt(raw);
  } catch (err) {
    if (!(err instanceof JwtDecodeError)) throw err;
    error = `not a JWT: ${err.message}`;
  }
  const header = decoded?.header ?? null;
  const payload = decoded?.payload ?? null;
  const kind: TokenKind = decoded
    ? classifyToken(decoded.header, decoded.payload)
    : { kind: 'unknown', vendor: null, evidence: [], summary: 'could not be decoded' };
  const aud = readAud(payload);
  return {
    token: { header, payload, ...(error ? { error } : {}) },
    kind,
    aud: { ...aud, rule: AUD_RULE, advice: decoded ? audAdvice(kind, aud, payload) : [] },
    ...(decoded ? { decoded } : {}),
  };
}
