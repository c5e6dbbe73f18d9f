import t from 'tap';
import {
  CreateGroupCommand, CreateGroupMembershipCommand, CreateUserCommand, DeleteGroupCommand, DescribeGroupCommand, GetGroupIdCommand, ListGroupMembershipsForMemberCommand,
  ListGroupsCommand, UpdateGroupCommand, paginateListGroups,
} from '@aws-sdk/client-identitystore';
import { fixedClock } from '../../shared/clock.js';
import { failure, startIdentityStoreLab, userInput } from './helpers/identity-store-lab.js';

const START = Math.floor(Date.now() / 1000) * 1000;
const clock = fixedClock(START);
const { lab, client, IdentityStoreId, snapshot } = await startIdentityStoreLab({ clock });
t.teardown(() => lab.close());

const strip = <T extends { $metadata?: unknown }>(o: T) => {
  const { $metadata: _m, ...rest } = o;
  return rest;
};

t.test('CreateGroup, then DescribeGroup', async (t) => {
  const created = await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'Engineering', Description: 'Builds things' }));
  t.equal(created.IdentityStoreId, IdentityStoreId);
  t.match(created.GroupId, new RegExp(`^${IdentityStoreId.slice(2)}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`), 'prefixed with the identity store id\'s ten characters, like UserIds');
  const at = new Date(START);
  t.same(strip(await client.send(new DescribeGroupCommand({ IdentityStoreId, GroupId: created.GroupId }))), {
    GroupId: created.GroupId,
    IdentityStoreId,
    DisplayName: 'Engineering',
    Description: 'Builds things',
    CreatedAt: at,
    UpdatedAt: at,
    CreatedBy: 'arn:aws:iam::000000000000:root',
    UpdatedBy: 'arn:aws:iam::000000000000:root',
  });
});

t.test('a group\'s DisplayName is unique per store, ignoring case', async (t) => {
  await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'Finance' }));
  const before = snapshot();
  const err = await failure(client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'FINANCE' })));
  t.equal(err.name, 'ConflictException');
  t.equal(err.message, 'Duplicate GroupDisplayName');
  t.equal(err.Reason, 'UNIQUENESS_CONSTRAINT_VIOLATION');
  t.equal(err.RequestId, err.$metadata.requestId);
  t.equal(snapshot(), before);
});

t.test('CreateGroup validation and reserved names', async (t) => {
  const before = snapshot();
  let err = await failure(client.send(new CreateGroupCommand({ IdentityStoreId })));
  t.equal(err.message, "1 validation error detected: Value null at 'displayName' failed to satisfy constraint: Member must not be null");
  err = await failure(client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: '' })));
  t.equal(err.message, "1 validation error detected: Value at 'displayName' failed to satisfy constraint: Member must have length greater than or equal to 1");
  err = await failure(client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'AWSAdministrators' })));
  t.equal(err.message, "AWSAdministrators is a reserved name and can't be used for users or groups.");
  err = await failure(client.send(new CreateGroupCommand({ IdentityStoreId: 'd-9999999999', DisplayName: 'Nowhere' })));
  t.equal(err.name, 'ResourceNotFoundException');
  t.equal(err.ResourceType, 'IDENTITY_STORE');
  t.equal(snapshot(), before);
});

t.test('GetGroupId: by displayName (ignoring case) or by external id', async (t) => {
  const { GroupId } = await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'Data Science' }));
  const found = await client.send(new GetGroupIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'data science' } } }));
  t.same(strip(found), { GroupId, IdentityStoreId });

  await client.send(new UpdateGroupCommand({ IdentityStoreId, GroupId, Operations: [{ AttributePath: 'externalIds', AttributeValue: [{ Issuer: 'SCIM', Id: 'grp-ds' }] }] }));
  const byExternal = await client.send(new GetGroupIdCommand({ IdentityStoreId, AlternateIdentifier: { ExternalId: { Issuer: 'SCIM', Id: 'grp-ds' } } }));
  t.equal(byExternal.GroupId, GroupId);

  let err = await failure(client.send(new GetGroupIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Nobody' } } })));
  t.equal(err.name, 'ResourceNotFoundException');
  t.equal(err.ResourceType, 'GROUP');
  err = await failure(client.send(new GetGroupIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'description', AttributeValue: 'x' } } })));
  t.equal(
    err.message,
    "1 validation error detected: Value 'description' at 'alternateIdentifier.uniqueAttribute.attributePath' failed to satisfy constraint: Member must be one of the unique attributes of a group: [displayName]",
  );
});

