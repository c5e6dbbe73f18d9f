import t from 'tap';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateUserCommand, DescribeUserCommand } from '@aws-sdk/client-identitystore';
import { startLab } from '../../server/lab/start-lab.js';
import { identityStoreClient, userInput } from '../identity-store/helpers/identity-store-lab.js';

/**
 * What a write costs on disk must not grow with the state: every CreateUser used to rewrite the
 * whole state file (p50 22 ms → 249 ms at 3 000 users). Now it appends one journal record of its own
 * size; the snapshot is left alone until a compaction. (No timing here: bytes written.)
 */
t.test('a CreateUser appends a record of its own size, whatever the size of the state', async (t) => {
  const dataDir = t.testdir();
  const seeding = await startLab({ dataDir });
  const ic = seeding.services.identityCenter;
  const IdentityStoreId = ic.defaultInstance().IdentityStoreId;
  await ic.state.mutate((s) => {
    for (let i = 0; i < 3000; i++) s.identityStores[IdentityStoreId]!.Users[`seed-${i}`] = { UserId: `seed-${i}`, IdentityStoreId, UserName: `seed.${i}`, DisplayName: `Seed ${i}`, Emails: [{ Value: `seed.${i}@example.com` }] };
  });
  await seeding.close();

  const lab = await startLab({ dataDir });
  t.teardown(() => lab.close());
  const stateDir = join(dataDir, 'state');
  const snapshot = join(stateDir, 'identity-center.json');
  const snapshotBefore = await readFile(snapshot, 'utf8');
  const journal = join(stateDir, (await readdir(stateDir)).find((n) => n.endsWith('.journal'))!);
  const journalBefore = (await stat(journal)).size;
  t.ok(journalBefore > 200_000, `the state is large: ${journalBefore} bytes of journal`);

  const client = identityStoreClient(lab);
  const sizes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const before = (await stat(journal)).size;
    const { UserId } = await client.send(new CreateUserCommand(userInput(IdentityStoreId, `grown.${i}`)));
    sizes.push((await stat(journal)).size - before);
    t.equal((await client.send(new DescribeUserCommand({ IdentityStoreId, UserId }))).UserName, `grown.${i}`);
  }
  t.ok(sizes.every((n) => n > 0 && n < 2048), `each CreateUser appended one small record: ${sizes.join(', ')} bytes`);
  t.equal(await readFile(snapshot, 'utf8'), snapshotBefore, 'the snapshot was not rewritten');
});
