import { join, resolve, dirname } from 'node:path';
import { systemClock } from '../../shared/clock.js';
import { loadConfig } from '../config/load-config.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../shared/signing-algorithm.js';
import { DEFAULT_DATA_DIR } from '../lab/start-lab.js';
import { KeyStore } from '../../keys/key-store.js';
import { UsageError, type Command } from './command.js';

const USAGE = `Usage: tti-lab publish-issuer --issuer NAME --bucket BUCKET [options]

Puts a lab issuer's discovery document and JWKS in an S3 bucket, which S3 serves over HTTPS, so
the real IAM Identity Center can fetch them: the issuer URL is the bucket's URL
(https://BUCKET.s3.REGION.amazonaws.com[/PREFIX]), and the discovery's issuer and jwks_uri point
there. The keys stay in the data dir; tokens are signed locally with them (tti-lab harness
--issuer-url URL --issuer NAME). Credentials: the SDK's standard chain, or --profile.

Options:
  --issuer NAME       the issuer whose keys to publish (required); made if the data dir has none
  --bucket NAME       the S3 bucket (required)
  --region R          the bucket's region (default AWS_REGION, else us-east-1)
  --prefix P          put the documents under this key prefix; the issuer URL ends with it
  --profile P         a named AWS profile
  --config FILE       a lab configuration that declares the issuer (its algorithm and data_dir)
  --algorithm ALG     without --config: ${SIGNING_ALGORITHMS.join(', ')} (default RS256)
  --data-dir DIR      where the keys are (default: the config's data_dir, else ${DEFAULT_DATA_DIR}/)
  --create-bucket     create the bucket first if it does not exist
  --make-public       let anyone read the two documents: allow public bucket policies (the bucket's
                      public access block) and put a policy granting s3:GetObject on them only
  --endpoint URL      an S3-compatible endpoint (path-style URLs; for testing)
  --delete            remove the two documents instead
  --dry-run           print the documents and the calls; send nothing
  -h, --help          this help`;

