import t from 'tap';

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];
import { CreateApplicationAssignmentCommand, PutApplicationAssignmentConfigurationCommand, CreateApplicationCommand, PutApplicationGrantCommand } from '@aws-sdk/client-sso-admin';
import { SSOOIDCClient, CreateTokenWithIAMCommand } from '@aws-sdk/client-sso-oidc';
import { CreateUserCommand } from '@aws-sdk/client-identitystore';
import { fixedClock } from '../../server/index.js';
import { CLIENT_ID, JWT_BEARER, labReason, startTipLab } from './helpers/tip-lab.js';
import { onLabClock } from './helpers/tip-lab.js';

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const OTHER = { access_key_id: 'AKIAOTHER0000000', secret_access_key: 'other-secret', arn: 'arn:aws:iam::111122223333:role/Other' };
const tip = await startTipLab({ clock, config: { aws: { principals: [OTHER], roles: [] } } });
t.teardown(() => tip.lab.close());

/** Expects the exchange to fail with exactly this wire answer, at this step. */
async function refused(t: TapTest, input: Parameters<typeof tip.exchange>[0], expected: { name: string; status: number; step: string; description?: string }) {
  const err = await tip.exchange(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err, 'refused');
  const e = err as { name: string; $metadata: { httpStatusCode: number }; $response?: { headers: Record<string, string>; body?: unknown } };
  t.equal(e.name, expected.name, 'exception');
  t.equal(e.$metadata.httpStatusCode, expected.status, 'status');
  if (expected.description) t.equal((err as { error_description?: string }).error_description, expected.description, 'the wire error_description');
  t.match(labReason(err), new RegExp(`^${expected.step}: `), `failed at ${expected.step}`);
  return labReason(err);
}

/** What the real service answers an invalid grant: the captured text (aws-cli #5058, aws-sso-cli #453). */
const INVALID_GRANT = { name: 'InvalidGrantException', status: 400, description: 'Invalid grant provided' } as const;

