import t from 'tap';
import {
  CreateApplicationAssignmentCommand,
  CreateApplicationCommand,
  CreateInstanceCommand,
  CreateTrustedTokenIssuerCommand,
  DeleteApplicationCommand,
  ListApplicationAccessScopesCommand,
  ListApplicationAssignmentsCommand,
  ListApplicationsCommand,
  ListInstancesCommand,
  ListTrustedTokenIssuersCommand,
  PutApplicationAccessScopeCommand,
  paginateListApplications,
} from '@aws-sdk/client-sso-admin';
import { CUSTOM_PROVIDER, OTHER_CREDENTIALS, adminClient, oneValidationError, rejects, seedUser, startSsoAdminLab } from './helpers/sso-admin-lab.js';

const { lab, ic, sso, instanceArn: orgInstance } = await startSsoAdminLab();
t.teardown(() => lab.close());

// A fresh account instance, so its lists hold exactly what this file puts there.
const { InstanceArn } = await sso.send(new CreateInstanceCommand({ Name: 'pages' }));
const instanceArn = InstanceArn!;
const apps: string[] = [];
for (let i = 0; i < 7; i++) {
  apps.push((await sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: `app-${i}` }))).ApplicationArn!);
}

/** Every page of a list, following NextToken by hand. */
async function allPages<T>(fetch: (NextToken?: string) => Promise<{ items: T[]; NextToken?: string }>): Promise<T[][]> {
  const pages: T[][] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    pages.push(page.items);
    token = page.NextToken;
  } while (token && pages.length < 100);
  return pages;
}

t.test('ListApplications across several pages: every application once, NextToken only while more remain', async (t) => {
  const pages = await allPages(async (NextToken) => {
    const out = await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 3, NextToken }));
    return { items: out.Applications!.map((a) => a.ApplicationArn!), NextToken: out.NextToken };
  });
  t.strictSame(pages.map((p) => p.length), [3, 3, 1]);
  t.strictSame(pages.flat().sort(), [...apps].sort());
  t.match(
    (await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 3 }))).NextToken,
    /^[-a-zA-Z0-9+=/_]+$/,
    'the NextToken fits the model\'s Token pattern',
  );

  const viaPaginator: string[] = [];
  for await (const page of paginateListApplications({ client: sso, pageSize: 2 }, { InstanceArn: instanceArn })) {
    t.ok(page.Applications!.length <= 2);
    viaPaginator.push(...page.Applications!.map((a) => a.ApplicationArn!));
  }
  t.strictSame(viaPaginator.sort(), [...apps].sort(), "the SDK's own paginator walks every page");
});

t.test('a page continues after the last item it returned, even when items change in between', async (t) => {
  const first = await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 3 }));
  const seen = first.Applications!.map((a) => a.ApplicationArn!);
  // The item the NextToken points after goes away, and a new one arrives.
  await sso.send(new DeleteApplicationCommand({ ApplicationArn: seen[2]! }));
  const extra = (await sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'late' }))).ApplicationArn!;
  let token = first.NextToken;
  const rest: string[] = [];
  while (token) {
    const out = await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 3, NextToken: token }));
    rest.push(...out.Applications!.map((a) => a.ApplicationArn!));
    token = out.NextToken;
  }
  t.notOk(rest.some((a) => seen.includes(a)), 'nothing already seen is repeated');
  t.ok(apps.filter((a) => !seen.includes(a)).every((a) => rest.includes(a)), 'nothing unseen is skipped');
  t.equal(rest.includes(extra), extra > seen[2]!, 'a new item shows up when it sorts after the point reached');
  await sso.send(new DeleteApplicationCommand({ ApplicationArn: extra }));
  apps.splice(apps.indexOf(seen[2]!), 1);
});

t.test('ListApplications never returns more than 50 per page, the model\'s ApplicationList maximum', async (t) => {
  const { InstanceArn: big } = await adminClient(lab, OTHER_CREDENTIALS).send(new CreateInstanceCommand({}));
  const other = adminClient(lab, OTHER_CREDENTIALS);
  for (let i = 0; i < 55; i++) await other.send(new CreateApplicationCommand({ InstanceArn: big, ApplicationProviderArn: CUSTOM_PROVIDER, Name: `bulk-${i}` }));
  const first = await other.send(new ListApplicationsCommand({ InstanceArn: big, MaxResults: 100 }));
  t.equal(first.Applications?.length, 50);
  const second = await other.send(new ListApplicationsCommand({ InstanceArn: big, MaxResults: 100, NextToken: first.NextToken }));
  t.equal(second.Applications?.length, 5);
  t.notOk(second.NextToken);
  const byDefault = await other.send(new ListApplicationsCommand({ InstanceArn: big }));
  t.equal(byDefault.Applications?.length, 50, 'without MaxResults, pages of 50');
});

