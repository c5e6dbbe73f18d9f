import t from 'tap';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLab } from '../../server/lab/start-lab.js';
import { atomicWrite } from '../../shared/atomic-write.js';

t.test('temporary files left by a writer killed mid-write are removed at start, and nothing else', async (t) => {
  const dataDir = t.testdir();
  await mkdir(join(dataDir, 'state'));
  await mkdir(join(dataDir, 'keys'));
  const leftovers = {
    state: ['.identity-center.json.0123456789ab.tmp'],
    keys: ['.okta.json.abcdef012345.tmp', '.identity-context.secret.9f8e7d6c5b4a.tmp'],
  };
  const kept = { state: ['.identity-center.json.xyz.tmp', 'notes.tmp'], keys: ['my.tmp', '.okta.json.ABCDEF012345.tmp'] };
  for (const [dir, names] of Object.entries({ state: [...leftovers.state, ...kept.state], keys: [...leftovers.keys, ...kept.keys] })) {
    for (const name of names) await writeFile(join(dataDir, dir, name), 'half a write');
  }
  const notices: string[] = [];
  const lab = await startLab({ dataDir, onNotice: (m) => notices.push(m) });
  t.teardown(() => lab.close());
  const state = await readdir(join(dataDir, 'state'));
  const keys = await readdir(join(dataDir, 'keys'));
  for (const name of leftovers.state) t.notOk(state.includes(name), `state/${name} removed`);
  for (const name of leftovers.keys) t.notOk(keys.includes(name), `keys/${name} removed`);
  for (const name of kept.state) t.ok(state.includes(name), `state/${name} kept: not the lab's pattern`);
  for (const name of kept.keys) t.ok(keys.includes(name), `keys/${name} kept: not the lab's pattern`);
  t.same(notices, [
    `removed 1 temporary file left in ${join(dataDir, 'state')} by an interrupted write: ${leftovers.state[0]}`,
    `removed 2 temporary files left in ${join(dataDir, 'keys')} by an interrupted write: ${[...leftovers.keys].sort().join(', ')}`,
  ]);
});

t.test('the pattern is the one atomicWrite uses', async (t) => {
  const dir = t.testdir();
  const { TEMP_FILE_NAME, writeSyncedTemp } = await import('../../shared/atomic-write.js');
  const tmp = await writeSyncedTemp(join(dir, 'identity-center.json'), 'x', 0o600);
  t.match(tmp.slice(dir.length + 1), TEMP_FILE_NAME);
  await atomicWrite(join(dir, 'identity-center.json'), 'y');
  t.same((await readdir(dir)).filter((n) => !TEMP_FILE_NAME.test(n)), ['identity-center.json']);
});
