import t from 'tap';
import {
  CreateUserCommand, DeleteUserCommand, DescribeUserCommand, GetUserIdCommand, ListUsersCommand, UpdateUserCommand, paginateListUsers,
  CreateGroupCommand, CreateGroupMembershipCommand, ListGroupMembershipsCommand,
} from '@aws-sdk/client-identitystore';
import { fixedClock } from '../../shared/clock.js';
import { awsFetch, identityStoreHeaders } from '../aws/helpers/sign-request.js';
import { failure, startIdentityStoreLab, userInput } from './helpers/identity-store-lab.js';

// Frozen near the real time: the SDK signs with the real clock, and SigV4 allows 5 minutes.
const START = Math.floor(Date.now() / 1000) * 1000;
const clock = fixedClock(START);
const { lab, client, IdentityStoreId, snapshot } = await startIdentityStoreLab({ clock });
t.teardown(() => lab.close());

const ROOT_ARN = 'arn:aws:iam::000000000000:root';
const strip = <T extends { $metadata?: unknown }>(o: T) => {
  const { $metadata: _m, ...rest } = o;
  return rest;
};

t.test('CreateUser, then DescribeUser returns every member as stored, with status and audit members', async (t) => {
  const full = userInput(IdentityStoreId, 'describe.me', {
    Name: { GivenName: 'Dee', FamilyName: 'Scribe', MiddleName: 'M', Formatted: 'Dee M Scribe', HonorificPrefix: 'Dr.', HonorificSuffix: 'PhD' },
    NickName: 'dee',
    ProfileUrl: 'https://example.com/dee',
    Emails: [{ Value: 'dee@example.com', Type: 'work', Primary: true }],
    Addresses: [{ StreetAddress: '1 Main St', Locality: 'Town', Region: 'ST', PostalCode: '12345', Country: 'US', Formatted: '1 Main St, Town', Type: 'work', Primary: true }],
    PhoneNumbers: [{ Value: '+1 555 0100', Type: 'mobile', Primary: true }],
    UserType: 'Employee',
    Title: 'Engineer',
    PreferredLanguage: 'en-US',
    Locale: 'en-US',
    Timezone: 'America/New_York',
    Photos: [{ Value: 'https://example.com/dee.png', Type: 'photo', Display: 'Dee', Primary: true }],
    Website: 'https://dee.example.com',
    Birthdate: '1990-01-31',
    Roles: [{ Value: 'Researcher', Type: 'work', Primary: true }],
    Extensions: { 'aws:identitystore:enterprise': { employeeNumber: '42', department: 'R&D' } },
  });
  const created = await client.send(new CreateUserCommand(full as never));
  t.equal(created.IdentityStoreId, IdentityStoreId);
  t.match(created.UserId, /^[0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a UserId in the model\'s ResourceId format');
  t.equal(created.UserId!.slice(0, 11), `${IdentityStoreId.slice(2)}-`, 'prefixed with the identity store id\'s ten characters, as the real service does');

  const { Extensions: _e, ...withoutExtensions } = full as typeof full & { Extensions?: unknown };
  const at = new Date(START);
  const expected = {
    ...withoutExtensions,
    UserId: created.UserId,
    UserStatus: 'ENABLED',
    CreatedAt: at,
    CreatedBy: ROOT_ARN,
    UpdatedAt: at,
    UpdatedBy: ROOT_ARN,
  };
  t.same(strip(await client.send(new DescribeUserCommand({ IdentityStoreId, UserId: created.UserId }))), expected, 'extensions only when asked for');
  const withExt = await client.send(new DescribeUserCommand({ IdentityStoreId, UserId: created.UserId, Extensions: ['aws:identitystore:enterprise'] }));
  t.same(withExt.Extensions, { 'aws:identitystore:enterprise': { employeeNumber: '42', department: 'R&D' } });
});

t.test('the wire: DescribeUser answers awsJson with epoch-second timestamps', async (t) => {
  const { UserId } = await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'wire.user')));
  const res = await awsFetch({ baseUrl: lab.url, headers: identityStoreHeaders('DescribeUser'), body: JSON.stringify({ IdentityStoreId, UserId }) });
  t.equal(res.status, 200);
  t.equal(res.headers.get('content-type'), 'application/x-amz-json-1.1');
  t.ok(res.headers.get('x-amzn-requestid'));
  t.equal(res.headers.get('date'), new Date(START).toUTCString(), 'the Date header is the lab clock\'s');
  t.same(await res.json(), {
    IdentityStoreId,
    UserId,
    UserName: 'wire.user',
    Name: { GivenName: 'wire.user', FamilyName: 'Example' },
    DisplayName: 'wire.user Example',
    UserStatus: 'ENABLED',
    CreatedAt: START / 1000,
    CreatedBy: ROOT_ARN,
    UpdatedAt: START / 1000,
    UpdatedBy: ROOT_ARN,
  });
});

