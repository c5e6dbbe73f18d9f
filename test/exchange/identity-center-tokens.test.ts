import t from 'tap';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { decodeJwt } from 'jose';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { fixedClock, startLab } from '../../server/index.js';
import { DEFAULT_PROFILE } from '../../server/identity-center/profile/behaviour-profile.js';
import { ROLE_ARN, TIP_TRUST_POLICY, clients, labReason, startTipLab } from './helpers/tip-lab.js';

/**
 * What CreateTokenWithIAM's idToken and identity context look like, through the real SDK, against
 * the decoded idToken of the AWS Security Blog (2023-12-07): aws:application_arn, auth_time to the
 * second, aud shaped like an OAuth client id, an opaque aws:credential_id, and an identity context
 * that is standard base64 and opaque to the application that holds it.
 */
const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const dataDir = await mkdtemp(join(tmpdir(), 'tti-tokens-'));
t.teardown(() => rm(dataDir, { recursive: true, force: true }));
const tip = await startTipLab({ clock, inMemory: false, dataDir });
t.teardown(() => tip.lab.close());
const CONTEXT_PROVIDER = 'arn:aws:iam::aws:contextProvider/IdentityCenter';
const assumeWith = (sts: typeof tip.sts, context: string) =>
  sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'alice', ProvidedContexts: [{ ProviderArn: CONTEXT_PROVIDER, ContextAssertion: context }] }));
const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error & { $metadata: { httpStatusCode: number } });

const first = await tip.exchange({ assertion: await tip.mint() });
const claims = decodeJwt(first.idToken!);

t.test('the idToken carries the real claims, in the real shapes', async (t) => {
  t.equal(claims['aws:application_arn'], tip.applicationArn, 'aws:application_arn: the application that accepted the exchange');
  t.equal(claims.auth_time, '2026-06-01T12:00:00Z', 'auth_time without milliseconds, like 2023-11-10T08:00:08Z');
  const aud = Buffer.from(String(claims.aud), 'base64url');
  t.match(String(claims.aud), /^[A-Za-z0-9_-]+$/, 'aud is base64url');
  t.equal(aud.subarray(16).toString(), 'us-east-1', 'aud: 16 random bytes, then the region (like RegisterClient\'s clientId)');
  t.equal(String(claims.aud), aud.toString('base64url'), 'unpadded, canonical');
  t.match(String(claims['aws:credential_id']), /^[A-Za-z0-9_-]{32}$/, 'aws:credential_id: opaque');
  t.same(
    Object.keys(claims),
    ['aws:identity_store_id', 'sub', 'aws:instance_account', 'iss', 'sts:audit_context', 'sts:identity_context', 'aws:identity_store_arn', 'aud', 'aws:instance_arn', 'aws:credential_id', 'act', 'aws:application_arn', 'auth_time', 'exp', 'iat'],
    'the claims of the blog\'s decoded idToken, in its order',
  );
  t.match(tip.users.alice, new RegExp(`^${tip.identityStoreId.slice(2)}-`), 'sub: a UserId prefixed with the identity store id\'s characters');
});

t.test('aud is the application\'s, stable across exchanges; the credential id is per token set', async (t) => {
  const second = decodeJwt((await tip.exchange({ assertion: await tip.mint() })).idToken!);
  t.equal(second.aud, claims.aud, 'the same application: the same aud');
  t.not(second['aws:credential_id'], claims['aws:credential_id'], 'a new token set: a new credential id');
  t.equal(tip.lab.services.identityCenter.state.read.applications[tip.applicationArn]?.OAuthClientId, claims.aud, 'kept with the application in state');
});

t.test('the identity context is standard base64 and opaque to the application', async (t) => {
  const context = first.awsAdditionalDetails!.identityContext!;
  t.match(context, /^[A-Za-z0-9+/]+={0,2}$/, 'standard base64, as the real AQoJb3JpZ2luX2V… is');
  t.equal(context.length % 4, 0, 'padded');
  t.equal(claims['sts:identity_context'], context);
  const clear = Buffer.from(context, 'base64').toString('latin1');
  for (const secret of [tip.users.alice, tip.applicationArn, tip.instanceArn, 'alice']) t.notOk(clear.includes(secret), `${secret} is not readable in it`);
  const audit = String(claims['sts:audit_context']);
  t.match(audit, /^[A-Za-z0-9+/]+={0,2}$/, 'sts:audit_context: opaque standard base64 too');
  t.notOk(Buffer.from(audit, 'base64').toString('latin1').includes(tip.users.alice), 'the audit context does not show the user either');
  t.ok(await assumeWith(tip.sts, context), 'STS opens it');
});

t.test('STS refuses a changed, cut or foreign context with the profile\'s invalid-context answer', async (t) => {
  const expected = DEFAULT_PROFILE.sts_failures['context.assertion_invalid']!;
  const context = first.awsAdditionalDetails!.identityContext!;
  const bytes = Buffer.from(context, 'base64');
  const flipped = Buffer.from(bytes);
  flipped[Math.floor(bytes.length / 2)]! ^= 0x01;
  const other = await startTipLab({ clock });
  t.teardown(() => other.lab.close());
  const foreign = (await other.exchange({ assertion: await other.mint() })).awsAdditionalDetails!.identityContext!;
  for (const [what, bad] of [
    ['a flipped bit', flipped.toString('base64')],
    ['cut by one byte', bytes.subarray(0, -1).toString('base64')],
    ['another lab\'s context (another secret)', foreign],
    ['the old readable form', `ttic1.${Buffer.from('{}').toString('base64url')}.x`],
  ] as const) {
    const err = await refusal(assumeWith(tip.sts, bad));
    // Wire code InvalidContextAssertion (the profile's); the SDK throws its modelled InvalidContextAssertionException.
    t.equal(err?.name, `${expected.code}Exception`, what);
    t.equal(err?.$metadata.httpStatusCode, expected.status, `${what}: status`);
    t.match(labReason(err), /not an identity context sealed by this lab/, `${what}: the reason`);
  }
});

t.test('the sealing secret appears in no response or log', async (t) => {
  const secret = Buffer.from((await readFile(join(dataDir, 'keys', 'identity-context.secret'), 'utf8')).trim(), 'base64url');
  t.equal(secret.length, 32);
  const seen = [
    JSON.stringify(first),
    JSON.stringify(claims),
    await (await fetch(`${tip.lab.url}/_lab/exchanges`)).text(),
    await (await fetch(`${tip.lab.url}/_lab/requests`)).text(),
    await (await fetch(`${tip.lab.url}/_lab/behaviour-profile`)).text(),
  ].join('\n');
  for (const form of ['base64url', 'base64', 'hex'] as const) t.notOk(seen.includes(secret.toString(form)), `not as ${form}`);
});

t.test('after a restart, the sealed context still opens and the application keeps its aud', async (t) => {
  await tip.lab.close();
  const again = await startLab({ clock, dataDir, config: { aws: { roles: [{ arn: ROLE_ARN, trust_policy: TIP_TRUST_POLICY }] } } });
  t.teardown(() => again.close());
  const c = clients(again.url, clock);
  t.ok((await assumeWith(c.sts, first.awsAdditionalDetails!.identityContext!)).Credentials, 'the context secret persists in the data dir');
  t.equal(again.services.identityCenter.state.read.applications[tip.applicationArn]?.OAuthClientId, claims.aud);
});
