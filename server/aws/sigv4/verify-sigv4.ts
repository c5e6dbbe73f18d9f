import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../shared/clock.js';
import type { CredentialRecord, CredentialRegistry, Principal } from '../aws-credentials.js';
import { sha256 } from '../../util/sha256.js';

/**
 * AWS Signature Version 4, checked the way AWS checks it: rebuild the canonical request from what
 * arrived, derive the signing key from the secret the lab knows for the access key, and compare.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */

export type SigV4Failure =
  | 'missing' // no Authorization header (nor presigned query)
  | 'incomplete' // Authorization present but malformed
  | 'unknown_key' // access key the lab does not know
  | 'token_invalid' // temporary credentials without, or with a wrong, session token
  | 'token_expired' // temporary credentials past their expiry
  | 'mismatch' // signature does not match
  | 'expired' // x-amz-date more than 5 minutes off
  | 'wrong_service' // credential scope names another service
  | 'wrong_region'; // credential scope names a region the lab does not serve

export class SigV4Error extends Error {
  constructor(
    readonly failure: SigV4Failure,
    message: string,
    /** The lab's fuller reason, for `x-tti-lab-reason` (the wire message stays AWS's). */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'SigV4Error';
  }
}

export interface SignedRequest {
  method: string;
  /** Path as sent, without the query string. */
  path: string;
  /** Raw query string without `?`, as sent. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface VerifiedRequest {
  principal: Principal;
  region: string;
  service: string;
}

/** Allowed difference between the request's x-amz-date and the lab's clock. */
export const SIGV4_MAX_SKEW_MS = 5 * 60 * 1000;

const sha256Hex = (data: string | Buffer) => sha256(data, 'hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Derived signing keys (kSigning) by secret, date, region and service: one scope's key changes once
 * a day, so four of the five HMACs per request are done once, as the SDK's signer caches them too.
 * Bounded: emptied when it reaches SIGNING_KEY_CACHE_SIZE scopes.
 */
const signingKeys = new Map<string, Buffer>();
const SIGNING_KEY_CACHE_SIZE = 64;

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${secret}\n${date}\n${region}\n${service}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
const uriEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalUri(path: string): string {
  // Non-S3 services: normalise . and .. segments, then URI-encode the path as sent (so it is encoded twice).
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const normalised = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEncode(normalised).replace(/%2F/g, '/') || '/';
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  const pairs = query
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const at = p.indexOf('=');
      const k = at < 0 ? p : p.slice(0, at);
      const v = at < 0 ? '' : p.slice(at + 1);
      return [uriEncode(decodeSafe(k.replace(/\+/g, '%20'))), uriEncode(decodeSafe(v.replace(/\+/g, '%20')))] as const;
    })
    .filter(([k]) => k.toLowerCase() !== 'x-amz-signature');
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');

function parseAuthorization(value: string): { accessKeyId: string; date: string; region: string; service: string; signedHeaders: string[]; signature: string } {
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(value.trim());
  if (!m) throw new SigV4Error('incomplete', `Authorization header requires the AWS4-HMAC-SHA256 algorithm.`);
  const parts: Record<string, string> = {};
  for (const piece of m[1]!.split(',')) {
    const at = piece.indexOf('=');
    if (at > 0) parts[piece.slice(0, at).trim()] = piece.slice(at + 1).trim();
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !parts[k]);
  if (missing.length) {
    throw new SigV4Error('incomplete', `Authorization header requires '${missing[0]}' parameter. Authorization=${value.slice(0, 200)}`);
  }
  const scope = parts.Credential!.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    throw new SigV4Error('incomplete', `Credential should be scoped to a valid region, not '${scope[2] ?? ''}'.`);
  }
  const [accessKeyId, date, region, service] = scope as [string, string, string, string];
  return { accessKeyId, date, region, service, signedHeaders: parts.SignedHeaders!.split(';'), signature: parts.Signature! };
}

const parseAmzDate = (s: string): number => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
};

/** The hex signature a correct client would have sent for this request with this secret. */
export function expectedSignature(req: SignedRequest, secret: string, auth: { date: string; region: string; service: string; signedHeaders: string[] }, amzDate: string): string {
  const lower: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) lower[k.toLowerCase()] = v;
  const canonicalHeaders = auth.signedHeaders.map((h) => `${h}:${headerValue(lower[h])}\n`).join('');
  // These services sign the payload: the hash in the canonical request is always the body's own, never
  // a declared x-amz-content-sha256 (UNSIGNED-PAYLOAD would leave the body out of the signature).
  const payloadHash = sha256Hex(req.body);
  const canonicalRequest = [req.method.toUpperCase(), canonicalUri(req.path), canonicalQuery(req.query), canonicalHeaders, auth.signedHeaders.join(';'), payloadHash].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  return createHmac('sha256', signingKey(secret, auth.date, auth.region, auth.service)).update(stringToSign).digest('hex');
}

