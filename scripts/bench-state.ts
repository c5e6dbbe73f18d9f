/**
 * `npm run bench:state`: the latency of durable writes as the state grows, for the state store as it
 * was (every change rewrites and fsyncs the whole state file: `full-rewrite-state-store.ts`) and as
 * it is (a journal record appended and fdatasynced: server/state/state-store.ts), side by side.
 *
 *   1. For 0, 3 000 and 30 000 users, a state file of that size is written (the bare state, as the
 *      old store wrote it; the new store loads it as its snapshot).
 *   2. Each store opens it and 8 writers call CreateUser — the Identity Store operation itself, input
 *      validation, uniqueness check and durable write, in this process, no HTTP — back to back, for
 *      `--seconds` per cell or `--writes` in all, whichever comes first, after 16 unmeasured writes
 *      (or 2 s of them).
 *      Latency is from the call to its acknowledgement (the write is durable by then).
 *   3. For the new store, also a change with no uniqueness scan (a user put straight into the state:
 *      the store's own cost), and one compaction's snapshot (stringify + atomic write), the pause it
 *      costs once the journal outgrows the snapshot.
 *
 *   npm run bench:state -- [--seconds 6] [--writes 400] [--sizes 0,3000,30000]
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../shared/clock.js';
import { IdentityCenter } from '../server/identity-center/identity-center.js';
import { identityStoreService } from '../server/identity-center/identity-store/identity-store-service.js';
import { runOperation } from '../server/aws/model/model-service.js';
import { emptyState, type IdentityCenterState, type UserRecord } from '../server/identity-center/state/model.js';
import { ids } from '../server/identity-center/state/ids.js';
import type { AwsCallContext } from '../server/aws/aws-registry.js';
import { DEFAULT_ACCOUNT_ID } from '../server/aws/aws-credentials.js';
import { atomicWrite } from '../shared/atomic-write.js';
import { FullRewriteStateStore } from './full-rewrite-state-store.js';
import { percentile } from './bench-client.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '6' }, writes: { type: 'string', default: '400' }, sizes: { type: 'string', default: '0,3000,30000' } } });
const SECONDS = Number(values.seconds);
const WRITES = Number(values.writes);
const SIZES = values.sizes.split(',').map(Number);
const WRITERS = 8;
const WARMUP = 16;
const REGION = 'us-east-1';
const ctx = { principal: { arn: `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:root`, accountId: DEFAULT_ACCOUNT_ID, accessKeyId: 'bench' }, region: REGION, requestId: 'bench' } as unknown as AwsCallContext;

interface Cell {
  latencies: number[];
  seconds: number;
}

/** A state with the default instance and `users` users, written as the bare state (the format before the journal). */
async function seed(dir: string, users: number): Promise<string> {
  const memory = await IdentityCenter.open({ dataDir: null, clock: systemClock, region: REGION });
  const state = structuredClone(memory.state.read) as IdentityCenterState;
  const store = memory.defaultInstance().IdentityStoreId;
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < users; i++) {
    const user: UserRecord = {
      UserId: ids.principalId(store),
      IdentityStoreId: store,
      UserName: `seed.${i}`,
      DisplayName: `Seed ${i}`,
      Name: { GivenName: 'Seed', FamilyName: String(i) },
      Emails: [{ Value: `seed.${i}@example.com`, Type: 'work', Primary: true }],
      UserStatus: 'ENABLED',
      CreatedAt: now,
      CreatedBy: ctx.principal.arn,
      UpdatedAt: now,
      UpdatedBy: ctx.principal.arn,
    };
    state.identityStores[store]!.Users[user.UserId] = user;
  }
  await mkdir(join(dir, 'state'), { recursive: true });
  await writeFile(join(dir, 'state', 'identity-center.json'), JSON.stringify(state));
  return store;
}

const input = (store: string, name: string) => ({
  IdentityStoreId: store,
  UserName: name,
  DisplayName: name,
  Name: { GivenName: 'Bench', FamilyName: name },
  Emails: [{ Value: `${name}@example.com`, Type: 'work', Primary: true }],
});

