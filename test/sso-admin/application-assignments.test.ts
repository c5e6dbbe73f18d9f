import t from 'tap';
import {
  CreateApplicationAssignmentCommand,
  CreateApplicationCommand,
  CreateInstanceCommand,
  DeleteApplicationAssignmentCommand,
  DeleteApplicationCommand,
  DescribeApplicationAssignmentCommand,
  DescribeInstanceCommand,
  ListApplicationAssignmentsCommand,
  ListApplicationAssignmentsForPrincipalCommand,
} from '@aws-sdk/client-sso-admin';
import { CUSTOM_PROVIDER, oneValidationError, rejects, seedGroup, seedUser, snapshot, startSsoAdminLab } from './helpers/sso-admin-lab.js';

const { lab, ic, sso, instanceArn, identityStoreId } = await startSsoAdminLab();
t.teardown(() => lab.close());

const PRINCIPAL_PATTERN = '([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}';
let n = 0;
const newApp = async (InstanceArn = instanceArn) =>
  (await sso.send(new CreateApplicationCommand({ InstanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: `app-${++n}` }))).ApplicationArn!;

t.test('users and groups of the instance\'s identity store are assigned, described, listed and removed', async (t) => {
  const app = await newApp();
  const other = await newApp();
  const alice = await seedUser(ic, identityStoreId, 'alice');
  const team = await seedGroup(ic, identityStoreId, 'team');
  await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: alice, PrincipalType: 'USER' }));
  await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: team, PrincipalType: 'GROUP' }));
  await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: other, PrincipalId: alice, PrincipalType: 'USER' }));

  const described = await sso.send(new DescribeApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: alice, PrincipalType: 'USER' }));
  t.strictSame({ ...described, $metadata: undefined }, { $metadata: undefined, PrincipalType: 'USER', PrincipalId: alice, ApplicationArn: app });

  const forAlice = await sso.send(new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, PrincipalId: alice, PrincipalType: 'USER' }));
  t.strictSame(forAlice.ApplicationAssignments, [app, other].sort().map((ApplicationArn) => ({ ApplicationArn, PrincipalId: alice, PrincipalType: 'USER' })));
  const filtered = await sso.send(new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, PrincipalId: alice, PrincipalType: 'USER', Filter: { ApplicationArn: other } }));
  t.strictSame(filtered.ApplicationAssignments, [{ ApplicationArn: other, PrincipalId: alice, PrincipalType: 'USER' }]);
  const forTeamAsUser = await sso.send(new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, PrincipalId: team, PrincipalType: 'USER' }));
  t.strictSame(forTeamAsUser.ApplicationAssignments, [], 'the principal type is part of the match');

  await sso.send(new DeleteApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: alice, PrincipalType: 'USER' }));
  t.strictSame((await sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn: app }))).ApplicationAssignments, [
    { ApplicationArn: app, PrincipalId: team, PrincipalType: 'GROUP' },
  ]);
  const gone = { name: 'ResourceNotFoundException', status: 404, message: `USER ${alice} is not assigned to application ${app}` };
  await rejects(t, sso.send(new DeleteApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: alice, PrincipalType: 'USER' })), gone);
  await rejects(t, sso.send(new DescribeApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: alice, PrincipalType: 'USER' })), gone);

  await sso.send(new DeleteApplicationCommand({ ApplicationArn: other }));
  t.strictSame(
    (await sso.send(new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, PrincipalId: alice, PrincipalType: 'USER' }))).ApplicationAssignments,
    [],
    "a deleted application's assignments go with it",
  );
});

t.test('a principal must exist in the identity store of the application\'s instance', async (t) => {
  const app = await newApp();
  const alice = await seedUser(ic, identityStoreId, 'alice2');
  const team = await seedGroup(ic, identityStoreId, 'team2');
  const before = snapshot(ic);
  await rejects(t, sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: alice, PrincipalType: 'GROUP' })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Group ${alice} does not exist in identity store ${identityStoreId}`,
  });
  await rejects(t, sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: team, PrincipalType: 'USER' })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `User ${team} does not exist in identity store ${identityStoreId}`,
  });
  // A user of another instance's identity store is not one of this instance's users.
  const { InstanceArn: accountInstance } = await sso.send(new CreateInstanceCommand({}));
  const { IdentityStoreId: otherStore } = await sso.send(new DescribeInstanceCommand({ InstanceArn: accountInstance }));
  const stranger = await seedUser(ic, otherStore!, 'stranger');
  const beforeStranger = snapshot(ic);
  await rejects(t, sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: stranger, PrincipalType: 'USER' })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `User ${stranger} does not exist in identity store ${identityStoreId}`,
  });
  t.equal(snapshot(ic), beforeStranger, 'nothing assigned');
  t.not(before, beforeStranger);

  await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: alice, PrincipalType: 'USER' }));
  await rejects(t, sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: alice, PrincipalType: 'USER' })), {
    name: 'ConflictException',
    status: 409,
    message: `USER ${alice} is already assigned to application ${app}`,
  });
  t.equal((await sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn: app }))).ApplicationAssignments?.length, 1, 'assigned once');

  // Removing an assignment does not need the principal any more.
  await ic.state.mutate((s) => {
    delete s.identityStores[identityStoreId]!.Users[alice];
  });
  await sso.send(new DeleteApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: alice, PrincipalType: 'USER' }));
  t.pass('assignment of a deleted user removed');
});

t.test('assignment inputs are validated against the model', async (t) => {
  const app = await newApp();
  await rejects(t, sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app } as never)), {
    name: 'ValidationException',
    status: 400,
    message:
      "2 validation errors detected: Value null at 'principalId' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'principalType' failed to satisfy constraint: Member must not be null",
  });
  await rejects(
    t,
    sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: 'alice', PrincipalType: 'ROLE' as never })),
    {
      name: 'ValidationException',
      status: 400,
      message:
        `2 validation errors detected: Value 'alice' at 'principalId' failed to satisfy constraint: Member must satisfy regular expression pattern: ${PRINCIPAL_PATTERN}; ` +
        "Value 'ROLE' at 'principalType' failed to satisfy constraint: Member must satisfy enum value set: [USER, GROUP]",
    },
  );
  const missingApp = `${app.slice(0, -16)}${'0'.repeat(16)}`;
  const user = await seedUser(ic, identityStoreId);
  await rejects(t, sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: missingApp, PrincipalId: user, PrincipalType: 'USER' })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Application ${missingApp} does not exist`,
  });
  await rejects(t, sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn: missingApp })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Application ${missingApp} does not exist`,
  });
  const unknownInstance = 'arn:aws:sso:::instance/ssoins-0000000000000000';
  await rejects(t, sso.send(new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: unknownInstance, PrincipalId: user, PrincipalType: 'USER' })), {
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Instance ${unknownInstance} does not exist`,
  });
});
