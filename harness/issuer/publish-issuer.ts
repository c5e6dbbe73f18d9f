import type { JWK } from 'jose';
import { HarnessError } from '../../server/sdk/sdk-sender.js';

/**
 * Publishing an issuer where the real Identity Center can reach it: its discovery document and JWKS
 * as two objects in an S3 bucket, served over HTTPS by S3 itself. The issuer URL is the bucket's URL
 * (plus an optional prefix); the discovery's `issuer` and `jwks_uri` point there, so the documents
 * verify tokens the harness signs locally with the same keys.
 */

export interface BucketLocation {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (tests: s3rver on loopback); path-style URLs are used with it. */
  endpoint?: string;
  /** Objects go under this prefix (no leading or trailing slash); the issuer URL ends with it. */
  prefix?: string;
}

export const DISCOVERY_KEY = '.well-known/openid-configuration';
export const JWKS_KEY = 'jwks.json';

const trim = (p: string | undefined) => (p ?? '').replace(/^\/+|\/+$/g, '');

/** The issuer URL for a bucket: `https://<bucket>.s3.<region>.amazonaws.com[/<prefix>]`, or `<endpoint>/<bucket>[/<prefix>]`. */
export function bucketIssuerUrl(loc: BucketLocation): string {
  const base = loc.endpoint ? `${loc.endpoint.replace(/\/+$/, '')}/${loc.bucket}` : `https://${loc.bucket}.s3.${loc.region}.amazonaws.com`;
  const prefix = trim(loc.prefix);
  return prefix ? `${base}/${prefix}` : base;
}

/** The discovery document Identity Center reads: issuer and jwks_uri are what it needs; the rest is what OIDC Discovery requires. */
export function discoveryDocument(issuerUrl: string, algorithms: string[]): Record<string, unknown> {
  return {
    issuer: issuerUrl,
    jwks_uri: `${issuerUrl}/${JWKS_KEY}`,
    // Required by OpenID Connect Discovery 1.0 §3; this issuer has no authorization endpoint of its own.
    authorization_endpoint: `${issuerUrl}/authorize`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...new Set(algorithms)],
  };
}

export interface S3Like {
  send(command: unknown): Promise<unknown>;
  destroy(): void;
}

type S3Module = Record<string, new (arg: unknown) => unknown>;

/** Loads @aws-sdk/client-s3 on first use. */
export async function loadS3(): Promise<S3Module> {
  try {
    return (await import('@aws-sdk/client-s3')) as unknown as S3Module;
  } catch {
    throw new HarnessError('publishing an issuer needs @aws-sdk/client-s3: npm install @aws-sdk/client-s3');
  }
}

export async function s3Client(loc: BucketLocation, opts: { profile?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } = {}): Promise<{ s3: S3Like; mod: S3Module }> {
  const mod = await loadS3();
  const S3Client = mod.S3Client!;
  const s3 = new S3Client({
    region: loc.region,
    maxAttempts: 3,
    ...(loc.endpoint ? { endpoint: loc.endpoint, forcePathStyle: true } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  }) as S3Like;
  return { s3, mod };
}

const objectKey = (prefix: string | undefined, key: string) => (trim(prefix) ? `${trim(prefix)}/${key}` : key);

/** What publishing does, call by call: for --dry-run and for the command's output. */
export function publishPlan(loc: BucketLocation, issuerUrl: string, jwks: { keys: JWK[] }, algorithms: string[]) {
  const body = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  return [
    { Key: objectKey(loc.prefix, DISCOVERY_KEY), Body: body(discoveryDocument(issuerUrl, algorithms)) },
    { Key: objectKey(loc.prefix, JWKS_KEY), Body: body(jwks) },
  ].map((o) => ({ Bucket: loc.bucket, ...o, ContentType: 'application/json', CacheControl: 'max-age=60' }));
}

/** Puts the two documents; returns their object keys. */
export async function publishDocuments(s3: S3Like, mod: S3Module, loc: BucketLocation, issuerUrl: string, jwks: { keys: JWK[] }, algorithms: string[]): Promise<string[]> {
  const PutObjectCommand = mod.PutObjectCommand!;
  const plan = publishPlan(loc, issuerUrl, jwks, algorithms);
  for (const put of plan) await s3.send(new PutObjectCommand(put));
  return plan.map((p) => p.Key);
}

export async function deleteDocuments(s3: S3Like, mod: S3Module, bucket: string, keys: string[]): Promise<void> {
  const DeleteObjectCommand = mod.DeleteObjectCommand!;
  for (const Key of keys) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
}

/**
 * The bucket policy that lets anyone (Identity Center's fetcher among them) read the two documents
 * under a prefix, and nothing else.
 */
export function publicReadPolicy(bucket: string, prefix: string | undefined): Record<string, unknown> {
  const p = trim(prefix);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TtiLabIssuerDocumentsPublicRead',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: [`arn:aws:s3:::${bucket}/${objectKey(p, DISCOVERY_KEY)}`, `arn:aws:s3:::${bucket}/${objectKey(p, JWKS_KEY)}`, ...(p ? [`arn:aws:s3:::${bucket}/${p}/*`] : [])],
      },
    ],
  };
}
