import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harness } from '../../harness/harness.js';
import { loadScenarios } from '../../harness/scenario/load-scenarios.js';
import { runHarness } from '../../harness/run/run-harness.js';
import { targetsFromOptions } from '../../harness/run/targets-from-options.js';
import type { Target } from '../../harness/targets/target.js';
import { cli } from '../cli/helpers/cli-run.js';
import { BUCKET, CREDENTIALS, ROLE_ARN, S3_CREDENTIALS, leftovers, startFakeAws, startS3 } from './helpers/fake-aws.js';

// The aws target removes what it made whatever happens: a refused setup call, an interruption.
t.setTimeout(600_000);

const s3 = await startS3();
t.teardown(() => s3.close());
const fake = await startFakeAws();
t.teardown(() => fake.lab.close());
const dir = await mkdtemp(join(tmpdir(), 'tti-harness-cleanup-'));
const awsOptions = {
  targets: ['aws' as const],
  awsEndpoint: fake.lab.url,
  credentials: CREDENTIALS,
  instanceArn: fake.instanceArn,
  roleArn: ROLE_ARN,
  bucket: BUCKET,
  s3Endpoint: s3.url,
  s3Credentials: S3_CREDENTIALS,
  region: 'us-east-1',
};

const REFUSED = `name: refused-midway
description: the trusted token issuer's claim path breaks the model's pattern, after users and a group were made
setup:
  users: [{ name: alice, emails: ["alice-\${ns}@example.com"] }, { name: bob, emails: ["bob-\${ns}@example.com"] }]
  groups: [{ name: staff, members: [alice, bob] }]
  trusted_token_issuers: [{ name: idp, issuer: idp, claim_attribute_path: "not a path!", identity_store_attribute_path: emails.value }]
  applications:
    - name: web
      grants: { jwt_bearer: [{ trusted_token_issuer: idp, audiences: ["web-\${ns}"] }] }
steps:
  - create_token_with_iam: { application: web, grant_type: jwt-bearer, assertion: "x" }
    expect: success
`;

t.test('a setup call refused midway: the scenario fails there, naming the call, and what was made is removed', async (t) => {
  const file = join(dir, 'refused.yaml');
  await writeFile(file, REFUSED);
  const out = await harness({ ...awsOptions, files: [file] });
  const [r] = out.run.results.aws!;
  t.equal(r!.status, 'failed');
  t.match(r!.setup, { outcome: 'failure', exception: 'ValidationException', status: 400, call: 'CreateTrustedTokenIssuer' });
  t.match(r!.reason, /CreateTrustedTokenIssuer was refused: ValidationException/);
  t.same(r!.steps, [], 'no step ran');
  t.equal(r!.cleanup.deleted, 5, 'two memberships, the group, two users');
  t.same(r!.cleanup.failed, []);
  t.same(leftovers(fake.lab), []);
  t.notOk(out.summary.ok);
});

/** Wraps a target so the run is interrupted (as by Ctrl-C) when the n-th call goes out. */
function interruptAfter(inner: Target, n: number, controller: AbortController): Target {
  let calls = 0;
  return {
    name: inner.name,
    kind: inner.kind,
    description: inner.description,
    concurrent: inner.concurrent,
    unsupported: (sc) => inner.unsupported(sc),
    ...(inner.prepare ? { prepare: (s: Parameters<NonNullable<Target['prepare']>>[0], id: string) => inner.prepare!(s, id) } : {}),
    open: async (sc, ns, signal) => {
      const session = await inner.open(sc, ns, signal);
      return {
        ...session,
        send: async (service, operation, input) => {
          if (++calls === n) controller.abort();
          return session.send(service, operation, input);
        },
      };
    },
    close: () => inner.close(),
  };
}

t.test('interrupted (Ctrl-C) in the middle of a run: no new scenario starts, and the running one cleans up', async (t) => {
  const scenarios = (await loadScenarios({ catalog: true })).filter((s) => ['refresh-rotation', 'replay', 'scope-subset'].includes(s.name));
  const controller = new AbortController();
  const [aws] = targetsFromOptions(awsOptions);
  const run = await runHarness({ scenarios, targets: [interruptAfter(aws!, 4, controller)], concurrency: 1, signal: controller.signal });
  t.ok(run.interrupted);
  const results = run.results.aws!;
  t.equal(results.length, 1, 'the scenarios after it never started');
  t.equal(results[0]!.status, 'error');
  t.match(results[0]!.reason, /interrupted/);
  t.ok(results[0]!.cleanup.deleted >= 3, `${results[0]!.cleanup.deleted} resources removed`);
  t.same(results[0]!.cleanup.failed, []);
  t.same(leftovers(fake.lab), []);
  t.equal(fake.lab.exchanges().length, 0, 'it stopped before any exchange');
});

t.test('tti-lab harness run --target aws, through the standard credential chain and an endpoint override', async (t) => {
  const saved = { ...process.env };
  t.teardown(() => {
    process.env = saved;
  });
  // The standard provider chain reads these, as it would on a developer's machine; the fake AWS
  // and s3rver both know this key pair.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' });
  const file = join(dir, 'aud-string.yaml');
  const { readFile } = await import('node:fs/promises');
  const { catalogDir } = await import('../../harness/scenario/load-scenarios.js');
  await writeFile(file, await readFile(join(catalogDir(), 'aud-string.yaml'), 'utf8'));
  const args = ['harness', 'run', file, '--target', 'aws', '--aws-endpoint', fake.lab.url, '--instance-arn', fake.instanceArn, '--bucket', BUCKET, '--s3-endpoint', s3.url, '--role-arn', ROLE_ARN];
  const r = await cli(...args);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /^aud-string {2}pass$/m);
  t.match(r.out, /✓ exchange +success Bearer 3600s \[aws openid s3:access_grants:read_write sts:identity_context\]/);
  t.match(r.out, /1 scenarios — aws: 1 passed, 0 failed/);
  t.same(leftovers(fake.lab), []);

  const before = fake.lab.exchanges().length;
  const dry = await cli(...args, '--dry-run');
  t.equal(dry.code, 0, dry.err);
  t.match(dry.out, /^# aws: calls a run would make \(nothing was sent\)$/m);
  t.match(dry.out, /^setup {3}sso-admin CreateApplication \{"InstanceArn":"\$\{instance\.arn\}","ApplicationProviderArn":"arn:aws:sso::aws:applicationProvider\/custom","Name":"web-\$\{ns\}","Tags":\[\{"Key":"tti-lab-harness-run","Value":"\$\{run\}"\}/m);
  t.match(dry.out, /^step {4}sso-oidc CreateTokenWithIAM \{"clientId":"\$\{app\.web\.arn\}"/m);
  t.match(dry.out, /^cleanup sso-admin DeleteApplication \{"ApplicationArn":"\$\{app\.web\.arn\}"\}$/m);
  t.equal(fake.lab.exchanges().length, before, 'a dry run sends nothing');
  t.same(leftovers(fake.lab), []);
});

t.test('a target that cannot be reached: a clear error, exit 1', async (t) => {
  const r = await cli('harness', 'run', '--catalog', '--filter', 'aud-string', '--target', 'aws', '--aws-endpoint', 'http://127.0.0.1:9', '--instance-arn', fake.instanceArn, '--bucket', BUCKET, '--s3-endpoint', s3.url);
  t.equal(r.code, 1);
  t.match(r.err, /tti-lab harness: cannot tell who the caller is \(sts:GetCallerIdentity\)/);
});
