import t from 'tap';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { SSOOIDCClient, CreateTokenWithIAMCommand } from '@aws-sdk/client-sso-oidc';
import { SSOAdminClient, CreateTrustedTokenIssuerCommand, DescribeTrustedTokenIssuerCommand, ListApplicationsCommand, ListTrustedTokenIssuersCommand } from '@aws-sdk/client-sso-admin';
import { startLab } from '../../server/index.js';

// State saved under one port keeps the IssuerUrls of that port (IssuerUrl is immutable). A restart
// on another port reconciles the trusted token issuers the config made for lab issuers, so the
// README's tour still exchanges; others are left alone with a warning.

const EXAMPLE = fileURLToPath(new URL('../../examples/lab.yaml', import.meta.url));
const common = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

/** Two distinct ports that were free a moment ago. */
async function freePorts(): Promise<[number, number]> {
  const servers = [createServer(), createServer()];
  const ports = await Promise.all(servers.map((s) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port)))));
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports as [number, number];
}

async function exchangeAlice(lab: Awaited<ReturnType<typeof startLab>>) {
  const admin = new SSOAdminClient({ ...common, endpoint: lab.url });
  const instanceArn = lab.services.identityCenter.defaultInstance().InstanceArn;
  const appArn = (await admin.send(new ListApplicationsCommand({ InstanceArn: instanceArn }))).Applications![0]!.ApplicationArn!;
  const { token } = await lab.mint('okta', { user: '00u1alice', claims: { aud: '0oa1b2c3d4e5f6g7h8i9' }, exp: '+10m' });
  const oidc = new SSOOIDCClient({ ...common, endpoint: lab.url });
  try {
    return await oidc.send(new CreateTokenWithIAMCommand({ clientId: appArn, grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: token }));
  } finally {
    oidc.destroy();
    admin.destroy();
  }
}

t.test('the tour exchanges after a restart on another port: the config\'s trusted token issuer follows the lab issuer, same ARN', async (t) => {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'tti-port-')), 'data');
  const [first, second] = await freePorts();
  let lab = await startLab({ config: EXAMPLE, dataDir, port: first });
  t.same(lab.notices, [], 'nothing to reconcile on a first start');
  t.ok((await exchangeAlice(lab)).accessToken, 'exchanged on the first port');
  const instanceArn = lab.services.identityCenter.defaultInstance().InstanceArn;
  const before = Object.values(lab.services.identityCenter.state.read.trustedTokenIssuers);
  await lab.close();

  lab = await startLab({ config: EXAMPLE, dataDir, port: second });
  t.teardown(() => lab.close());
  t.same(lab.notices, [
    `reconciled: trusted token issuer "okta" now trusts http://127.0.0.1:${second}/issuers/okta (was http://127.0.0.1:${first}/issuers/okta, saved when the lab listened at http://127.0.0.1:${first}); same ARN, its grants unchanged`,
  ]);
  const admin = new SSOAdminClient({ ...common, endpoint: lab.url });
  t.teardown(() => admin.destroy());
  const ttis = (await admin.send(new ListTrustedTokenIssuersCommand({ InstanceArn: instanceArn }))).TrustedTokenIssuers!;
  t.same(ttis.map((x) => x.TrustedTokenIssuerArn), before.map((x) => x.TrustedTokenIssuerArn), 'the same trusted token issuer, not a second one');
  const described = await admin.send(new DescribeTrustedTokenIssuerCommand({ TrustedTokenIssuerArn: ttis[0]!.TrustedTokenIssuerArn }));
  t.equal(described.TrustedTokenIssuerConfiguration?.OidcJwtConfiguration?.IssuerUrl, `http://127.0.0.1:${second}/issuers/okta`);
  t.ok((await exchangeAlice(lab)).accessToken, 'the tour\'s exchange passes on the second port');
});

t.test('a trusted token issuer made through the API for a lab issuer at the old port is left alone, with a warning saying the fix', async (t) => {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'tti-port-')), 'data');
  const [first, second] = await freePorts();
  const config = { issuers: [{ name: 'idp' }] };
  let lab = await startLab({ config, dataDir, port: first });
  const admin = new SSOAdminClient({ ...common, endpoint: lab.url });
  const made = await admin.send(new CreateTrustedTokenIssuerCommand({
    InstanceArn: lab.services.identityCenter.defaultInstance().InstanceArn,
    Name: 'mine',
    TrustedTokenIssuerType: 'OIDC_JWT',
    TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: lab.issuer('idp').url, ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
  }));
  admin.destroy();
  await lab.close();
  lab = await startLab({ config, dataDir, port: second });
  t.teardown(() => lab.close());
  t.same(lab.notices, [
    `warning: trusted token issuer "mine" (${made.TrustedTokenIssuerArn}) trusts http://127.0.0.1:${first}/issuers/idp, but the lab issuer "idp" is now at http://127.0.0.1:${second}/issuers/idp: ` +
      `its tokens are refused at issuer-trusted. Restart on 127.0.0.1:${first} (--port ${first}), or create a trusted token issuer for the new URL (IssuerUrl cannot be updated)`,
  ]);
  t.equal(lab.services.identityCenter.state.read.trustedTokenIssuers[made.TrustedTokenIssuerArn!]!.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl, `http://127.0.0.1:${first}/issuers/idp`, 'unchanged');
});
