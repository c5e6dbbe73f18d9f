import t from 'tap';
import { appendFile, readFile, readdir, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { types } from 'node:util';
import { StateStore } from '../../server/state/state-store.js';
import { readJournal } from '../../server/state/state-journal.js';

interface Doc {
  version: 1;
  items: Record<string, { name: string; tags: string[]; meta?: Record<string, unknown> }>;
  list: { id: string }[];
  count: number;
}
const empty = (): Doc => ({ version: 1, items: {}, list: [], count: 0 });
const open = (dir: string, opts: Parameters<typeof StateStore.open>[3] = {}) => StateStore.open<Doc>(join(dir, 'doc.json'), empty, undefined, opts);
const journalsOf = async (dir: string) => (await readdir(dir)).filter((n) => n.endsWith('.journal')).sort();

/** A fixed sequence of changes touching every kind of write: nested sets, deletes, arrays, replaced and detached objects. */
async function workload(store: StateStore<Doc>): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await store.mutate((d) => {
      d.items[`i${i}`] = { name: `n${i}`, tags: [] };
      d.count++;
    });
  }
  await store.mutate((d) => d.items.i1!.tags.push('a', 'b', 'c'));
  await store.mutate((d) => d.items.i1!.tags.splice(1, 1));
  await store.mutate((d) => {
    d.items.i2!.tags = d.items.i1!.tags.filter((x) => x !== 'a'); // a new array holding no proxies
    d.list.push({ id: 'x' }, { id: 'y' });
  });
  await store.mutate((d) => {
    const old = d.items.i3!;
    d.items.i3 = { name: 'replaced', tags: ['r'] };
    old.name = 'written to a detached object'; // reaches nothing: not journalled
  });
  await store.mutate((d) => {
    const gone = d.items.i4!;
    delete d.items.i4;
    gone.tags.push('lost');
    d.items.i5!.meta = { deep: { er: [1, { two: 2 }] } };
  });
  await store.mutate((d) => {
    (d.items.i5!.meta!.deep as { er: unknown[] }).er.push('three');
    d.items.i6!.meta = undefined; // JSON has no undefined: absent after a reload
    d.list = d.list.filter((x) => x.id === 'y');
  });
  await Promise.all(Array.from({ length: 8 }, (_, k) => store.mutate((d) => {
    d.items[`c${k}`] = { name: `concurrent ${k}`, tags: [String(k)] };
    d.count++;
  })));
}

const plain = (doc: unknown) => JSON.parse(JSON.stringify(doc)) as unknown;

t.test('every change survives a reopen exactly, from the journal', async (t) => {
  const dir = t.testdir();
  const store = await open(dir);
  await workload(store);
  await store.close();
  const memory = plain(store.read);
  const again = await open(dir);
  t.same(plain(again.read), memory, 'the replayed state equals the one in memory');
  t.equal((again.read as Doc).count, 28);
  t.equal((again.read as Doc).items.i3!.name, 'replaced');
  t.notOk('i4' in again.read.items);
  t.same(JSON.parse(await readFile(join(dir, 'doc.json'), 'utf8')), { journalSeq: 0, state: empty() }, 'the snapshot was not rewritten: writes went to the journal');
  t.same(await journalsOf(dir), ['doc.1.journal']);
  const { records } = await readJournal(join(dir, 'doc.1.journal'));
  t.same(records.map((r) => r.seq), Array.from({ length: 34 }, (_, i) => i + 1), 'one record per change, numbered');
  await again.close();
});

t.test('nothing stored is a proxy, and results are plain', async (t) => {
  const store = await StateStore.open<Doc>(null, empty);
  const result = await store.mutate((d) => {
    d.items.a = { name: 'a', tags: ['x'] };
    d.items.b = { name: 'b', tags: d.items.a.tags.map((x) => x) };
    d.list = [d.list[0] ?? { id: 'first' }];
    return { a: d.items.a, all: Object.values(d.items) };
  });
  t.notOk(types.isProxy(result.a), 'a result that was a draft object is the object itself');
  t.notOk(result.all.some((x) => types.isProxy(x)));
  const walk = (v: unknown): boolean => (typeof v === 'object' && v !== null ? types.isProxy(v) || Object.values(v).some(walk) : false);
  t.notOk(walk(store.read), 'no proxy in the state');
  t.equal(result.a, store.read.items.a, 'the very object in the state');
});