t.test('UserName is unique per identity store, ignoring case: ConflictException with its modelled members', async (t) => {
  await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'Unique.Person')));
  const before = snapshot();
  const err = await failure(client.send(new CreateUserCommand(userInput(IdentityStoreId, 'unique.PERSON'))));
  t.equal(err.name, 'ConflictException');
  t.equal(err.$metadata.httpStatusCode, 400);
  t.equal(err.message, 'Duplicate UserName');
  t.equal(err.Reason, 'UNIQUENESS_CONSTRAINT_VIOLATION');
  t.equal(err.RequestId, err.$metadata.requestId, 'RequestId is the request\'s x-amzn-RequestId');
  t.equal(snapshot(), before, 'nothing changed');

  const res = await awsFetch({ baseUrl: lab.url, headers: identityStoreHeaders('CreateUser'), body: JSON.stringify(userInput(IdentityStoreId, 'UNIQUE.person')) });
  const requestId = res.headers.get('x-amzn-requestid');
  t.equal(res.status, 400);
  t.equal(res.headers.get('x-amzn-errortype'), 'ConflictException');
  t.same(await res.json(), { __type: 'ConflictException', Message: 'Duplicate UserName', Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION', RequestId: requestId });
});

t.test('the reserved names Administrator and AWSAdministrators are refused', async (t) => {
  for (const name of ['Administrator', 'awsadministrators']) {
    const err = await failure(client.send(new CreateUserCommand(userInput(IdentityStoreId, name))));
    t.equal(err.name, 'ValidationException');
    t.equal(err.message, `${name} is a reserved name and can't be used for users or groups.`);
  }
});

t.test('CreateUser validation: required members, model constraints, sensitive values left out of messages', async (t) => {
  const before = snapshot();
  let err = await failure(client.send(new CreateUserCommand({ IdentityStoreId } as never)));
  t.equal(err.name, 'ValidationException');
  t.equal(
    err.message,
    "3 validation errors detected: Value null at 'userName' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'displayName' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'name' failed to satisfy constraint: Member must not be null",
  );
  t.equal(err.RequestId, err.$metadata.requestId);

  err = await failure(client.send(new CreateUserCommand(userInput(IdentityStoreId, 'has space', { Name: { GivenName: 'Only' } }))));
  t.equal(
    err.message,
    "2 validation errors detected: Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+; " +
      "Value null at 'name.familyName' failed to satisfy constraint: Member must not be null",
  );

  err = await failure(
    client.send(new CreateUserCommand(userInput(IdentityStoreId, 'two.emails', { Emails: [{ Value: 'a@example.com' }, { Value: 'b@example.com' }] }))),
  );
  t.match(err.message, /^1 validation error detected: Value '\[.*\]' at 'emails' failed to satisfy constraint: Member must have length less than or equal to 1$/);

  err = await failure(client.send(new CreateUserCommand(userInput('d-123', 'bad.store'))));
  t.equal(
    err.message,
    "1 validation error detected: Value 'd-123' at 'identityStoreId' failed to satisfy constraint: Member must satisfy regular expression pattern: d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
  );

  err = await failure(client.send(new CreateUserCommand(userInput(IdentityStoreId, 'x'.repeat(129)))));
  t.equal(err.message, "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 128");

  err = await failure(client.send(new CreateUserCommand(userInput(IdentityStoreId, 'ext.user', { Extensions: { 'acme:custom': { a: 1 } } }) as never)));
  t.equal(
    err.message,
    "1 validation error detected: Value 'acme:custom' at 'extensions.acme:custom' failed to satisfy constraint: Member must be a supported extension name: [aws:identitystore:enterprise]",
  );

  const res = await awsFetch({ baseUrl: lab.url, headers: identityStoreHeaders('CreateUser'), body: JSON.stringify({ ...userInput(IdentityStoreId, 'typed'), DisplayName: 42 }) });
  t.equal(res.headers.get('x-amzn-errortype'), 'SerializationException', 'a wrong JSON type cannot be deserialised');
  t.same(await res.json(), { __type: 'SerializationException', Message: "Unexpected value type for 'displayName': expected string, got number" });
  t.equal(snapshot(), before, 'nothing changed');
});