/** Headers that must be among the SignedHeaders whenever the request carries them (host always). */
const MUST_SIGN = [
  ['x-amz-date', 'X-Amz-Date'],
  ['x-amz-target', 'X-Amz-Target'],
] as const;

const mustBeSigned = (name: string) => new SigV4Error('incomplete', `'${name}' must be a 'SignedHeader' in the AWS Authorization.`);

/**
 * Verifies a SigV4-signed request. `service` is the signing name the endpoint expects (`sso`,
 * `identitystore`, `sso-oauth`, `sts`) and `region` the lab's region: the credential scope must name
 * both. Throws a SigV4Error naming what is wrong.
 */
export function verifySigV4(req: SignedRequest, service: string, credentials: CredentialRegistry, clock: Clock, region: string): VerifiedRequest {
  const authHeader = req.headers.authorization ?? req.headers.Authorization;
  if (!authHeader || Array.isArray(authHeader) || authHeader.trim() === '') {
    throw new SigV4Error('missing', 'Missing Authentication Token');
  }
  const auth = parseAuthorization(authHeader);
  const lower: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) lower[k.toLowerCase()] = v;
  const amzDate = headerValue(lower['x-amz-date']);
  if (!amzDate) throw new SigV4Error('incomplete', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (!auth.signedHeaders.includes('host')) throw new SigV4Error('incomplete', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  const at = parseAmzDate(amzDate);
  if (!Number.isFinite(at) || !amzDate.startsWith(auth.date)) {
    throw new SigV4Error('incomplete', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  if (auth.service !== service) {
    throw new SigV4Error('wrong_service', `Credential should be scoped to correct service: '${service}'. `);
  }
  if (auth.region !== region) {
    throw new SigV4Error('wrong_region', `Credential should be scoped to a valid region, not '${auth.region}'. `, `the credential scope names region "${auth.region}"; this lab serves ${region} (config aws.region): sign for ${region}, e.g. AWS_REGION=${region}`);
  }
  const cred: CredentialRecord | undefined = credentials.lookup(auth.accessKeyId);
  if (!cred) throw new SigV4Error('unknown_key', 'The security token included in the request is invalid.');
  const now = clock.now();
  const iso = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  if (now - at > SIGV4_MAX_SKEW_MS) {
    throw new SigV4Error('expired', `Signature expired: ${amzDate} is now earlier than ${iso(now - SIGV4_MAX_SKEW_MS)} (${iso(now)} - 5 min.)`);
  }
  if (at - now > SIGV4_MAX_SKEW_MS) {
    throw new SigV4Error('expired', `Signature not yet current: ${amzDate} is still later than ${iso(now + SIGV4_MAX_SKEW_MS)} (${iso(now)} + 5 min.)`);
  }
  const token = headerValue(lower['x-amz-security-token']);
  // A session token goes with temporary credentials only; with long-term keys AWS refuses it too.
  if (cred.sessionToken === undefined && token !== '') throw new SigV4Error('token_invalid', 'The security token included in the request is invalid.');
  if (cred.sessionToken !== undefined) {
    if (token !== cred.sessionToken) throw new SigV4Error('token_invalid', 'The security token included in the request is invalid.');
    if (credentials.isExpired(cred)) throw new SigV4Error('token_expired', 'The security token included in the request is expired');
    if (!auth.signedHeaders.includes('x-amz-security-token')) throw mustBeSigned('X-Amz-Security-Token');
  }
  // What the request says it is (the operation, the time) must be covered by the signature too.
  for (const [header, name] of MUST_SIGN) if (lower[header] !== undefined && !auth.signedHeaders.includes(header)) throw mustBeSigned(name);
  // The signature covers the body's SHA-256 whatever x-amz-content-sha256 declares; a declared value
  // that is not that hash is refused, UNSIGNED-PAYLOAD included (only S3 accepts it).
  const declaredHash = headerValue(lower['x-amz-content-sha256']);
  if (declaredHash !== '' && declaredHash !== sha256Hex(req.body)) {
    if (/^[0-9a-fA-F]{64}$/.test(declaredHash)) throw new SigV4Error('mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    throw new SigV4Error(
      'mismatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      `x-amz-content-sha256 is ${JSON.stringify(declaredHash.slice(0, 80))}: this service signs the payload, so the signature must cover the SHA-256 of the body (hex); UNSIGNED-PAYLOAD and streaming payloads are S3's only`,
    );
  }
  const expected = Buffer.from(expectedSignature(req, cred.secretAccessKey, auth, amzDate), 'utf8');
  const given = Buffer.from(auth.signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new SigV4Error(
      'mismatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  const { secretAccessKey: _s, sessionToken: _t, expiresAt: _e, ...principal } = cred;
  return { principal, region: auth.region, service: auth.service };
}