t.test('a change that throws leaves nothing, in memory or on disk', async (t) => {
  const dir = t.testdir();
  const store = await open(dir);
  await workload(store);
  const before = JSON.stringify(store.read);
  const files = await journalsOf(dir);
  const journal = await readFile(join(dir, files[0]!), 'utf8');
  await t.rejects(
    store.mutate((d) => {
      d.items.i1!.tags.push('z');
      d.items.new = { name: 'new', tags: [] };
      d.items.i2!.name = 'changed';
      delete d.items.i7;
      d.list.splice(0, 1);
      throw new Error('refused');
    }),
    { message: 'refused' },
  );
  t.equal(JSON.stringify(store.read), before, 'memory unchanged (key order too)' );
  t.equal(await readFile(join(dir, files[0]!), 'utf8'), journal, 'journal unchanged');
  await store.close();
});

t.test('readers see a change only once it is durable', async (t) => {
  const dir = t.testdir();
  const store = await open(dir);
  const pending = store.mutate((d) => {
    d.count = 41;
  });
  const seen: number[] = [];
  for (let i = 0; i < 20; i++) {
    seen.push(store.read.count);
    await new Promise((r) => setImmediate(r));
  }
  await pending;
  t.equal(store.read.count, 41);
  t.ok(seen.every((c) => c === 0 || c === 41), 'never anything else');
  t.equal(seen[0], 0, 'not before the record is written');
  await store.close();
});

t.test('writes outside mutate() throw', async (t) => {
  const store = await StateStore.open<Doc>(null, empty);
  let leaked: Doc | undefined;
  await store.mutate((d) => {
    leaked = d;
  });
  t.throws(() => (leaked!.count = 5), /the state was changed outside StateStore\.mutate\(\)/);
  t.equal(store.read.count, 0);
});

t.test('a torn last record (a crash mid-append) is dropped and cut off; later appends follow whole records', async (t) => {
  const dir = t.testdir();
  const store = await open(dir);
  await workload(store);
  await store.close();
  const file = join(dir, 'doc.1.journal');
  const acknowledged = plain(store.read);
  // A crash while the next record was being written: only part of it reached the disk.
  const next = `00000000 {"seq":35,"ops":[[["count"],99]]}\n`;
  for (const torn of [next.slice(0, 20), next.slice(0, -1), `${next.slice(0, 9)}{"seq":35,"ops":[[["count"],98]]}\n`]) {
    const size = (await readFile(file)).length;
    await appendFile(file, torn);
    const notices: string[] = [];
    const reopened = await open(dir, { notice: (m) => notices.push(m) });
    t.same(plain(reopened.read), acknowledged, `every acknowledged change, nothing of the torn one (${JSON.stringify(torn.slice(-12))})`);
    t.same(notices, [`${file}: dropped a torn last record (${torn.length} bytes, a crash while it was being written; it was never acknowledged)`]);
    await reopened.mutate((d) => {
      d.count = 100;
    });
    await reopened.close();
    t.ok((await readFile(file)).length > size, 'the next record was appended');
    const third = await open(dir);
    t.equal(third.read.count, 100, 'and it loads: the torn bytes were cut off first');
    await third.mutate((d) => {
      d.count = 28;
    });
    await third.close();
    (acknowledged as Doc).count = 28;
  }
});

t.test('a damaged record followed by valid ones is an error naming the file, the place and the fix', async (t) => {
  const dir = t.testdir();
  const store = await open(dir);
  await workload(store);
  await store.close();
  const file = join(dir, 'doc.1.journal');
  const lines = (await readFile(file, 'utf8')).split('\n');
  const offset = lines.slice(0, 4).join('\n').length + 1;
  lines[4] = lines[4]!.replace('"n4"', '"N4"');
  await writeFile(file, lines.join('\n'));
  await t.rejects(open(dir), {
    message: `${file}: record 5 (byte ${offset}) is damaged and valid records follow it, which no crash does; the file was changed by something else. Cut the file at byte ${offset} to keep the changes before it, or move it away to start from the last snapshot`,
  });
});

