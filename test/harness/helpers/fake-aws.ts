import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { startLab, type Lab } from '../../../server/index.js';
import { tipTrustPolicy } from '../../../harness/targets/mock-target.js';

export const ACCOUNT = '000000000000';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/TipBearer`;
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const BUCKET = 'issuers';

/** An S3-compatible server on loopback (s3rver), with one bucket, files in a temp dir. */
export async function startS3(): Promise<{ url: string; dir: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tti-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
  const { port } = await server.run();
  return { url: `http://127.0.0.1:${port}`, dir, close: () => server.close() };
}

/**
 * A second lab posing as AWS: the harness's "aws" target talks to it through an endpoint override,
 * as it would talk to the real service. It fetches the issuers the harness publishes to s3rver,
 * like the real Identity Center fetches them from S3. A behaviour profile (YAML text) makes it
 * answer differently from the emulator the mock target runs.
 */
export async function startFakeAws(opts: { profile?: string } = {}): Promise<{ lab: Lab; instanceArn: string }> {
  let behaviourProfile: string | undefined;
  if (opts.profile) {
    const dir = await mkdtemp(join(tmpdir(), 'tti-fake-aws-'));
    behaviourProfile = join(dir, 'profile.yaml');
    await writeFile(behaviourProfile, opts.profile);
  }
  const lab = await startLab({
    inMemory: true,
    ...(behaviourProfile ? { behaviourProfile } : {}),
    config: {
      aws: {
        roles: [{ arn: ROLE_ARN, trust_policy: tipTrustPolicy(ACCOUNT) }],
        // s3rver's fixed key pair is a principal here too, so one credential chain serves both (the CLI test).
        principals: [{ access_key_id: S3_CREDENTIALS.accessKeyId, secret_access_key: S3_CREDENTIALS.secretAccessKey, arn: `arn:aws:iam::${ACCOUNT}:user/harness` }],
      },
    },
  });
  return { lab, instanceArn: lab.services.identityCenter.defaultInstance().InstanceArn };
}

/** What the harness made on a lab and did not remove: applications, trusted token issuers, users, groups, account instances. */
export function leftovers(lab: Lab): string[] {
  const s = lab.services.identityCenter.state.read;
  const out = [
    ...Object.values(s.applications).map((a) => `application ${a.Name}`),
    ...Object.values(s.trustedTokenIssuers).map((t) => `trusted token issuer ${t.Name}`),
    ...Object.values(s.instances).filter((i) => i.InstanceType === 'ACCOUNT').map((i) => `instance ${i.Name ?? i.InstanceArn}`),
  ];
  for (const store of Object.values(s.identityStores)) {
    out.push(...Object.values(store.Users).map((u) => `user ${u.UserName}`), ...Object.values(store.Groups).map((g) => `group ${g.DisplayName}`));
  }
  return out;
}
