import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLab } from '../../server/lab/start-lab.js';
import { DataDirLockedError, LOCK_FILE } from '../../server/state/data-dir-lock.js';
import { main } from '../../server/cli/main.js';
import { FakeIo } from '../cli/helpers/cli-run.js';

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

t.test('a second lab on the same data dir refuses to start, naming the holder and the fix', async (t) => {
  const dataDir = t.testdir();
  const first = await startLab({ dataDir });
  const holder = JSON.parse(await readFile(join(dataDir, LOCK_FILE), 'utf8')) as { pid: number; startedAt: string };
  t.equal(holder.pid, process.pid, 'the lock names the holder');
  t.match(holder.startedAt, /^\d{4}-\d\d-\d\dT/);

  const refused = await startLab({ dataDir }).then(
    () => null,
    (err: unknown) => err,
  );
  t.type(refused, DataDirLockedError);
  t.match((refused as Error).message, new RegExp(`^the data dir ${escape(dataDir)} is in use by another lab in this process \\(pid ${process.pid}\\);.*Stop that lab, or give this one another --data-dir \\(or --in-memory\\)\\. If no lab runs there, remove ${escape(join(dataDir, LOCK_FILE))}$`));
  t.equal((refused as DataDirLockedError).holderPid, process.pid);

  // The first lab still works, and keeps its writes.
  const ic = first.services.identityCenter;
  const store = ic.defaultInstance().IdentityStoreId;
  await ic.state.mutate((s) => {
    s.identityStores[store]!.Users['u-1'] = { UserId: 'u-1', IdentityStoreId: store, UserName: 'kept' };
  });
  await first.close();
  t.same(await readdir(dataDir).then((n) => n.includes(LOCK_FILE)), false, 'close() released the lock');

  const second = await startLab({ dataDir });
  t.teardown(() => second.close());
  t.equal(second.services.identityCenter.state.read.identityStores[store]!.Users['u-1']?.UserName, 'kept', 'the next lab starts, with every write of the first');
});

t.test('serve: a locked data dir exits 1 with the message, starting nothing', async (t) => {
  const dataDir = t.testdir();
  const first = await startLab({ dataDir });
  t.teardown(() => first.close());
  const io = new FakeIo();
  t.equal(await main(['serve', '--data-dir', dataDir, '--port', '0'], io), 1);
  t.same(io.stdout, []);
  t.match(io.stderr.join('\n'), new RegExp(`^tti-lab: the data dir ${escape(dataDir)} is in use by another lab in this process \\(pid ${process.pid}\\);.*; nothing was started\\.$`, 's'));
});

t.test('a stale lock (its holder is not running) is taken over, with a notice', async (t) => {
  const dataDir = t.testdir();
  const pid = await deadPid();
  await writeFile(join(dataDir, LOCK_FILE), JSON.stringify({ pid, startedAt: '2026-01-01T00:00:00.000Z', token: 'x' }));
  const notices: string[] = [];
  const lab = await startLab({ dataDir, onNotice: (m) => notices.push(m) });
  t.same(notices, [`took over the lock of ${dataDir}: its holder, pid ${pid} (started 2026-01-01T00:00:00.000Z), is no longer running`]);
  t.equal((JSON.parse(await readFile(join(dataDir, LOCK_FILE), 'utf8')) as { pid: number }).pid, process.pid, 'the lock is this lab\'s now');
  await lab.close();

  await writeFile(join(dataDir, LOCK_FILE), 'not json');
  const again: string[] = [];
  const other = await startLab({ dataDir, onNotice: (m) => again.push(m) });
  t.teardown(() => other.close());
  t.same(again, [`took over the lock of ${dataDir}: ${join(dataDir, LOCK_FILE)} did not name a holder`]);
  t.same((await readdir(dataDir)).filter((n) => n.includes('lock')), [LOCK_FILE], 'nothing left aside');
});

t.test('an in-memory lab takes no lock', async (t) => {
  const dataDir = t.testdir();
  const held = await startLab({ dataDir });
  t.teardown(() => held.close());
  const memory = await startLab({ dataDir, inMemory: true });
  t.teardown(() => memory.close());
  t.equal(memory.dataDir, null);
});

t.test('a lock held by another running process refuses the start, naming its pid and start time', async (t) => {
  const dataDir = t.testdir();
  const other = process.ppid; // alive, and not this process
  await writeFile(join(dataDir, LOCK_FILE), JSON.stringify({ pid: other, startedAt: '2026-12-03T09:00:00.000Z', token: 'y' }));
  await t.rejects(startLab({ dataDir }), {
    name: 'DataDirLockedError',
    holderPid: other,
    message: `the data dir ${dataDir} is in use by another lab (pid ${other}, started 2026-12-03T09:00:00.000Z); two labs on one data dir would overwrite each other's changes. Stop that lab, or give this one another --data-dir (or --in-memory). If no lab runs there, remove ${join(dataDir, LOCK_FILE)}`,
  });
  t.same(await readdir(dataDir), [LOCK_FILE], 'nothing else was written, and the lock is left to its holder');
});

t.test('serve releases the lock when it stops on SIGTERM', async (t) => {
  const dataDir = t.testdir();
  const io = new FakeIo();
  const exit = main(['serve', '--data-dir', dataDir, '--port', '0'], io);
  await io.waitFor(/listening on/);
  t.ok((await readdir(dataDir)).includes(LOCK_FILE), 'held while serving');
  io.stop('SIGTERM');
  t.equal(await exit, 0);
  t.notOk((await readdir(dataDir)).includes(LOCK_FILE), 'released');
});