t.test('UpdateGroup: all operations or none', async (t) => {
  const { GroupId } = await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'Ops', Description: 'Runs things' }));
  clock.advance(30_000);
  await client.send(new UpdateGroupCommand({ IdentityStoreId, GroupId, Operations: [{ AttributePath: 'displayName', AttributeValue: 'Operations' }, { AttributePath: 'description' }] }));
  const group = await client.send(new DescribeGroupCommand({ IdentityStoreId, GroupId }));
  t.equal(group.DisplayName, 'Operations');
  t.equal(group.Description, undefined);
  t.same(group.UpdatedAt, new Date(START + 30_000));

  const before = snapshot();
  let err = await failure(
    client.send(new UpdateGroupCommand({ IdentityStoreId, GroupId, Operations: [{ AttributePath: 'description', AttributeValue: 'half' }, { AttributePath: 'displayName', AttributeValue: 'finance' }] })),
  );
  t.equal(err.name, 'ConflictException', 'Finance exists (created above)');
  err = await failure(client.send(new UpdateGroupCommand({ IdentityStoreId, GroupId, Operations: [{ AttributePath: 'displayName' }, { AttributePath: 'members', AttributeValue: [] }] })));
  t.equal(
    err.message,
    "2 validation errors detected: Value null at 'operations.1.member.attributeValue' failed to satisfy constraint: Member must not be null; " +
      "Value 'members' at 'operations.2.member.attributePath' failed to satisfy constraint: Member must be a group attribute path UpdateGroup supports: [displayName, description, externalIds]",
  );
  err = await failure(client.send(new UpdateGroupCommand({ IdentityStoreId, GroupId: '0123456789-00000000-0000-4000-8000-000000000000', Operations: [{ AttributePath: 'description', AttributeValue: 'x' }] })));
  t.equal(err.name, 'ResourceNotFoundException');
  t.equal(err.ResourceType, 'GROUP');
  t.equal(err.ResourceId, '0123456789-00000000-0000-4000-8000-000000000000');
  t.equal(snapshot(), before);
});

t.test('ListGroups: pagination and the DisplayName filter', async (t) => {
  const { lab: lab2, client: c2, IdentityStoreId: id2 } = await startIdentityStoreLab();
  t.teardown(() => lab2.close());
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await c2.send(new CreateGroupCommand({ IdentityStoreId: id2, DisplayName: `Team ${i}` }))).GroupId!);
  const seen: string[] = [];
  let pages = 0;
  for await (const page of paginateListGroups({ client: c2, pageSize: 2 }, { IdentityStoreId: id2 })) {
    pages++;
    seen.push(...page.Groups!.map((g) => g.GroupId!));
  }
  t.equal(pages, 3);
  t.same(seen, [...ids].sort());
  const filtered = await c2.send(new ListGroupsCommand({ IdentityStoreId: id2, Filters: [{ AttributePath: 'DisplayName', AttributeValue: 'team 3' }] }));
  t.same(filtered.Groups!.map((g) => g.DisplayName), ['Team 3']);
  const err = await failure(c2.send(new ListGroupsCommand({ IdentityStoreId: id2, Filters: [{ AttributePath: 'Description', AttributeValue: 'x' }] })));
  t.equal(err.message, 'Filtering groups by Description is not supported; ListGroups filters by DisplayName only.');
});

t.test('DeleteGroup removes the group and its memberships', async (t) => {
  const { GroupId } = await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'Temporary' }));
  const { UserId } = await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'temp.member')));
  await client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId: UserId! } }));
  await client.send(new DeleteGroupCommand({ IdentityStoreId, GroupId }));
  t.equal((await failure(client.send(new DescribeGroupCommand({ IdentityStoreId, GroupId })))).name, 'ResourceNotFoundException');
  t.same((await client.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId, MemberId: { UserId: UserId! } }))).GroupMemberships, []);
  const err = await failure(client.send(new DeleteGroupCommand({ IdentityStoreId, GroupId })));
  t.equal(err.ResourceType, 'GROUP');
  t.equal(err.ResourceId, GroupId);
});