export const publishIssuerCommand: Command = {
  name: 'publish-issuer',
  summary: 'publish a lab issuer\'s discovery and JWKS to S3, for the real Identity Center',
  usage: USAGE,
  options: {
    issuer: { type: 'string' },
    bucket: { type: 'string' },
    region: { type: 'string' },
    prefix: { type: 'string' },
    profile: { type: 'string' },
    config: { type: 'string' },
    algorithm: { type: 'string' },
    'data-dir': { type: 'string' },
    'create-bucket': { type: 'boolean' },
    'make-public': { type: 'boolean' },
    endpoint: { type: 'string' },
    delete: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  async run(v, _positionals, io) {
    const name = v.issuer as string | undefined;
    const bucket = v.bucket as string | undefined;
    if (!name) throw new UsageError('--issuer NAME is required');
    if (!bucket) throw new UsageError('--bucket NAME is required');
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new UsageError(`--bucket: expected an S3 bucket name (lowercase letters, digits, dots and dashes, 3–63), got "${bucket}"`);
    if (bucket.includes('.') && !v.endpoint) throw new UsageError('--bucket: a name with dots cannot be served over HTTPS at BUCKET.s3.REGION.amazonaws.com (the certificate covers one label); pick one without dots');
    if (v.endpoint !== undefined && !/^https?:\/\/[^/]+/.test(String(v.endpoint))) throw new UsageError(`--endpoint: expected a URL such as http://127.0.0.1:4568, got "${String(v.endpoint)}"`);
    let algorithm = (v.algorithm as SigningAlgorithm | undefined) ?? 'RS256';
    if (!SIGNING_ALGORITHMS.includes(algorithm)) throw new UsageError(`--algorithm: expected one of ${SIGNING_ALGORITHMS.join(', ')}`);
    let dataDir = v['data-dir'] ? resolve(String(v['data-dir'])) : resolve(DEFAULT_DATA_DIR);
    if (v.config) {
      const config = await loadConfig(String(v.config));
      const declared = config.issuers.find((i) => i.name === name);
      if (!declared) throw new UsageError(`${String(v.config)} declares no issuer "${name}"; it has: ${config.issuers.map((i) => i.name).join(', ') || 'none'}`);
      if (v.algorithm === undefined) algorithm = declared.algorithm;
      if (!v['data-dir'] && config.data_dir) dataDir = resolve(dirname(resolve(String(v.config))), config.data_dir);
    }
    const { bucketIssuerUrl, publishPlan, publishDocuments, deleteDocuments, publicReadPolicy, s3Client, DISCOVERY_KEY, JWKS_KEY } = await import('../../harness/issuer/publish-issuer.js');
    const { LocalIssuer } = await import('../../harness/issuer/local-issuer.js');
    const region = (v.region as string | undefined) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const location = { bucket, region, ...(v.endpoint ? { endpoint: String(v.endpoint) } : {}), ...(v.prefix ? { prefix: String(v.prefix) } : {}) };
    const issuerUrl = bucketIssuerUrl(location);
    const onDisk = new KeyStore({ dir: join(dataDir, 'keys'), clock: systemClock });
    // A dry run writes nothing: with no key on disk yet, it shows a JWKS of a throwaway key.
    const throwawayKey = Boolean(v['dry-run']) && !(await onDisk.list(name)).length;
    const keys = throwawayKey ? new KeyStore({ dir: null, clock: systemClock }) : onDisk;
    const issuer = new LocalIssuer(name, issuerUrl, keys, algorithm);
    const plan = v.delete ? [] : publishPlan(location, issuerUrl, await issuer.publicJwks(), [algorithm]);
    if (v['dry-run']) {
      if (v['create-bucket']) io.out(`CreateBucket ${bucket} (${region}), if it does not exist`);
      if (v['make-public']) io.out(`PutPublicAccessBlock ${bucket}: BlockPublicPolicy=false, RestrictPublicBuckets=false\nPutBucketPolicy ${bucket}: ${JSON.stringify(publicReadPolicy(bucket, location.prefix))}`);
      if (v.delete) io.out(`DeleteObject ${bucket}/${[location.prefix, DISCOVERY_KEY].filter(Boolean).join('/')}\nDeleteObject ${bucket}/${[location.prefix, JWKS_KEY].filter(Boolean).join('/')}`);
      for (const p of plan) io.out(`PutObject ${p.Bucket}/${p.Key} (${p.ContentType}):\n${p.Body}`);
      io.out(`issuer URL: ${issuerUrl} (dry run: nothing was sent)`);
      if (throwawayKey) io.out(`no key for "${name}" in ${join(dataDir, 'keys')} yet: the JWKS above is a throwaway key's, and nothing was written; the real run makes the key and keeps it there`);
      return 0;
    }
    const { s3, mod } = await s3Client(location, v.profile ? { profile: String(v.profile) } : {});
    try {
      if (v.delete) {
        const keysToDelete = [DISCOVERY_KEY, JWKS_KEY].map((k) => [location.prefix?.replace(/^\/+|\/+$/g, ''), k].filter(Boolean).join('/'));
        await deleteDocuments(s3, mod, bucket, keysToDelete);
        io.out(`removed ${keysToDelete.map((k) => `s3://${bucket}/${k}`).join(' and ')}`);
        return 0;
      }
      if (v['create-bucket']) {
        const exists = await s3.send(new mod.HeadBucketCommand!({ Bucket: bucket })).then(() => true, () => false);
        if (!exists) {
          await s3.send(new mod.CreateBucketCommand!({ Bucket: bucket, ...(region !== 'us-east-1' && !v.endpoint ? { CreateBucketConfiguration: { LocationConstraint: region } } : {}) }));
          io.out(`created bucket ${bucket}`);
        }
      }
      if (v['make-public']) {
        await s3.send(new mod.PutPublicAccessBlockCommand!({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
        await s3.send(new mod.PutBucketPolicyCommand!({ Bucket: bucket, Policy: JSON.stringify(publicReadPolicy(bucket, location.prefix)) }));
        io.out(`bucket policy: anyone may read the two documents of ${bucket}${location.prefix ? `/${location.prefix}` : ''}`);
      }
      const put = await publishDocuments(s3, mod, location, issuerUrl, await issuer.publicJwks(), [algorithm]);
      const kids = (await keys.list(name)).map((k) => `${k.kid} (${k.status})`);
      io.out([
        `published issuer "${name}" (${algorithm}, keys from ${join(dataDir, 'keys')}):`,
        ...put.map((k) => `  s3://${bucket}/${k}`),
        `issuer URL:   ${issuerUrl}`,
        `discovery:    ${issuerUrl}/${DISCOVERY_KEY}`,
        `JWKS:         ${issuerUrl}/${JWKS_KEY}  — ${kids.join(', ')}`,
        '',
        'Use it as a trusted token issuer\'s IssuerUrl, or with the harness:',
        `  tti-lab harness run --catalog --target aws --issuer-url ${issuerUrl} --issuer ${name} --data-dir ${dataDir} --instance-arn …`,
      ].join('\n'));
      return 0;
    } finally {
      s3.destroy();
    }
  },
};
