import t from 'tap';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateUserCommand, DescribeUserCommand, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { startLab } from '../../server/lab/start-lab.js';
import { identityStoreClient, userInput } from '../identity-store/helpers/identity-store-lab.js';

t.test("a data dir written before the journal (the bare state in identity-center.json) keeps working", async (t) => {
  // What the lab wrote before: the whole state, as is, in one file.
  const memory = await startLab({ inMemory: true });
  const IdentityStoreId = memory.services.identityCenter.defaultInstance().IdentityStoreId;
  const { UserId } = await identityStoreClient(memory).send(new CreateUserCommand(userInput(IdentityStoreId, 'from.before')));
  const legacy = JSON.stringify(memory.services.identityCenter.state.read);
  await memory.close();
  const dataDir = t.testdir();
  await mkdir(join(dataDir, 'state'));
  await writeFile(join(dataDir, 'state', 'identity-center.json'), legacy);

  const lab = await startLab({ dataDir });
  const client = identityStoreClient(lab);
  t.equal(lab.services.identityCenter.defaultInstance().IdentityStoreId, IdentityStoreId, 'the same instance');
  t.equal((await client.send(new DescribeUserCommand({ IdentityStoreId, UserId }))).UserName, 'from.before');
  await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'from.after')));
  await lab.close();
  t.equal(await readFile(join(dataDir, 'state', 'identity-center.json'), 'utf8'), legacy, 'the old file is read as the snapshot, not rewritten');

  const again = await startLab({ dataDir });
  t.teardown(() => again.close());
  const names = (await identityStoreClient(again).send(new ListUsersCommand({ IdentityStoreId }))).Users?.map((u) => u.UserName).sort();
  t.same(names, ['from.after', 'from.before'], 'both users after a restart');
});