t.test('a gap in the record numbers is an error', async (t) => {
  const dir = t.testdir();
  const store = await open(dir);
  await workload(store);
  await store.close();
  const file = join(dir, 'doc.1.journal');
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines.splice(10, 1);
  await writeFile(file, lines.join('\n'));
  await t.rejects(open(dir), { message: `${file}: record 12 follows record 10, so a change is missing; the state files were changed by something else. Move the state folder away to start with empty state` });
});

t.test('compaction: a new snapshot, a new journal, the old one removed; nothing lost', async (t) => {
  const dir = t.testdir();
  const store = await open(dir, { compactMinBytes: 600 });
  await workload(store);
  await store.close();
  const snapshot = JSON.parse(await readFile(join(dir, 'doc.json'), 'utf8')) as { journalSeq: number; state: Doc };
  t.ok(snapshot.journalSeq > 0, `the snapshot holds records up to ${snapshot.journalSeq}`);
  const journals = await journalsOf(dir);
  t.ok(journals.every((n) => Number(n.split('.')[1]) > snapshot.journalSeq), `only journals after the snapshot are left: ${journals.join(', ')}`);
  const again = await open(dir);
  t.same(plain(again.read), plain(store.read), 'snapshot + journal = the state');
  await again.close();
});

t.test('a crash after the snapshot, before the old journal was removed: its records are skipped, and it is removed', async (t) => {
  const dir = t.testdir();
  const first = await open(dir);
  await workload(first);
  await first.close();
  await copyFile(join(dir, 'doc.1.journal'), join(dir, 'old.journal'));
  const compacting = await open(dir, { compactMinBytes: 1 });
  await compacting.mutate((d) => {
    d.count = 1000;
  });
  await compacting.close();
  t.equal((JSON.parse(await readFile(join(dir, 'doc.json'), 'utf8')) as { journalSeq: number }).journalSeq, 35);
  t.same(await journalsOf(dir), ['old.journal'], 'the covered journal was removed, the next one not made yet');
  await copyFile(join(dir, 'old.journal'), join(dir, 'doc.1.journal'));
  const after = await open(dir);
  await after.mutate((d) => {
    d.count++;
  });
  await after.close();
  t.equal(after.read.count, 1001);
  const reopened = await open(dir);
  t.equal(reopened.read.count, 1001, 'records the snapshot holds are not applied twice');
  t.same((await journalsOf(dir)).filter((n) => n.startsWith('doc.')), ['doc.36.journal'], 'the covered journal is gone');
  await reopened.close();
});

t.test('a state file from before the journal loads, and keeps working', async (t) => {
  const dir = t.testdir();
  const legacy: Doc = { version: 1, items: { old: { name: 'from the old format', tags: ['t'] } }, list: [], count: 7 };
  await writeFile(join(dir, 'doc.json'), JSON.stringify(legacy));
  const store = await open(dir);
  t.same(plain(store.read), legacy);
  await store.mutate((d) => {
    d.count++;
  });
  await store.close();
  const again = await open(dir);
  t.equal(again.read.count, 8);
  t.equal(again.read.items.old?.name, 'from the old format');
  await again.close();
});

t.test('concurrent writers share syncs (group commit), each acknowledged once durable', async (t) => {
  const dir = t.testdir();
  const store = await open(dir);
  await Promise.all(Array.from({ length: 64 }, (_, k) => store.mutate((d) => {
    d.items[`w${k}`] = { name: String(k), tags: [] };
  })));
  await store.close();
  const { records } = await readJournal(join(dir, 'doc.1.journal'));
  t.equal(records.length, 64);
  const again = await open(dir);
  t.equal(Object.keys(again.read.items).length, 64);
  await again.close();
});
