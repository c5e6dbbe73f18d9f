import t from 'tap';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApplicationAssignmentCommand,
  CreateApplicationCommand,
  CreateTrustedTokenIssuerCommand,
  DeleteApplicationAccessScopeCommand,
  DeleteApplicationGrantCommand,
  DeleteInstanceCommand,
  PutApplicationAccessScopeCommand,
  PutApplicationAuthenticationMethodCommand,
  PutApplicationGrantCommand,
  TagResourceCommand,
  UpdateApplicationCommand,
  UpdateTrustedTokenIssuerCommand,
} from '@aws-sdk/client-sso-admin';
import { CUSTOM_PROVIDER, JWT_BEARER, snapshot, startSsoAdminLab } from './helpers/sso-admin-lab.js';

/**
 * A refused call changes nothing: not the state in memory, not the state file. Validation runs
 * before any change, and the checks that need the state run inside the one atomic change, which a
 * throw abandons.
 */
const dataDir = await mkdtemp(join(tmpdir(), 'tti-lab-sso-admin-'));
t.teardown(() => rm(dataDir, { recursive: true, force: true }));
const { lab, ic, sso, instanceArn } = await startSsoAdminLab({ dataDir });
t.teardown(() => lab.close());
const stateDir = join(dataDir, 'state');
/** Every file of the state (snapshot and journal), by name. */
const stateFiles = async () => Object.fromEntries(await Promise.all((await readdir(stateDir)).sort().map(async (n) => [n, await readFile(join(stateDir, n), 'utf8')] as const)));

const { TrustedTokenIssuerArn } = await sso.send(
  new CreateTrustedTokenIssuerCommand({
    InstanceArn: instanceArn,
    Name: 'idp',
    TrustedTokenIssuerType: 'OIDC_JWT',
    TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: 'https://idp.example.com', ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
  }),
);
const { ApplicationArn } = await sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM_PROVIDER, Name: 'app' }));
await sso.send(new PutApplicationGrantCommand({ ApplicationArn, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn, AuthorizedAudiences: ['aud'] }] } } }));
const missingTti = TrustedTokenIssuerArn!.replace(/tti-[0-9a-f-]+$/, 'tti-00000000-0000-0000-0000-000000000000');

const failing: [string, () => Promise<unknown>][] = [
  ['grant naming an unknown issuer', () => sso.send(new PutApplicationGrantCommand({ ApplicationArn, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn, AuthorizedAudiences: ['new'] }, { TrustedTokenIssuerArn: missingTti, AuthorizedAudiences: ['x'] }] } } }))],
  ['grant of the wrong union member', () => sso.send(new PutApplicationGrantCommand({ ApplicationArn, GrantType: 'refresh_token', Grant: { TokenExchange: {} } }))],
  ['deleting a grant that is not there', () => sso.send(new DeleteApplicationGrantCommand({ ApplicationArn, GrantType: 'authorization_code' }))],
  ['duplicate IssuerUrl', () => sso.send(new CreateTrustedTokenIssuerCommand({ InstanceArn: instanceArn, Name: 'dup', TrustedTokenIssuerType: 'OIDC_JWT', TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: 'https://idp.example.com', ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } } }))],
  ['update with one bad member', () => sso.send(new UpdateTrustedTokenIssuerCommand({ TrustedTokenIssuerArn, Name: 'fine', TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { ClaimAttributePath: '1bad' } } }))],
  ['application update with a bad status', () => sso.send(new UpdateApplicationCommand({ ApplicationArn, Name: 'renamed', Status: 'OFF' as never }))],
  ['assignment of an unknown user', () => sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalType: 'USER', PrincipalId: '0123456789-01234567-89ab-cdef-0123-456789abcdef' }))],
  ['authentication method without a policy', () => sso.send(new PutApplicationAuthenticationMethodCommand({ ApplicationArn, AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: {} as never } }))],
  ['access scope with a bad target', () => sso.send(new PutApplicationAccessScopeCommand({ ApplicationArn, Scope: 'ok', AuthorizedTargets: ['nope'] }))],
  ['deleting an access scope that is not there', () => sso.send(new DeleteApplicationAccessScopeCommand({ ApplicationArn, Scope: 'absent' }))],
  ['application with an unknown provider', () => sso.send(new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/unknown', Name: 'x' }))],
  ['tags with a duplicate key', () => sso.send(new TagResourceCommand({ ResourceArn: ApplicationArn, Tags: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] }))],
  ['deleting the organization instance', () => sso.send(new DeleteInstanceCommand({ InstanceArn: instanceArn }))],
];

t.test('refused calls leave the state, in memory and on disk, exactly as it was', async (t) => {
  await ic.state.flush();
  const memory = snapshot(ic);
  const files = await stateFiles();
  for (const [what, call] of failing) {
    await t.rejects(call(), what);
    t.equal(snapshot(ic), memory, `${what}: state unchanged`);
  }
  await ic.state.flush();
  t.same(await stateFiles(), files, 'state files (snapshot and journal) unchanged');
});