t.test('an identity store that does not exist: ResourceNotFoundException IDENTITY_STORE', async (t) => {
  const err = await failure(client.send(new CreateUserCommand(userInput('d-0000000000', 'nowhere'))));
  t.equal(err.name, 'ResourceNotFoundException');
  t.equal(err.$metadata.httpStatusCode, 400);
  t.equal(err.message, 'IdentityStore not present for IdentityStoreId: d-0000000000');
  t.equal(err.ResourceType, 'IDENTITY_STORE');
  t.equal(err.ResourceId, 'd-0000000000');
  t.equal(err.RequestId, err.$metadata.requestId);
});

t.test('a user that does not exist: ResourceNotFoundException USER with its id', async (t) => {
  const UserId = '0123456789-00000000-0000-4000-8000-000000000000';
  for (const command of [
    new DescribeUserCommand({ IdentityStoreId, UserId }),
    new UpdateUserCommand({ IdentityStoreId, UserId, Operations: [{ AttributePath: 'displayName', AttributeValue: 'x' }] }),
    new DeleteUserCommand({ IdentityStoreId, UserId }),
  ]) {
    const err = await failure(client.send(command as never));
    t.equal(err.name, 'ResourceNotFoundException', command.constructor.name);
    t.equal(err.ResourceType, 'USER');
    t.equal(err.ResourceId, UserId);
    t.equal(err.message, 'USER not found.');
  }
  const err = await failure(client.send(new DescribeUserCommand({ IdentityStoreId, UserId: 'not-an-id' })));
  t.equal(err.name, 'ValidationException');
  t.match(err.message, /Value 'not-an-id' at 'userId' failed to satisfy constraint: Member must satisfy regular expression pattern: \(\[0-9a-f\]\{10\}-\|\)/);
});