t.test('known-bad tokens never pass', async (t) => {
  t.test('unsigned (alg none)', async (t) => {
    await refused(t, { assertion: await tip.mint({ variant: 'alg_none' }) }, { ...INVALID_GRANT, step: 'assertion-well-formed' });
  });
  t.test('HS256 signed with the public key (key confusion)', async (t) => {
    const why = await refused(t, { assertion: await tip.mint({ variant: 'hs256_public_key' }) }, { ...INVALID_GRANT, step: 'assertion-well-formed' });
    t.match(why, /HMAC/);
  });
  t.test('signed by a key not in the JWKS', async (t) => {
    await refused(t, { assertion: await tip.mint({ variant: 'unknown_key' }) }, { ...INVALID_GRANT, step: 'issuer-keys-fetched' });
  });
  t.test('wrong key under the right kid', async (t) => {
    const kid = (await tip.lab.issuer('okta').keys())[0]!.kid;
    await refused(t, { assertion: await tip.mint({ variant: 'unknown_key', header: { kid } }) }, { ...INVALID_GRANT, step: 'signature-valid' });
  });
  t.test('tampered payload', async (t) => {
    await refused(t, { assertion: await tip.mint({ variant: 'tampered', tamper: { email: 'bob@example.com' } }) }, { ...INVALID_GRANT, step: 'signature-valid' });
  });
  t.test('expired', async (t) => {
    const why = await refused(t, { assertion: await tip.mint({ iat: '-2h', exp: '-1h' }) }, { ...INVALID_GRANT, step: 'token-times-valid' });
    t.match(why, /expired at 2026-06-01T11:00:00.000Z/);
  });
  t.test('expired but within the 60 s skew passes', async (t) => {
    const res = await tip.exchange({ assertion: await tip.mint({ exp: '-30s' }) });
    t.ok(res.accessToken);
  });
  t.test('nbf in the future', async (t) => {
    await refused(t, { assertion: await tip.mint({ nbf: '+10m' }) }, { ...INVALID_GRANT, step: 'token-times-valid' });
  });
  t.test('iat in the future', async (t) => {
    await refused(t, { assertion: await tip.mint({ iat: '+10m' }) }, { ...INVALID_GRANT, step: 'token-times-valid' });
  });
  t.test('no exp', async (t) => {
    await refused(t, { assertion: await tip.mint({ exp: null }) }, { ...INVALID_GRANT, step: 'token-times-valid' });
  });
  t.test('wrong issuer', async (t) => {
    await refused(t, { assertion: await tip.mint({ claims: { iss: 'https://evil.example.com' } }) }, { ...INVALID_GRANT, step: 'issuer-trusted' });
  });
  t.test('issuer with a trailing slash', async (t) => {
    const why = await refused(t, { assertion: await tip.mint({ claims: { iss: `${tip.lab.issuer('okta').url}/` } }) }, { ...INVALID_GRANT, step: 'issuer-trusted' });
    t.match(why, /trailing slash/);
  });
  t.test('wrong audience', async (t) => {
    const why = await refused(t, { assertion: await tip.mint({ claims: { aud: 'api://default' } }) }, { ...INVALID_GRANT, step: 'audience-authorized' });
    t.match(why, /access token/, 'explains that an API audience suggests an access token');
    t.match(why, /Fix: exchange your application's ID token instead: this token's aud "api:\/\/default" names an API, not your client id; .* Only if this token really is meant for your application: add "api:\/\/default" to AuthorizedAudiences/, 'the fix leads with the ID token');
  });
  t.test('audience differing in case', async (t) => {
    const why = await refused(t, { assertion: await tip.mint({ claims: { aud: CLIENT_ID.toUpperCase() } }) }, { ...INVALID_GRANT, step: 'audience-authorized' });
    t.match(why, /letter case/);
  });
  t.test('no aud', async (t) => {
    await refused(t, { assertion: await tip.mint({ claims: { aud: null } }) }, { ...INVALID_GRANT, step: 'audience-authorized' });
  });
  t.test('empty aud array', async (t) => {
    await refused(t, { assertion: await tip.mint({ claims: { aud: [] } }) }, { ...INVALID_GRANT, step: 'audience-authorized' });
  });
  t.test('numeric aud', async (t) => {
    await refused(t, { assertion: await tip.mint({ claims: { aud: 42 } }) }, { ...INVALID_GRANT, step: 'audience-authorized' });
  });
  t.test('no sub: the blog requires it (required_claims)', async (t) => {
    const why = await refused(t, { assertion: await tip.mint({ claims: { sub: null } }) }, { ...INVALID_GRANT, step: 'required-claims-present' });
    t.match(why, /^required-claims-present: the assertion has no sub claim; the behaviour profile's required_claims \(iss, sub, aud\) lists it\. Fix: .*subject identifier in sub/);
    t.equal(tip.lab.exchanges().at(-1)?.failure?.key, 'sub.missing');
  });
  t.test('an empty sub is no sub', async (t) => {
    await refused(t, { assertion: await tip.mint({ claims: { sub: '' } }) }, { ...INVALID_GRANT, step: 'required-claims-present' });
  });
  t.test('replayed', async (t) => {
    const assertion = await tip.mint();
    await tip.exchange({ assertion });
    await refused(t, { assertion }, { ...INVALID_GRANT, step: 'assertion-not-replayed' });
  });
  t.test('not a JWT', async (t) => {
    await refused(t, { assertion: 'not.a-jwt' }, { ...INVALID_GRANT, step: 'assertion-well-formed' });
    await refused(t, { assertion: 'a.b.c.d.e' }, { ...INVALID_GRANT, step: 'assertion-well-formed' });
  });
  t.test('an Identity Center idToken presented back', async (t) => {
    const res = await tip.exchange({ assertion: await tip.mint() });
    const why = await refused(t, { assertion: res.idToken! }, { ...INVALID_GRANT, step: 'issuer-trusted' });
    t.match(why, /Identity Center cannot be its own trusted token issuer/);
  });
});

t.test('user mapping', async (t) => {
  t.test('claim missing', async (t) => {
    await refused(t, { assertion: await tip.mint({ claims: { email: null } }) }, { ...INVALID_GRANT, step: 'user-resolved' });
  });
  t.test('no such user', async (t) => {
    await refused(t, { assertion: await tip.mint({ claims: { email: 'nobody@example.com' } }) }, { ...INVALID_GRANT, step: 'user-resolved' });
  });
  t.test('value differs in case (exact match)', async (t) => {
    await refused(t, { assertion: await tip.mint({ claims: { email: 'ALICE@example.com' } }) }, { ...INVALID_GRANT, step: 'user-resolved' });
  });
  t.test('two users with the same email', async (t) => {
    await tip.identityStore.send(new CreateUserCommand({ IdentityStoreId: tip.identityStoreId, UserName: 'carol1', DisplayName: 'C', Name: { GivenName: 'C', FamilyName: 'One' }, Emails: [{ Value: 'carol@example.com' }] }));
    await tip.identityStore.send(new CreateUserCommand({ IdentityStoreId: tip.identityStoreId, UserName: 'carol2', DisplayName: 'C', Name: { GivenName: 'C', FamilyName: 'Two' }, Emails: [{ Value: 'carol@example.com' }] }));
    await refused(t, { assertion: await tip.mint({ claims: { email: 'carol@example.com' } }) }, { ...INVALID_GRANT, step: 'user-resolved' });
  });
});

t.test('assignment', async (t) => {
  const bob = { email: 'bob@example.com', sub: '00u2bob' };
  await refused(t, { assertion: await tip.mint({ claims: bob }) }, { name: 'AccessDeniedException', status: 400, step: 'user-assigned' });
  await tip.ssoAdmin.send(new PutApplicationAssignmentConfigurationCommand({ ApplicationArn: tip.applicationArn, AssignmentRequired: false }));
  t.ok((await tip.exchange({ assertion: await tip.mint({ claims: bob }) })).accessToken, 'passes once assignment is not required');
  await tip.ssoAdmin.send(new PutApplicationAssignmentConfigurationCommand({ ApplicationArn: tip.applicationArn, AssignmentRequired: true }));
  await tip.ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: tip.applicationArn, PrincipalId: tip.users.bob, PrincipalType: 'USER' }));
  t.ok((await tip.exchange({ assertion: await tip.mint({ claims: bob }) })).accessToken, 'passes once assigned');
});