/** 8 writers, each `write` back to back, until the time or the count runs out. */
async function run(write: (n: number) => Promise<unknown>): Promise<Cell> {
  let next = 0;
  const warm = performance.now();
  for (let i = 0; i < WARMUP && performance.now() - warm < 2000; i++) await write(next++);
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (performance.now() < deadline && latencies.length < WRITES) {
        const t0 = performance.now();
        await write(next++);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const row = (label: string, c: Cell) => `${label.padEnd(34)} ${String(c.latencies.length).padStart(6)} ${(c.latencies.length / c.seconds).toFixed(0).padStart(8)} ${ms(percentile(c.latencies, 50)).padStart(8)} ${ms(percentile(c.latencies, 99)).padStart(8)}`;

const results: { users: number; old: Cell; journal: Cell; store: Cell; snapshotMs: number; snapshotMiB: number }[] = [];
console.log(`bench:state — ${WRITERS} writers, ${SECONDS} s or ${WRITES} writes a cell, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}`);
console.log(`${'cell'.padEnd(34)} ${'writes'.padStart(6)} ${'writes/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
for (const users of SIZES) {
  const base = await mkdtemp(join(tmpdir(), 'tti-lab-bench-state-'));
  try {
    // Before: the whole state rewritten and fsynced by every change.
    const oldDir = join(base, 'old');
    const storeId = await seed(oldDir, users);
    const oldStore = await FullRewriteStateStore.open(join(oldDir, 'state', 'identity-center.json'), emptyState);
    const oldService = identityStoreService({ state: oldStore, clock: systemClock, region: REGION } as unknown as IdentityCenter);
    const old = await run((n) => runOperation(oldService, 'CreateUser', input(storeId, `old.${n}`), ctx));
    console.log(row(`${users} users, full rewrite (before)`, old));

    // After: one journal record per change (group commit).
    const newDir = join(base, 'new');
    await seed(newDir, users);
    const ic = await IdentityCenter.open({ dataDir: newDir, clock: systemClock, region: REGION });
    const newStoreId = ic.defaultInstance().IdentityStoreId;
    const service = identityStoreService(ic);
    const journal = await run((n) => runOperation(service, 'CreateUser', input(newStoreId, `new.${n}`), ctx));
    console.log(row(`${users} users, journal (after)`, journal));
    const store = await run((n) =>
      ic.state.mutate((s) => {
        const UserId = ids.principalId(newStoreId);
        s.identityStores[newStoreId]!.Users[UserId] = { UserId, IdentityStoreId: newStoreId, UserName: `put.${n}` };
      }),
    );
    console.log(row(`${users} users, journal, store only`, store));
    const t0 = performance.now();
    const text = JSON.stringify({ journalSeq: 0, state: ic.state.read });
    await atomicWrite(join(base, 'snapshot.json'), text);
    const snapshotMs = performance.now() - t0;
    console.log(`${`${users} users, one compaction snapshot`.padEnd(34)} ${(text.length / 2 ** 20).toFixed(1)} MiB in ${ms(snapshotMs)} ms`);
    await ic.state.close();
    results.push({ users, old, journal, store, snapshotMs, snapshotMiB: text.length / 2 ** 20 });
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

console.log('\nCreateUser, before → after (p50, p99; ratio before/after):');
for (const r of results) {
  const p = (c: Cell, q: number) => percentile(c.latencies, q);
  console.log(
    `  ${String(r.users).padStart(6)} users: p50 ${ms(p(r.old, 50))} → ${ms(p(r.journal, 50))} ms (×${(p(r.old, 50) / p(r.journal, 50)).toFixed(1)}), ` +
      `p99 ${ms(p(r.old, 99))} → ${ms(p(r.journal, 99))} ms (×${(p(r.old, 99) / p(r.journal, 99)).toFixed(1)}), ` +
      `writes/s ${(r.old.latencies.length / r.old.seconds).toFixed(0)} → ${(r.journal.latencies.length / r.journal.seconds).toFixed(0)}`,
  );
}
console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