t.test('other lists page the same way', async (t) => {
  for (let i = 0; i < 5; i++) {
    await sso.send(
      new CreateTrustedTokenIssuerCommand({
        InstanceArn: instanceArn,
        Name: `idp-${i}`,
        TrustedTokenIssuerType: 'OIDC_JWT',
        TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: `https://idp-${i}.example.com`, ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
      }),
    );
  }
  const ttiPages = await allPages(async (NextToken) => {
    const out = await sso.send(new ListTrustedTokenIssuersCommand({ InstanceArn: instanceArn, MaxResults: 2, NextToken }));
    return { items: out.TrustedTokenIssuers!.map((i) => i.Name!), NextToken: out.NextToken };
  });
  t.strictSame(ttiPages.map((p) => p.length), [2, 2, 1]);
  t.strictSame(ttiPages.flat().sort(), ['idp-0', 'idp-1', 'idp-2', 'idp-3', 'idp-4']);

  const app = apps[0]!;
  for (let i = 0; i < 23; i++) await sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn: app, Scope: `scope_${String(i).padStart(2, '0')}` }));
  const scopePages = await allPages(async (NextToken) => {
    const out = await sso.send(new ListApplicationAccessScopesCommand({ ApplicationArn: app, NextToken }));
    return { items: out.Scopes!.map((s) => s.Scope!), NextToken: out.NextToken };
  });
  t.strictSame(scopePages.map((p) => p.length), [10, 10, 3], 'access scopes: at most 10 per page (the Scopes list maximum)');

  const { IdentityStoreId } = ic.state.read.instances[instanceArn]!;
  for (let i = 0; i < 4; i++) {
    const user = await seedUser(ic, IdentityStoreId);
    await sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn: app, PrincipalId: user, PrincipalType: 'USER' }));
  }
  const assignmentPages = await allPages(async (NextToken) => {
    const out = await sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn: app, MaxResults: 3, NextToken }));
    return { items: out.ApplicationAssignments!, NextToken: out.NextToken };
  });
  t.strictSame(assignmentPages.map((p) => p.length), [3, 1]);

  const instancePages = await allPages(async (NextToken) => {
    const out = await sso.send(new ListInstancesCommand({ MaxResults: 1, NextToken }));
    return { items: out.Instances!.map((i) => i.InstanceArn!), NextToken: out.NextToken };
  });
  t.strictSame(instancePages.flat().sort(), [orgInstance, instanceArn].sort());
});

t.test('a NextToken that this list did not hand out is a ValidationException', async (t) => {
  const invalid = { name: 'ValidationException', status: 400, message: 'Invalid NextToken' };
  await rejects(t, sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, NextToken: 'garbage' })), invalid);
  await rejects(t, sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, NextToken: Buffer.from('{"s":1}').toString('base64url') })), invalid);
  const ttiToken = (await sso.send(new ListTrustedTokenIssuersCommand({ InstanceArn: instanceArn, MaxResults: 1 }))).NextToken;
  await rejects(t, sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, NextToken: ttiToken })), invalid);
  const filteredToken = (await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 1, Filter: { ApplicationProvider: CUSTOM_PROVIDER } }))).NextToken;
  await rejects(t, sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, NextToken: filteredToken })), invalid);
  await rejects(t, sso.send(new ListApplicationsCommand({ InstanceArn: orgInstance, NextToken: (await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 1 }))).NextToken })), invalid);
  await rejects(
    t,
    sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, NextToken: 'not!a!token' })),
    oneValidationError("Value 'not!a!token' at 'nextToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [-a-zA-Z0-9+=/_]*"),
  );
  await rejects(
    t,
    sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 0 })),
    oneValidationError("Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"),
  );
  await rejects(
    t,
    sso.send(new ListInstancesCommand({ MaxResults: 101 })),
    oneValidationError("Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"),
  );
});
