import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSOOIDCClient, CreateTokenWithIAMCommand } from '@aws-sdk/client-sso-oidc';
import { SSOAdminClient, ListApplicationAssignmentsCommand, ListApplicationsCommand, ListTrustedTokenIssuersCommand } from '@aws-sdk/client-sso-admin';
import { startLab } from '../../server/index.js';

const CONFIG = `
issuers:
  - name: okta
    clients:
      - client_id: 0oa-web
        client_secret: s
        redirect_uris: [http://localhost:3000/callback]
    users:
      - sub: 00u1
        email: alice@example.com
      - sub: 00u2
        email: bob@example.com
identity_center:
  instances:
    - name: tti-lab
      users:
        - user_name: alice
          emails: [alice@example.com]
        - user_name: bob
          emails: [bob@example.com]
      groups:
        - display_name: engineers
          members: [bob]
      trusted_token_issuers:
        - name: okta
          issuer: okta
          claim_attribute_path: email
          identity_store_attribute_path: emails.value
      applications:
        - name: reports
          grants:
            jwt_bearer:
              - trusted_token_issuer: okta
                audiences: [0oa-web]
            refresh_token: true
          allowed_callers: ["000000000000"]
          scopes: [s3:access_grants:read_write]
          assignments: [alice, "group:engineers"]
`;

const common = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

t.test('a config declares the whole TIP setup; it works at once and survives restarts unchanged', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tti-setup-'));
  const file = join(dir, 'lab.yaml');
  await writeFile(file, CONFIG);
  let lab = await startLab({ config: file, dataDir: join(dir, 'data') });
  const admin = new SSOAdminClient({ ...common, endpoint: lab.url });
  const instanceArn = lab.services.identityCenter.defaultInstance().InstanceArn;
  const apps = await admin.send(new ListApplicationsCommand({ InstanceArn: instanceArn }));
  t.same(apps.Applications?.map((a) => a.Name), ['reports']);
  const appArn = apps.Applications![0]!.ApplicationArn!;
  const oidc = new SSOOIDCClient({ ...common, endpoint: lab.url });
  for (const sub of ['00u1', '00u2']) {
    const { token } = await lab.mint('okta', { user: sub, claims: { aud: '0oa-web' } });
    const res = await oidc.send(new CreateTokenWithIAMCommand({ clientId: appArn, grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: token }));
    t.ok(res.refreshToken, `${sub}: exchanged (alice directly, bob through his group)`);
  }
  await lab.close();
  lab = await startLab({ config: file, dataDir: join(dir, 'data') });
  t.teardown(() => lab.close());
  const again = await new SSOAdminClient({ ...common, endpoint: lab.url }).send(new ListApplicationsCommand({ InstanceArn: instanceArn }));
  t.same(again.Applications?.map((a) => a.ApplicationArn), [appArn], 'the same application, not a second one');
  const ttis = await new SSOAdminClient({ ...common, endpoint: lab.url }).send(new ListTrustedTokenIssuersCommand({ InstanceArn: instanceArn }));
  t.equal(ttis.TrustedTokenIssuers?.length, 1);
});

t.test('a setup the API would refuse names the file and the field', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tti-setup-'));
  const file = join(dir, 'lab.yaml');
  await writeFile(file, CONFIG.replace('audiences: [0oa-web]', 'audiences: []').replace('trusted_token_issuer: okta', 'trusted_token_issuer: okta'));
  await t.rejects(startLab({ config: file, inMemory: true }), /lab\.yaml: identity_center\.instances\[0\]\.applications\[0\]\.grants\.jwt_bearer: PutApplicationGrant refused it: ValidationException/);
  await writeFile(file, CONFIG.replace('assignments: [alice, "group:engineers"]', 'assignments: [carol]'));
  await t.rejects(startLab({ config: file, inMemory: true }), /lab\.yaml: identity_center\.instances\[0\]\.applications\[0\]\.assignments\[0\]: no user "carol"/);
  await writeFile(file, CONFIG.replace('issuer: okta\n', 'issuer: auth0\n'));
  await t.rejects(startLab({ config: file, inMemory: true }), /lab\.yaml: identity_center\.instances\[0\]\.trusted_token_issuers\[0\]\.issuer: no lab issuer named "auth0"/);
});

const groupsOf = (lab: Awaited<ReturnType<typeof startLab>>) => {
  const ic = lab.services.identityCenter;
  return Object.values(ic.state.read.identityStores[ic.defaultInstance().IdentityStoreId]!.Groups);
};

t.test('a group the store already has under another case is reused on restart, not created again (display names are unique ignoring case)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tti-setup-'));
  const file = join(dir, 'lab.yaml');
  await writeFile(file, CONFIG);
  let lab = await startLab({ config: file, dataDir: join(dir, 'data') });
  const groupsBefore = groupsOf(lab);
  await lab.close();
  await writeFile(file, CONFIG.replace('display_name: engineers', 'display_name: Engineers').replace('"group:engineers"', '"group:Engineers"'));
  lab = await startLab({ config: file, dataDir: join(dir, 'data') });
  t.teardown(() => lab.close());
  const groupsAfter = groupsOf(lab);
  t.same(groupsAfter.map((g) => [g.GroupId, g.DisplayName]), groupsBefore.map((g) => [g.GroupId, g.DisplayName]), 'the one group, as it was');
  // (No exchange here: port 0 gives the restarted lab another port, so the stored IssuerUrl — immutable, as in AWS — names the old one.)
  const admin = new SSOAdminClient({ ...common, endpoint: lab.url });
  const appArn = (await admin.send(new ListApplicationsCommand({ InstanceArn: lab.services.identityCenter.defaultInstance().InstanceArn }))).Applications![0]!.ApplicationArn!;
  const assigned = (await admin.send(new ListApplicationAssignmentsCommand({ ApplicationArn: appArn }))).ApplicationAssignments ?? [];
  t.same(assigned.filter((a) => a.PrincipalType === 'GROUP').map((a) => a.PrincipalId), [groupsBefore[0]!.GroupId], 'the application is still assigned to that group, once');
});