t.test('GetUserId: by userName (ignoring case), by emails.value, by external id', async (t) => {
  const { UserId } = await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'Finder@Example.com', { Emails: [{ Value: 'finder@example.com', Primary: true }] })));
  const byName = await client.send(new GetUserIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'finder@example.com' } } }));
  t.same(strip(byName), { IdentityStoreId, UserId });
  const byEmail = await client.send(new GetUserIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'finder@example.com' } } }));
  t.equal(byEmail.UserId, UserId);

  await client.send(new UpdateUserCommand({ IdentityStoreId, UserId, Operations: [{ AttributePath: 'externalIds', AttributeValue: [{ Issuer: 'https://idp.example.com', Id: '00u-finder' }] }] }));
  const byExternal = await client.send(new GetUserIdCommand({ IdentityStoreId, AlternateIdentifier: { ExternalId: { Issuer: 'https://idp.example.com', Id: '00u-finder' } } }));
  t.equal(byExternal.UserId, UserId);

  let err = await failure(client.send(new GetUserIdCommand({ IdentityStoreId, AlternateIdentifier: { ExternalId: { Issuer: 'https://other.example.com', Id: '00u-finder' } } })));
  t.equal(err.name, 'ResourceNotFoundException');
  t.equal(err.ResourceType, 'USER');
  t.equal(err.ResourceId, undefined, 'no id to name');

  err = await failure(client.send(new GetUserIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'x' } } })));
  t.equal(err.name, 'ValidationException');
  t.equal(
    err.message,
    "1 validation error detected: Value 'displayName' at 'alternateIdentifier.uniqueAttribute.attributePath' failed to satisfy constraint: Member must be one of the unique attributes of a user: [userName, emails.value]",
  );

  err = await failure(client.send(new GetUserIdCommand({ IdentityStoreId, AlternateIdentifier: { ExternalId: { Issuer: 'arn:aws:x', Id: '1' } } })));
  t.equal(
    err.message,
    "1 validation error detected: Value at 'alternateIdentifier.externalId.issuer' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!(?i)(arn|aws):)[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
  );

  const res = await awsFetch({
    baseUrl: lab.url,
    headers: identityStoreHeaders('GetUserId'),
    body: JSON.stringify({ IdentityStoreId, AlternateIdentifier: { ExternalId: { Issuer: 'i', Id: '1' }, UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'x' } } }),
  });
  t.equal(res.headers.get('x-amzn-errortype'), 'ValidationException', 'a union with two members set');
  t.same(await res.json(), {
    __type: 'ValidationException',
    Message: "1 validation error detected: Value at 'alternateIdentifier' failed to satisfy constraint: Member must have exactly one of [ExternalId, UniqueAttribute] set",
    RequestId: res.headers.get('x-amzn-requestid'),
  });
});

t.test('GetUserId by an email several users share is refused (emails are not unique)', async (t) => {
  const Emails = [{ Value: 'shared@example.com' }];
  await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'share.one', { Emails })));
  await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'share.two', { Emails })));
  const err = await failure(client.send(new GetUserIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'shared@example.com' } } })));
  // GetUserId's model declares no ConflictException (the real service cannot send one): ValidationException.
  t.equal(err.name, 'ValidationException');
  t.equal(err.message, 'More than one user has this email address; use userName or an external id.');
});

