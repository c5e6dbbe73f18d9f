import t from 'tap';
import {
  CreateApplicationCommand,
  CreateInstanceCommand,
  CreateTrustedTokenIssuerCommand,
  ListApplicationsCommand,
  ListTrustedTokenIssuersCommand,
  SSOAdminClient,
  type CreateTrustedTokenIssuerCommandInput,
} from '@aws-sdk/client-sso-admin';
import { fixedClock } from '../../shared/clock.js';
import { CUSTOM_PROVIDER, DEFAULT_CREDENTIALS, OTHER_CREDENTIALS, adminClient, oneValidationError, rejects, snapshot, startSsoAdminLab } from './helpers/sso-admin-lab.js';

// Frozen near real time (SigV4 is checked against the lab's clock); moved on to expire tokens.
const clock = fixedClock(Date.now());
const { lab, ic, sso, instanceArn } = await startSsoAdminLab({ clock });
t.teardown(() => lab.close());

const appNames = async () => ((await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn }))).Applications ?? []).map((a) => a.Name);
const ttiInput = (ClientToken: string, IssuerUrl = 'https://idp.example.com'): CreateTrustedTokenIssuerCommandInput => ({
  InstanceArn: instanceArn,
  Name: 'idp',
  TrustedTokenIssuerType: 'OIDC_JWT',
  TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl, ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
  ClientToken,
});

t.test('CreateApplication: the same ClientToken and input give the same application, made once', async (t) => {
  const input = { InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'once', ClientToken: 'token-app-1' };
  const first = await sso.send(new CreateApplicationCommand(input));
  const again = await sso.send(new CreateApplicationCommand(input));
  t.equal(again.ApplicationArn, first.ApplicationArn);
  t.equal(again.IdentityStoreArn, first.IdentityStoreArn);
  t.strictSame((await appNames()).filter((n) => n === 'once'), ['once'], 'one application');

  const before = snapshot(ic);
  await rejects(t, sso.send(new CreateApplicationCommand({ ...input, Name: 'different' })), {
    name: 'ConflictException',
    status: 409,
    message: 'The ClientToken token-app-1 was already used with different parameters',
  });
  t.equal(snapshot(ic), before, 'nothing created, nothing remembered');

  const theirs = await adminClient(lab, OTHER_CREDENTIALS).send(new CreateApplicationCommand(input));
  t.not(theirs.ApplicationArn, first.ApplicationArn, "another account's token is its own");
  t.strictSame((await appNames()).filter((n) => n === 'once'), ['once', 'once']);
});

t.test('CreateTrustedTokenIssuer: a retry replays the result instead of tripping over the IssuerUrl conflict', async (t) => {
  const first = await sso.send(new CreateTrustedTokenIssuerCommand(ttiInput('token-tti-1')));
  const again = await sso.send(new CreateTrustedTokenIssuerCommand(ttiInput('token-tti-1')));
  t.equal(again.TrustedTokenIssuerArn, first.TrustedTokenIssuerArn);
  t.equal((await sso.send(new ListTrustedTokenIssuersCommand({ InstanceArn: instanceArn }))).TrustedTokenIssuers?.length, 1);
  await rejects(t, sso.send(new CreateTrustedTokenIssuerCommand(ttiInput('token-tti-2'))), {
    name: 'ConflictException',
    status: 409,
    message: `A trusted token issuer with IssuerUrl https://idp.example.com already exists in instance ${instanceArn}: ${first.TrustedTokenIssuerArn}`,
  });
  await rejects(t, sso.send(new CreateTrustedTokenIssuerCommand(ttiInput('token-tti-1', 'https://other.example.com'))), {
    name: 'ConflictException',
    status: 409,
    message: 'The ClientToken token-tti-1 was already used with different parameters',
  });
  // A token is per operation: the same string on CreateApplication is a new token.
  const app = await sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'tti-token-reuse', ClientToken: 'token-tti-1' }));
  t.match(app.ApplicationArn, /:application\//);
});

t.test('CreateInstance: a retry returns the instance it made, not "already has an instance"', async (t) => {
  const first = await sso.send(new CreateInstanceCommand({ Name: 'mine', ClientToken: 'token-instance-1' }));
  const again = await sso.send(new CreateInstanceCommand({ Name: 'mine', ClientToken: 'token-instance-1' }));
  t.equal(again.InstanceArn, first.InstanceArn);
  await rejects(t, sso.send(new CreateInstanceCommand({ Name: 'renamed', ClientToken: 'token-instance-1' })), {
    name: 'ConflictException',
    status: 409,
    message: 'The ClientToken token-instance-1 was already used with different parameters',
  });
  t.equal(Object.values(ic.state.read.instances).filter((i) => i.InstanceType === 'ACCOUNT' && i.OwnerAccountId === '000000000000').length, 1);
});

t.test('calls without a ClientToken each create (the SDK fills one in for every call)', async (t) => {
  await sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'twice' }));
  await sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'twice' }));
  t.equal((await appNames()).filter((n) => n === 'twice').length, 2);
});

t.test('ClientToken constraints', async (t) => {
  await rejects(
    t,
    sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'x', ClientToken: 'has space' })),
    oneValidationError("Value 'has space' at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [!-~]+"),
  );
  await rejects(
    t,
    sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'x', ClientToken: 't'.repeat(65) })),
    oneValidationError(`Value '${'t'.repeat(65)}' at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 64`),
  );
});

t.test('a ClientToken is remembered for 24 hours, then forgotten', async (t) => {
  const input = { InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'daily', ClientToken: 'token-daily' };
  const first = await sso.send(new CreateApplicationCommand(input));
  clock.advance(24 * 3600 * 1000 + 1000);
  // The client signs with a clock moved on by as much as the lab's.
  const later = new SSOAdminClient({ endpoint: lab.url, region: 'us-east-1', credentials: DEFAULT_CREDENTIALS, maxAttempts: 1, systemClockOffset: clock.now() - Date.now() });
  const next = await later.send(new CreateApplicationCommand(input));
  t.not(next.ApplicationArn, first.ApplicationArn, 'a new application');
  t.notOk(Object.keys(ic.state.read.clientTokens).some((k) => k.endsWith('/token-app-1')), 'expired tokens were dropped from the state');
});
