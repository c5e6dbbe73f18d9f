import { UsageError, type Command } from './command.js';

const USAGE = `Usage: tti-lab harness <run|compare|list> [scenario files] [options]

Runs the same calls against the real IAM Identity Center and the emulator, side by side, and
shows where they differ (docs/harness.md).

  run       run scenarios on one target (checking their expectations), or on two side by side
  compare   run scenarios on one target and compare with a recorded cassette, offline
  list      check scenario files and list the scenarios

Scenarios:
  FILE ...                scenario files (YAML)
  --catalog               the built-in catalog (harness/catalog/)
  --filter TEXT           only scenarios whose name or a tag contains TEXT (repeatable)

Targets:
  --target mock|aws       where the calls go; give it twice (--target mock --target aws) to run
                          both side by side
  --endpoint URL          mock: a running lab (tti-lab serve) instead of one in this process;
                          it must declare the scenarios' issuers (the catalog's: idp), as
                          examples/harness-lab.yaml does
  --behaviour-profile F   mock: a behaviour profile merged over the default (in-process lab)
  --region R              aws: the region (default AWS_REGION, else us-east-1)
  --profile P             aws: a named profile (default: the SDK's standard credential chain)
  --instance-arn ARN      aws: the existing instance to create resources in (required)
  --role-arn ARN          a role for AssumeRole steps; its trust policy must allow the caller
                          sts:AssumeRole and sts:SetContext (scenarios that need one are pending
                          without it)
  --aws-endpoint URL      aws: send every call to this endpoint instead (a lab posing as AWS)
  --bucket NAME           aws: publish each scenario's issuers to this S3 bucket, under
                          tti-lab-harness/, and remove them afterwards
  --s3-endpoint URL       an S3-compatible endpoint for --bucket (path-style)
  --issuer-url URL        aws: an issuer already published (tti-lab publish-issuer, or your own
                          public URL); scenarios run one at a time
  --issuer NAME           with --issuer-url: the lab issuer whose keys sign (default idp)
  --algorithm ALG         with --issuer-url: its algorithm (default RS256)
  --data-dir DIR          with --issuer-url: the data dir holding its keys (default .tti-lab)
  --dry-run               list the calls each target would receive; send nothing

Output:
  --against FILE          compare: the cassette to compare with
  --report DIR            write report.json, report.md and junit.xml (and a profile suggestion)
  --record FILE           keep one target's normalised outcomes (aws if given) as a cassette;
                          tokens, secrets and account ids redacted
  --suggest-profile FILE  write the divergences as a behaviour-profile fragment
  --shard i/n             run every n-th scenario, starting at the i-th
  --concurrency N         scenarios at a time (default 4; 1 when a target needs it)
  -h, --help              this help

Exit status: 0 when every expectation is met (one target) or nothing diverges (two, or a
cassette); 1 otherwise, or when something could not be cleaned up; 2 for usage errors; 130 when
interrupted (what was made is removed first).

Examples:
  tti-lab harness run --catalog --target mock
  tti-lab harness run --catalog --target mock --target aws --instance-arn arn:aws:sso:::instance/ssoins-… \\
      --issuer-url https://my-bucket.s3.us-east-1.amazonaws.com --role-arn arn:aws:iam::…:role/TipBearer
  tti-lab harness run --catalog --target aws … --record aws.json
  tti-lab harness compare --catalog --target mock --against aws.json`;

