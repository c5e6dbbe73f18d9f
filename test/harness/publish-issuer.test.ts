import t from 'tap';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { KeyStore } from '../../keys/key-store.js';
import { systemClock } from '../../shared/clock.js';
import { LocalIssuer } from '../../harness/issuer/local-issuer.js';
import { cli } from '../cli/helpers/cli-run.js';
import { BUCKET, S3_CREDENTIALS, startS3 } from './helpers/fake-aws.js';

// publish-issuer against an S3-compatible server on loopback: what it publishes verifies what the
// harness signs with the same keys.
t.setTimeout(300_000);
const s3 = await startS3();
t.teardown(() => s3.close());
const saved = { ...process.env };
t.teardown(() => {
  process.env = saved;
});
Object.assign(process.env, { AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey, AWS_REGION: 'eu-west-1' });
const dataDir = await mkdtemp(join(tmpdir(), 'tti-publish-'));
const issuerUrl = `${s3.url}/${BUCKET}/tenants/acme`;

t.test('publishes discovery and JWKS that verify a token the harness signs', async (t) => {
  const r = await cli('publish-issuer', '--issuer', 'acme', '--bucket', BUCKET, '--endpoint', s3.url, '--prefix', 'tenants/acme', '--data-dir', dataDir);
  t.equal(r.code, 0, r.err);
  t.match(r.out, `issuer URL:   ${issuerUrl}`);
  t.match(r.out, /s3:\/\/issuers\/tenants\/acme\/\.well-known\/openid-configuration/);
  t.match(r.out, `--issuer-url ${issuerUrl} --issuer acme --data-dir ${dataDir}`);

  const discovery = (await (await fetch(`${issuerUrl}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] };
  t.equal(discovery.issuer, issuerUrl, 'issuer = the bucket URL (and prefix)');
  t.equal(discovery.jwks_uri, `${issuerUrl}/jwks.json`, 'jwks_uri points at the bucket');
  t.same(discovery.id_token_signing_alg_values_supported, ['RS256']);
  const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Record<string, unknown>[] };
  t.equal(jwks.keys.length, 1);
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) t.notOk(member in jwks.keys[0]!, `no private member ${member}`);

  const signer = new LocalIssuer('acme', issuerUrl, new KeyStore({ dir: join(dataDir, 'keys'), clock: systemClock }));
  const { token } = await signer.mint({ claims: { sub: 'alice', aud: 'web' } });
  const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: discovery.issuer, audience: 'web' });
  t.equal(payload.sub, 'alice');
  t.equal(protectedHeader.kid, jwks.keys[0]!.kid);
});

t.test('publishing again after a rotation publishes both keys; --delete removes the documents', async (t) => {
  const keys = new KeyStore({ dir: join(dataDir, 'keys'), clock: systemClock });
  await keys.rotate('acme', 'RS256');
  const again = await cli('publish-issuer', '--issuer', 'acme', '--bucket', BUCKET, '--endpoint', s3.url, '--prefix', 'tenants/acme', '--data-dir', dataDir);
  t.equal(again.code, 0, again.err);
  const jwks = (await (await fetch(`${issuerUrl}/jwks.json`)).json()) as { keys: unknown[] };
  t.equal(jwks.keys.length, 2, 'the rotated-out key stays published');
  const del = await cli('publish-issuer', '--issuer', 'acme', '--bucket', BUCKET, '--endpoint', s3.url, '--prefix', 'tenants/acme', '--data-dir', dataDir, '--delete');
  t.equal(del.code, 0, del.err);
  t.equal((await fetch(`${issuerUrl}/.well-known/openid-configuration`)).status, 404);
  t.equal((await fetch(`${issuerUrl}/jwks.json`)).status, 404);
});

t.test('--create-bucket makes the bucket; the bucket root is the issuer URL without --prefix', async (t) => {
  const r = await cli('publish-issuer', '--issuer', 'root', '--bucket', 'fresh-bucket', '--endpoint', s3.url, '--data-dir', dataDir, '--create-bucket', '--algorithm', 'ES256');
  t.equal(r.code, 0, r.err);
  t.match(r.out, /created bucket fresh-bucket/);
  const discovery = (await (await fetch(`${s3.url}/fresh-bucket/.well-known/openid-configuration`)).json()) as { issuer: string; id_token_signing_alg_values_supported: string[] };
  t.equal(discovery.issuer, `${s3.url}/fresh-bucket`);
  t.same(discovery.id_token_signing_alg_values_supported, ['ES256']);
});

t.test('--dry-run shows the documents, the public-read policy and the real S3 URL; sends nothing', async (t) => {
  const r = await cli('publish-issuer', '--issuer', 'acme', '--bucket', 'my-issuer', '--data-dir', dataDir, '--make-public', '--dry-run');
  t.equal(r.code, 0, r.err);
  t.match(r.out, /issuer URL: https:\/\/my-issuer\.s3\.eu-west-1\.amazonaws\.com \(dry run: nothing was sent\)/);
  t.match(r.out, /"jwks_uri": "https:\/\/my-issuer\.s3\.eu-west-1\.amazonaws\.com\/jwks\.json"/);
  t.match(r.out, /PutBucketPolicy my-issuer: .*"Principal":"\*","Action":"s3:GetObject","Resource":\["arn:aws:s3:::my-issuer\/\.well-known\/openid-configuration","arn:aws:s3:::my-issuer\/jwks\.json"\]/);
  t.match(r.out, /PutPublicAccessBlock my-issuer: BlockPublicPolicy=false, RestrictPublicBuckets=false/);
});

t.test('--dry-run with no key on disk yet writes nothing: a throwaway key, said so', async (t) => {
  const fresh = join(await mkdtemp(join(tmpdir(), 'tti-publish-dry-')), 'data');
  const r = await cli('publish-issuer', '--issuer', 'newco', '--bucket', 'my-issuer', '--data-dir', fresh, '--dry-run');
  t.equal(r.code, 0, r.err);
  t.match(r.out, /"keys": \[/);
  t.match(r.out, `no key for "newco" in ${join(fresh, 'keys')} yet: the JWKS above is a throwaway key's, and nothing was written; the real run makes the key and keeps it there`);
  t.notOk(existsSync(fresh), 'no data dir, no key file');
});

t.test('usage errors', async (t) => {
  const cases: [string[], RegExp][] = [
    [['publish-issuer', '--bucket', BUCKET], /--issuer NAME is required/],
    [['publish-issuer', '--issuer', 'acme'], /--bucket NAME is required/],
    [['publish-issuer', '--issuer', 'acme', '--bucket', 'Bad_Bucket'], /--bucket: expected an S3 bucket name/],
    [['publish-issuer', '--issuer', 'acme', '--bucket', 'my.issuer'], /a name with dots cannot be served over HTTPS/],
    [['publish-issuer', '--issuer', 'acme', '--bucket', BUCKET, '--algorithm', 'HS256'], /--algorithm: expected one of RS256, PS256, ES256, EdDSA/],
  ];
  for (const [argv, expected] of cases) {
    const r = await cli(...argv);
    t.equal(r.code, 2, argv.join(' '));
    t.match(r.err, expected);
  }
});
