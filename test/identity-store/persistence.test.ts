import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import {
  CreateGroupCommand, CreateGroupMembershipCommand, CreateUserCommand, DescribeUserCommand, IsMemberInGroupsCommand, ListUsersCommand, UpdateUserCommand,
} from '@aws-sdk/client-identitystore';
import { startLab } from '../../server/lab/start-lab.js';
import { identityStoreClient, userInput } from './helpers/identity-store-lab.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BURST = fileURLToPath(new URL('./fixtures/create-users-burst.ts', import.meta.url));

t.test('the identity store survives a restart on the same data dir', async (t) => {
  const dataDir = t.testdir();
  const first = await startLab({ dataDir });
  const client = identityStoreClient(first);
  const IdentityStoreId = first.services.identityCenter.defaultInstance().IdentityStoreId;
  const { UserId } = await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'durable', { Emails: [{ Value: 'durable@example.com' }] })));
  await client.send(new UpdateUserCommand({ IdentityStoreId, UserId, Operations: [{ AttributePath: 'externalIds', AttributeValue: [{ Issuer: 'https://idp.example.com', Id: 'sub-durable' }] }] }));
  const { GroupId } = await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'Durables' }));
  await client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId: UserId! } }));
  const described = await client.send(new DescribeUserCommand({ IdentityStoreId, UserId }));
  await first.close();

  const second = await startLab({ dataDir });
  t.teardown(() => second.close());
  const again = identityStoreClient(second);
  t.equal(second.services.identityCenter.defaultInstance().IdentityStoreId, IdentityStoreId, 'the same default instance, not a new one');
  t.equal(Object.keys(second.services.identityCenter.state.read.instances).length, 1);
  const { $metadata: _a, ...before } = described;
  const { $metadata: _b, ...after } = await again.send(new DescribeUserCommand({ IdentityStoreId, UserId }));
  t.same(after, before, 'the user, every member');
  const membership = await again.send(new IsMemberInGroupsCommand({ IdentityStoreId, MemberId: { UserId: UserId! }, GroupIds: [GroupId!] }));
  t.equal(membership.Results?.[0]?.MembershipExists, true, 'the membership');
});

t.test('kill -9 in the middle of a burst of CreateUser: every acknowledged user is there after a restart', async (t) => {
  const dataDir = t.testdir();
  const child = spawn(process.execPath, ['--import', 'tsx', BURST, dataDir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('close', (code, signal) => resolve(signal ?? code)));

  let IdentityStoreId = '';
  const acked = new Map<string, string>();
  let killed = false;
  for await (const line of createInterface({ input: child.stdout })) {
    const [kind, a, b] = line.split(' ');
    if (kind === 'ready') IdentityStoreId = a!;
    if (kind === 'ack') acked.set(a!, b!);
    if (!killed && acked.size >= 25) {
      child.kill('SIGKILL');
      killed = true;
    }
  }
  const how = await exited;
  t.ok(killed, `the child got as far as the kill (stderr: ${stderr.slice(-2000)})`);
  t.equal(how, 'SIGKILL', 'it died of SIGKILL, mid-burst');
  t.ok(acked.size >= 25, `${acked.size} users acknowledged`);

  const lab = await startLab({ dataDir });
  t.teardown(() => lab.close());
  t.equal(lab.services.identityCenter.defaultInstance().IdentityStoreId, IdentityStoreId, 'the state loads, with the same identity store');
  const users = lab.services.identityCenter.state.read.identityStores[IdentityStoreId]!.Users;
  const missing = [...acked].filter(([id, name]) => users[id]?.UserName !== name);
  t.same(missing, [], 'every acknowledged user is present, with its name');
  t.ok(Object.keys(users).length >= acked.size, 'perhaps more: a change can be durable before its answer is sent');

  const listed = await identityStoreClient(lab).send(new ListUsersCommand({ IdentityStoreId }));
  t.equal(listed.Users?.length, Math.min(Object.keys(users).length, 100), 'and the lab serves them');
});

t.test('a corrupted state file: startLab fails, naming the file and the fix', async (t) => {
  const dataDir = t.testdir();
  const file = join(dataDir, 'state', 'identity-center.json');
  await mkdir(join(dataDir, 'state'), { recursive: true });
  await writeFile(file, '{"version": 1, "instances": {');
  await t.rejects(startLab({ dataDir }), {
    message: new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the state file is not valid JSON \\(.+\\); move it away to start with empty state$`),
  });

  await writeFile(file, JSON.stringify({ version: 99 }));
  await t.rejects(startLab({ dataDir }), { message: `${file}: unknown state format (version 99, expected 1); move it away to start with empty state` });
  t.same(await readdir(join(dataDir, 'state')), ['identity-center.json'], 'the file is left as it was, for inspection');
});