export const harnessCommand: Command = {
  name: 'harness',
  summary: 'run scenarios against real Identity Center and the emulator, side by side',
  usage: USAGE,
  allowPositionals: true,
  options: {
    catalog: { type: 'boolean' },
    filter: { type: 'string', multiple: true },
    target: { type: 'string', multiple: true },
    endpoint: { type: 'string' },
    'behaviour-profile': { type: 'string' },
    region: { type: 'string' },
    profile: { type: 'string' },
    'instance-arn': { type: 'string' },
    'role-arn': { type: 'string' },
    'aws-endpoint': { type: 'string' },
    bucket: { type: 'string' },
    's3-endpoint': { type: 'string' },
    'issuer-url': { type: 'string' },
    issuer: { type: 'string' },
    algorithm: { type: 'string' },
    'data-dir': { type: 'string' },
    'dry-run': { type: 'boolean' },
    against: { type: 'string' },
    report: { type: 'string' },
    record: { type: 'string' },
    'suggest-profile': { type: 'string' },
    shard: { type: 'string' },
    concurrency: { type: 'string' },
  },
  async run(v, positionals, io) {
    const [action, ...files] = positionals;
    if (!action || !['run', 'compare', 'list'].includes(action)) throw new UsageError('expected an action: run, compare or list');
    // Loaded here, so the other commands start without the harness (and the AWS SDK it uses).
    const { harness } = await import('../../harness/harness.js');
    const { loadScenarios } = await import('../../harness/scenario/load-scenarios.js');
    const { parseShard } = await import('../../harness/run/run-harness.js');
    const { TargetOptionError } = await import('../../harness/run/targets-from-options.js');
    const { HarnessError } = await import('../sdk/sdk-sender.js');
    const { COLOR, PLAIN, progressLine } = await import('../../harness/report/terminal.js');
    if (!files.length && !v.catalog) throw new UsageError('give scenario files, or --catalog');
    if (action === 'list') {
      const scenarios = await loadScenarios({ files, catalog: Boolean(v.catalog) });
      for (const s of scenarios) io.out(`${s.name.padEnd(40)} ${s.tags.join(',').padEnd(22)} ${s.steps.length} steps  ${s.file}`);
      io.out(`${scenarios.length} scenarios, all valid`);
      return 0;
    }
    if (action === 'compare' && !v.against) throw new UsageError('compare needs --against CASSETTE (written by harness run --record)');
    if (action === 'run' && v.against) throw new UsageError('--against belongs to compare');
    const targets = (v.target as string[] | undefined) ?? [];
    for (const t of targets) if (t !== 'mock' && t !== 'aws') throw new UsageError(`--target: expected mock or aws, got "${t}"`);
    const shard = v.shard === undefined ? undefined : parseShard(String(v.shard));
    if (typeof shard === 'string') throw new UsageError(shard);
    const concurrency = v.concurrency === undefined ? undefined : Number(v.concurrency);
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) throw new UsageError(`--concurrency: expected a whole number from 1 to 64, got "${String(v.concurrency)}"`);

    const tty = Boolean(process.stdout.isTTY);
    const controller = new AbortController();
    let interrupted = false;
    void io.stopSignal.then(() => {
      interrupted = true;
      io.err('tti-lab harness: interrupted; cleaning up what this run made (Ctrl-C again stops at once and leaves it behind)…');
      controller.abort();
    });
    const s = (name: string) => (v[name] === undefined ? undefined : String(v[name]));
    try {
      const outcome = await harness({
        files,
        catalog: Boolean(v.catalog),
        ...(v.filter ? { filter: v.filter as string[] } : {}),
        targets: targets as ('mock' | 'aws')[],
        ...(s('endpoint') ? { endpoint: s('endpoint')! } : {}),
        ...(s('behaviour-profile') ? { behaviourProfile: s('behaviour-profile')! } : {}),
        ...(s('region') ? { region: s('region')! } : {}),
        ...(s('profile') ? { profile: s('profile')! } : {}),
        ...(s('instance-arn') ? { instanceArn: s('instance-arn')! } : {}),
        ...(s('role-arn') ? { roleArn: s('role-arn')! } : {}),
        ...(s('aws-endpoint') ? { awsEndpoint: s('aws-endpoint')! } : {}),
        ...(s('bucket') ? { bucket: s('bucket')! } : {}),
        ...(s('s3-endpoint') ? { s3Endpoint: s('s3-endpoint')! } : {}),
        ...(s('issuer-url') ? { issuerUrl: s('issuer-url')! } : {}),
        ...(s('issuer') ? { issuer: s('issuer')! } : {}),
        ...(s('algorithm') ? { algorithm: s('algorithm') as never } : {}),
        ...(s('data-dir') ? { dataDir: s('data-dir')! } : {}),
        dryRun: Boolean(v['dry-run']),
        ...(s('against') ? { against: s('against')! } : {}),
        ...(s('report') ? { report: s('report')! } : {}),
        ...(s('record') ? { record: s('record')! } : {}),
        ...(s('suggest-profile') ? { suggestProfile: s('suggest-profile')! } : {}),
        ...(shard ? { shard } : {}),
        ...(concurrency ? { concurrency } : {}),
        signal: controller.signal,
        style: tty && !process.env.NO_COLOR ? COLOR : PLAIN,
        width: process.stdout.columns ?? 120,
        // The live progress bar: only on a terminal, rewritten in place.
        ...(tty ? { onProgress: (p) => process.stdout.write(`\r${progressLine(p, process.stdout.columns ?? 80)}`) } : {}),
      });
      if (tty) process.stdout.write('\r\x1b[K');
      io.out(outcome.text);
      for (const f of outcome.written) io.out(`wrote ${f}`);
      if (interrupted) return 130;
      if (v['dry-run']) return 0;
      return outcome.summary.ok ? 0 : 1;
    } catch (err) {
      if (tty) process.stdout.write('\r\x1b[K');
      if (err instanceof TargetOptionError) throw new UsageError(err.message);
      if (err instanceof HarnessError || (err as Error).message?.startsWith('no scenarios') || (err as Error).message?.startsWith('compare --against')) {
        io.err(`tti-lab harness: ${(err as Error).message}`);
        return 1;
      }
      throw err;
    }
  },
};
