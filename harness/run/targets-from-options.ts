import { resolve } from 'node:path';
import { DEFAULT_DATA_DIR } from '../../server/lab/start-lab.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../shared/signing-algorithm.js';
import { AwsTarget, type IssuerSource } from '../targets/aws-target.js';
import { DryRunTarget } from '../targets/dry-run-target.js';
import { MockTarget } from '../targets/mock-target.js';
import { bucketIssuerUrl } from '../issuer/publish-issuer.js';
import type { Target } from '../targets/target.js';

/** The harness's target options, as the CLI reads them (and tests pass them). */
export interface TargetOptions {
  targets: ('mock' | 'aws')[];
  /** mock: a running lab. */
  endpoint?: string;
  behaviourProfile?: string;
  region?: string;
  profile?: string;
  instanceArn?: string;
  roleArn?: string;
  /** aws: every call to this endpoint (a lab posing as AWS). */
  awsEndpoint?: string;
  /** Explicit credentials (tests); otherwise the SDK's standard chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  bucket?: string;
  s3Endpoint?: string;
  s3Credentials?: { accessKeyId: string; secretAccessKey: string };
  issuerUrl?: string;
  issuer?: string;
  algorithm?: SigningAlgorithm;
  dataDir?: string;
  dryRun?: boolean;
}

export class TargetOptionError extends Error {}

const LAB_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Builds the targets a run asked for, or says which option is missing. */
export function targetsFromOptions(o: TargetOptions): Target[] {
  if (!o.targets.length) throw new TargetOptionError('--target mock or --target aws is required (twice to run both side by side)');
  if (o.targets.length > 2 || new Set(o.targets).size !== o.targets.length) throw new TargetOptionError('--target: at most one mock and one aws');
  if (o.algorithm !== undefined && !SIGNING_ALGORITHMS.includes(o.algorithm)) throw new TargetOptionError(`--algorithm: expected one of ${SIGNING_ALGORITHMS.join(', ')}`);
  const region = o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return o.targets.map((kind): Target => {
    if (kind === 'mock') {
      if (o.dryRun) return new DryRunTarget({ name: 'mock', kind: 'mock' });
      if (!o.endpoint) return new MockTarget({ ...(o.behaviourProfile ? { behaviourProfile: o.behaviourProfile } : {}) });
      if (o.behaviourProfile) throw new TargetOptionError('--behaviour-profile applies to the in-process lab; a running lab (--endpoint) has its own');
      return new AwsTarget({
        name: 'mock',
        kind: 'mock',
        sdk: { region: 'us-east-1', endpoint: o.endpoint, credentials: LAB_CREDENTIALS },
        ...(o.roleArn ? { roleArn: o.roleArn } : {}),
        issuers: { kind: 'lab', url: o.endpoint },
      });
    }
    if (!o.instanceArn) throw new TargetOptionError('--target aws needs --instance-arn: the Identity Center instance the harness creates its resources in');
    if (!o.bucket === !o.issuerUrl) throw new TargetOptionError('--target aws needs where Identity Center can fetch the issuer: --bucket NAME (the harness publishes its issuers there) or --issuer-url URL (one published with tti-lab publish-issuer), not both');
    const issuers: IssuerSource = o.bucket
      ? { kind: 'bucket', location: { bucket: o.bucket, region, ...(o.s3Endpoint ? { endpoint: o.s3Endpoint } : {}) }, ...(o.profile ? { profile: o.profile } : {}), ...(o.s3Credentials ? { credentials: o.s3Credentials } : {}) }
      : { kind: 'published', url: o.issuerUrl!, issuer: o.issuer ?? 'idp', dataDir: resolve(o.dataDir ?? DEFAULT_DATA_DIR), ...(o.algorithm ? { algorithm: o.algorithm } : {}) };
    if (o.dryRun) {
      return new DryRunTarget({
        name: 'aws',
        kind: 'aws',
        instanceArn: o.instanceArn,
        ...(o.roleArn ? { roleArn: o.roleArn } : {}),
        issuerUrl: (issuer, ns) => (issuers.kind === 'bucket' ? bucketIssuerUrl({ ...issuers.location, prefix: `tti-lab-harness/${ns}/${issuer}` }) : o.issuerUrl!),
      });
    }
    return new AwsTarget({
      name: 'aws',
      sdk: { region, ...(o.awsEndpoint ? { endpoint: o.awsEndpoint } : {}), ...(o.profile ? { profile: o.profile } : {}), ...(o.credentials ? { credentials: o.credentials } : {}) },
      instanceArn: o.instanceArn,
      ...(o.roleArn ? { roleArn: o.roleArn } : {}),
      issuers,
    });
  });
}