t.test('scopes', async (t) => {
  await refused(t, { assertion: await tip.mint(), scope: ['redshift:connect'] }, { name: 'InvalidScopeException', status: 400, step: 'scopes-allowed' });
});

t.test('client and grant', async (t) => {
  await refused(t, { clientId: 'not-an-arn', assertion: await tip.mint() }, { name: 'InvalidClientException', status: 401, step: 'client-is-application' });
  const unknown = tip.applicationArn.replace(/apl-\w+$/, 'apl-0000000000000000');
  await refused(t, { clientId: unknown, assertion: await tip.mint() }, { name: 'InvalidClientException', status: 401, step: 'client-is-application' });
  await refused(t, { grantType: 'password', assertion: await tip.mint() }, { name: 'UnsupportedGrantTypeException', status: 400, step: 'grant-type-configured' });
  await refused(t, { grantType: 'authorization_code', code: 'x' }, { name: 'UnauthorizedClientException', status: 400, step: 'grant-type-configured' });
  await refused(t, { assertion: undefined }, { name: 'InvalidRequestException', status: 400, step: 'assertion-well-formed' });
});

t.test('an application without an IAM authentication method denies everyone', async (t) => {
  const { ApplicationArn } = await tip.ssoAdmin.send(new CreateApplicationCommand({ InstanceArn: tip.instanceArn, ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom', Name: 'no-auth' }));
  await tip.ssoAdmin.send(new PutApplicationGrantCommand({ ApplicationArn, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: tip.ttiArn, AuthorizedAudiences: [CLIENT_ID] }] } } }));
  await refused(t, { clientId: ApplicationArn, assertion: await tip.mint() }, { name: 'AccessDeniedException', status: 400, step: 'caller-allowed-by-actor-policy' });
});

t.test('a caller the ActorPolicy does not name is denied', async (t) => {
  const other = onLabClock(new SSOOIDCClient({ endpoint: tip.lab.url, region: 'us-east-1', credentials: { accessKeyId: OTHER.access_key_id, secretAccessKey: OTHER.secret_access_key } }), clock);
  const err = await other.send(new CreateTokenWithIAMCommand({ clientId: tip.applicationArn, grantType: JWT_BEARER, assertion: await tip.mint() })).catch((e: unknown) => e);
  t.equal((err as Error).name, 'AccessDeniedException');
  t.match(labReason(err), /^caller-allowed-by-actor-policy: .*arn:aws:iam::111122223333:role\/Other/);
});

t.test('an unsigned or wrongly signed call is refused before the pipeline', async (t) => {
  const wrong = onLabClock(new SSOOIDCClient({ endpoint: tip.lab.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'not-test' } }), clock);
  const err = await wrong.send(new CreateTokenWithIAMCommand({ clientId: tip.applicationArn, grantType: JWT_BEARER, assertion: await tip.mint() })).catch((e: unknown) => e);
  t.equal((err as Error).name, 'AccessDeniedException');
  t.match(labReason(err), /^request: .*signature/);
});

t.test('the wire body follows the captured shape', async (t) => {
  const res = await fetch(`${tip.lab.url}/token?aws_iam=t`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  t.equal(res.status, 400);
  t.match(res.headers.get('x-amzn-errortype'), /^AccessDeniedException:http:\/\/internal\.amazon\.com\/coral\/com\.amazonaws\.sso\.oidc\/$/);
  t.ok(res.headers.get('x-amzn-requestid'));
  t.same(await res.json(), { error: 'access_denied', error_description: 'Access denied' }, 'no message, no __type; a description, as every real SSO OIDC error has');
});

t.test('no jti, uti instead (an Entra ID token\'s shape) passes by default: jti is not in required_claims', async (t) => {
  const res = await tip.exchange({ assertion: await tip.mint({ claims: { jti: null, uti: 'AbCdEf0123456789' } }) });
  t.ok(res.accessToken);
  t.match(tip.lab.exchanges().at(-1)?.trace.find((s) => s.step === 'required-claims-present'), { verdict: 'pass', reason: 'carries iss, sub, aud' });
});

t.test('the clock is the injected one', async (t) => {
  const assertion = await tip.mint({ exp: '+5m' });
  clock.advance(10 * 60 * 1000);
  await refused(t, { assertion }, { ...INVALID_GRANT, step: 'token-times-valid' });
  clock.advance(-10 * 60 * 1000);
});