t.test('UpdateUser applies every operation, or none', async (t) => {
  const { UserId } = await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'update.me', { NickName: 'upd', Emails: [{ Value: 'old@example.com' }] })));
  await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'taken.name')));
  clock.advance(60_000);
  await client.send(
    new UpdateUserCommand({
      IdentityStoreId,
      UserId,
      Operations: [
        { AttributePath: 'displayName', AttributeValue: 'Updated Person' },
        { AttributePath: 'name.givenName', AttributeValue: 'Upd' },
        { AttributePath: 'name.middleName', AttributeValue: 'M' },
        { AttributePath: 'nickName' },
        { AttributePath: 'emails', AttributeValue: [{ value: 'new@example.com', type: 'work', primary: true }] },
        { AttributePath: 'userName', AttributeValue: 'updated.me' },
      ],
    }),
  );
  const user = await client.send(new DescribeUserCommand({ IdentityStoreId, UserId }));
  t.equal(user.DisplayName, 'Updated Person');
  t.same(user.Name, { GivenName: 'Upd', FamilyName: 'Example', MiddleName: 'M' });
  t.equal(user.NickName, undefined, 'an operation without a value removes the attribute');
  t.same(user.Emails, [{ Value: 'new@example.com', Type: 'work', Primary: true }], 'document members are read case-insensitively');
  t.equal(user.UserName, 'updated.me');
  t.same(user.UpdatedAt, new Date(START + 60_000));
  t.same(user.CreatedAt, new Date(START));

  const before = snapshot();
  let err = await failure(
    client.send(
      new UpdateUserCommand({
        IdentityStoreId,
        UserId,
        Operations: [
          { AttributePath: 'displayName', AttributeValue: 'Half Done' },
          { AttributePath: 'userName', AttributeValue: 'TAKEN.name' },
        ],
      }),
    ),
  );
  t.equal(err.name, 'ConflictException');
  t.equal(snapshot(), before, 'the first operation was not applied either');

  err = await failure(
    client.send(
      new UpdateUserCommand({
        IdentityStoreId,
        UserId,
        Operations: [
          { AttributePath: 'userName' },
          { AttributePath: 'favouriteColour', AttributeValue: 'blue' },
          { AttributePath: 'title', AttributeValue: 7 },
          { AttributePath: 'emails.value', AttributeValue: 'x@example.com' },
        ],
      }),
    ),
  );
  t.equal(
    err.message,
    "4 validation errors detected: Value null at 'operations.1.member.attributeValue' failed to satisfy constraint: Member must not be null; " +
      "Value 'favouriteColour' at 'operations.2.member.attributePath' failed to satisfy constraint: Member must be a user attribute path UpdateUser supports (userName, displayName, name.givenName, emails …); " +
      "Value at 'operations.3.member.attributeValue' failed to satisfy constraint: Member must be a string; " +
      "Value 'emails.value' at 'operations.4.member.attributePath' failed to satisfy constraint: Member must be a user attribute path UpdateUser supports (userName, displayName, name.givenName, emails …)",
  );
  err = await failure(client.send(new UpdateUserCommand({ IdentityStoreId, UserId, Operations: [] })));
  t.equal(err.message, "1 validation error detected: Value '[]' at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1");
  err = await failure(client.send(new UpdateUserCommand({ IdentityStoreId, UserId, Operations: [{ AttributePath: 'userName', AttributeValue: 'Administrator' }] })));
  t.equal(err.message, "Administrator is a reserved name and can't be used for users or groups.");
  t.equal(snapshot(), before, 'nothing changed');
});

t.test('external ids are unique per store among users', async (t) => {
  const a = await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'ext.a')));
  const b = await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'ext.b')));
  const ExternalIds = [{ Issuer: 'SCIM', Id: 'same-id' }];
  await client.send(new UpdateUserCommand({ IdentityStoreId, UserId: a.UserId, Operations: [{ AttributePath: 'externalIds', AttributeValue: ExternalIds }] }));
  const err = await failure(client.send(new UpdateUserCommand({ IdentityStoreId, UserId: b.UserId, Operations: [{ AttributePath: 'externalIds', AttributeValue: ExternalIds }] })));
  t.equal(err.name, 'ConflictException');
  t.equal(err.message, 'Duplicate ExternalId');
  t.same((await client.send(new DescribeUserCommand({ IdentityStoreId, UserId: a.UserId }))).ExternalIds, ExternalIds);

  // Not in the model's CreateUserRequest (the SDK cannot send it): a lab extension for raw callers and the config setup.
  const res = await awsFetch({
    baseUrl: lab.url,
    headers: identityStoreHeaders('CreateUser'),
    body: JSON.stringify(userInput(IdentityStoreId, 'ext.c', { ExternalIds: [{ Issuer: 'https://idp.example.com', Id: 'sub-c' }] })),
  });
  const { UserId } = (await res.json()) as { UserId: string };
  t.same((await client.send(new DescribeUserCommand({ IdentityStoreId, UserId }))).ExternalIds, [{ Issuer: 'https://idp.example.com', Id: 'sub-c' }]);
  const dup = await awsFetch({ baseUrl: lab.url, headers: identityStoreHeaders('CreateUser'), body: JSON.stringify(userInput(IdentityStoreId, 'ext.d', { ExternalIds })) });
  t.equal(dup.headers.get('x-amzn-errortype'), 'ConflictException', 'the same uniqueness rule on create');
});

