import t from 'tap';
import {
  CreateGroupCommand, CreateGroupMembershipCommand, CreateUserCommand, DeleteGroupMembershipCommand, DescribeGroupMembershipCommand, GetGroupMembershipIdCommand,
  IsMemberInGroupsCommand, ListGroupMembershipsCommand, ListGroupMembershipsForMemberCommand, paginateListGroupMemberships,
} from '@aws-sdk/client-identitystore';
import { fixedClock } from '../../shared/clock.js';
import { groupIdsOfUser, isUserInGroup } from '../../server/identity-center/identity-store/is-user-in-group.js';
import { failure, startIdentityStoreLab, userInput } from './helpers/identity-store-lab.js';

const START = Math.floor(Date.now() / 1000) * 1000;
const { lab, client, IdentityStoreId, snapshot } = await startIdentityStoreLab({ clock: fixedClock(START) });
t.teardown(() => lab.close());
const store = () => lab.services.identityCenter.state.read.identityStores[IdentityStoreId]!;

const strip = <T extends { $metadata?: unknown }>(o: T) => {
  const { $metadata: _m, ...rest } = o;
  return rest;
};

const alice = (await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'alice')))).UserId!;
const bob = (await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'bob')))).UserId!;
const admins = (await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'Admins' }))).GroupId!;
const readers = (await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'Readers' }))).GroupId!;
const MISSING = '0123456789-00000000-0000-4000-8000-000000000000';

t.test('CreateGroupMembership, DescribeGroupMembership, GetGroupMembershipId', async (t) => {
  const created = await client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: admins, MemberId: { UserId: alice } }));
  t.equal(created.IdentityStoreId, IdentityStoreId);
  const at = new Date(START);
  t.same(strip(await client.send(new DescribeGroupMembershipCommand({ IdentityStoreId, MembershipId: created.MembershipId }))), {
    IdentityStoreId,
    MembershipId: created.MembershipId,
    GroupId: admins,
    MemberId: { UserId: alice },
    CreatedAt: at,
    UpdatedAt: at,
    CreatedBy: 'arn:aws:iam::000000000000:root',
    UpdatedBy: 'arn:aws:iam::000000000000:root',
  });
  const id = await client.send(new GetGroupMembershipIdCommand({ IdentityStoreId, GroupId: admins, MemberId: { UserId: alice } }));
  t.same(strip(id), { MembershipId: created.MembershipId, IdentityStoreId });
  t.ok(isUserInGroup(store(), alice, admins), 'isUserInGroup sees it');
  t.same(groupIdsOfUser(store(), alice), [admins]);

  const err = await failure(client.send(new GetGroupMembershipIdCommand({ IdentityStoreId, GroupId: readers, MemberId: { UserId: alice } })));
  t.equal(err.name, 'ResourceNotFoundException');
  t.equal(err.ResourceType, 'GROUP_MEMBERSHIP');
});

t.test('a membership is unique: the second is a ConflictException, nothing changes', async (t) => {
  await client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: readers, MemberId: { UserId: bob } }));
  const before = snapshot();
  const err = await failure(client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: readers, MemberId: { UserId: bob } })));
  t.equal(err.name, 'ConflictException');
  t.equal(err.Reason, 'UNIQUENESS_CONSTRAINT_VIOLATION');
  t.equal(err.message, 'Member and Group relationship already exists.');
  t.equal(snapshot(), before);
});

t.test('the group and the user must exist', async (t) => {
  const before = snapshot();
  let err = await failure(client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: MISSING, MemberId: { UserId: alice } })));
  t.equal(err.ResourceType, 'GROUP');
  t.equal(err.ResourceId, MISSING);
  err = await failure(client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: admins, MemberId: { UserId: MISSING } })));
  t.equal(err.ResourceType, 'USER');
  err = await failure(client.send(new ListGroupMembershipsCommand({ IdentityStoreId, GroupId: MISSING })));
  t.equal(err.ResourceType, 'GROUP');
  err = await failure(client.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId, MemberId: { UserId: MISSING } })));
  t.equal(err.ResourceType, 'USER');
  err = await failure(client.send(new DescribeGroupMembershipCommand({ IdentityStoreId, MembershipId: MISSING })));
  t.equal(err.ResourceType, 'GROUP_MEMBERSHIP');
  t.equal(err.ResourceId, MISSING);
  err = await failure(client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: admins, MemberId: {} as never })));
  // MemberId is a union (of one member): one wording for every union, SSO Admin's (docs/sso-admin.md).
  t.equal(err.message, "1 validation error detected: Value '{}' at 'memberId' failed to satisfy constraint: Member must have exactly one of [UserId] set");
  t.equal(snapshot(), before);
});

t.test('IsMemberInGroups answers for each group, in order', async (t) => {
  const res = await client.send(new IsMemberInGroupsCommand({ IdentityStoreId, MemberId: { UserId: alice }, GroupIds: [readers, admins] }));
  t.same(res.Results, [
    { GroupId: readers, MemberId: { UserId: alice }, MembershipExists: false },
    { GroupId: admins, MemberId: { UserId: alice }, MembershipExists: true },
  ]);
  let err = await failure(client.send(new IsMemberInGroupsCommand({ IdentityStoreId, MemberId: { UserId: alice }, GroupIds: [admins, MISSING] })));
  t.equal(err.ResourceType, 'GROUP');
  err = await failure(client.send(new IsMemberInGroupsCommand({ IdentityStoreId, MemberId: { UserId: alice }, GroupIds: [] })));
  t.equal(err.message, "1 validation error detected: Value '[]' at 'groupIds' failed to satisfy constraint: Member must have length greater than or equal to 1");
});

t.test('ListGroupMemberships and ListGroupMembershipsForMember page through', async (t) => {
  const { lab: lab2, client: c2, IdentityStoreId: id2 } = await startIdentityStoreLab();
  t.teardown(() => lab2.close());
  const group = (await c2.send(new CreateGroupCommand({ IdentityStoreId: id2, DisplayName: 'Everyone' }))).GroupId!;
  const memberships: string[] = [];
  for (let i = 0; i < 5; i++) {
    const UserId = (await c2.send(new CreateUserCommand(userInput(id2, `member.${i}`)))).UserId!;
    memberships.push((await c2.send(new CreateGroupMembershipCommand({ IdentityStoreId: id2, GroupId: group, MemberId: { UserId } }))).MembershipId!);
  }
  const seen: string[] = [];
  for await (const page of paginateListGroupMemberships({ client: c2, pageSize: 2 }, { IdentityStoreId: id2, GroupId: group })) {
    t.ok(page.GroupMemberships!.length <= 2);
    seen.push(...page.GroupMemberships!.map((m) => m.MembershipId!));
  }
  t.same(seen, [...memberships].sort());

  const forAlice = await client.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId, MemberId: { UserId: alice } }));
  t.same(forAlice.GroupMemberships!.map((m) => m.GroupId), [admins]);
  t.equal(forAlice.NextToken, undefined);
});

t.test('DeleteGroupMembership', async (t) => {
  const { MembershipId } = await client.send(new GetGroupMembershipIdCommand({ IdentityStoreId, GroupId: admins, MemberId: { UserId: alice } }));
  await client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId }));
  t.notOk(isUserInGroup(store(), alice, admins));
  const err = await failure(client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId })));
  t.equal(err.name, 'ResourceNotFoundException');
  t.equal(err.ResourceType, 'GROUP_MEMBERSHIP');
});