t.test('ListUsers pages through every user, in a stable order, with opaque tokens', async (t) => {
  const { lab: lab2, client: c2, IdentityStoreId: id2 } = await startIdentityStoreLab();
  t.teardown(() => lab2.close());
  const created: string[] = [];
  for (let i = 0; i < 7; i++) created.push((await c2.send(new CreateUserCommand(userInput(id2, `page.${i}`)))).UserId!);

  const first = await c2.send(new ListUsersCommand({ IdentityStoreId: id2, MaxResults: 3 }));
  t.equal(first.Users?.length, 3);
  t.match(first.NextToken, /^[-a-zA-Z0-9+=/:_]+$/, 'a token in the model\'s NextToken alphabet');
  const seen: string[] = [];
  for await (const page of paginateListUsers({ client: c2, pageSize: 3 }, { IdentityStoreId: id2 })) seen.push(...page.Users!.map((u) => u.UserId!));
  t.same(seen, [...created].sort(), 'every user once, ordered by id');

  const all = await c2.send(new ListUsersCommand({ IdentityStoreId: id2 }));
  t.equal(all.Users?.length, 7);
  t.equal(all.NextToken, undefined, 'no token on the last page');

  // A token survives a deletion of the user it points after.
  const second = await c2.send(new ListUsersCommand({ IdentityStoreId: id2, MaxResults: 3, NextToken: first.NextToken }));
  await c2.send(new DeleteUserCommand({ IdentityStoreId: id2, UserId: first.Users![2]!.UserId! }));
  const again = await c2.send(new ListUsersCommand({ IdentityStoreId: id2, MaxResults: 3, NextToken: first.NextToken }));
  t.same(again.Users!.map((u) => u.UserId), second.Users!.map((u) => u.UserId));

  const kept = second.Users![0]!.UserName!; // not the user deleted above
  const filtered = await c2.send(new ListUsersCommand({ IdentityStoreId: id2, Filters: [{ AttributePath: 'UserName', AttributeValue: kept.toUpperCase() }] }));
  t.same(filtered.Users!.map((u) => u.UserName), [kept], 'the UserName filter ignores case, like the uniqueness rule');

  let err = await failure(c2.send(new ListUsersCommand({ IdentityStoreId: id2, Filters: [{ AttributePath: 'DisplayName', AttributeValue: 'x' }] })));
  t.equal(err.message, 'Filtering users by DisplayName is not supported; ListUsers filters by UserName only.');
  err = await failure(c2.send(new ListUsersCommand({ IdentityStoreId: id2, NextToken: 'garbage' })));
  t.equal(err.name, 'ValidationException');
  t.equal(err.message, 'The pagination token is invalid.');
  err = await failure(c2.send(new ListUsersCommand({ IdentityStoreId: id2, NextToken: first.NextToken, Filters: [{ AttributePath: 'UserName', AttributeValue: 'page.1' }] })));
  t.equal(err.message, 'The pagination token is invalid.', 'a token belongs to its query');
  err = await failure(c2.send(new ListUsersCommand({ IdentityStoreId: id2, MaxResults: 101 })));
  t.equal(err.message, "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
});

t.test('DeleteUser removes the user and their memberships', async (t) => {
  const { UserId } = await client.send(new CreateUserCommand(userInput(IdentityStoreId, 'leaving')));
  const { GroupId } = await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'Leavers' }));
  await client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId: UserId! } }));
  t.same(await client.send(new DeleteUserCommand({ IdentityStoreId, UserId })).then(strip), {});
  t.equal((await failure(client.send(new DescribeUserCommand({ IdentityStoreId, UserId })))).name, 'ResourceNotFoundException');
  t.same((await client.send(new ListGroupMembershipsCommand({ IdentityStoreId, GroupId }))).GroupMemberships, []);
  t.equal((await failure(client.send(new DeleteUserCommand({ IdentityStoreId, UserId })))).name, 'ResourceNotFoundException', 'a second delete finds nothing');
});
