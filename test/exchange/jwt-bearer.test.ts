import t from 'tap';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { fixedClock } from '../../server/index.js';
import { ALICE, CLIENT_ID, JWT_BEARER, labReason, startTipLab } from './helpers/tip-lab.js';

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const tip = await startTipLab({ clock });
t.teardown(() => tip.lab.close());

t.test('a valid ID token is exchanged for Identity Center tokens shaped like the real ones', async (t) => {
  const res = await tip.exchange({ assertion: await tip.mint() });
  t.equal(res.tokenType, 'Bearer');
  t.equal(res.expiresIn, 3600);
  t.equal(res.issuedTokenType, 'urn:ietf:params:oauth:token-type:refresh_token');
  t.same(res.scope, ['s3:access_grants:read_write', 'openid', 'aws', 'sts:identity_context']);
  t.match(res.accessToken, /^aoa[\w-]{20,}$/, 'opaque access token');
  t.match(res.refreshToken, /^aor[\w-]{20,}$/, 'opaque refresh token');
  const claims = decodeJwt(res.idToken!);
  const instanceId = tip.instanceArn.split('/').pop();
  t.equal(claims.iss, `https://identitycenter.amazonaws.com/${instanceId}`);
  t.equal(claims.sub, tip.users.alice, 'sub is the Identity Store user id');
  t.equal(claims['aws:identity_store_id'], tip.identityStoreId);
  t.equal(claims['aws:instance_arn'], tip.instanceArn);
  t.equal(claims['aws:instance_account'], '000000000000');
  t.same(claims.act, { sub: tip.ttiArn }, 'act.sub names the trusted token issuer that vouched');
  t.equal(claims.auth_time, '2026-06-01T12:00:00Z', 'auth_time is an ISO-8601 string to the second, as the real idToken has it');
  t.equal(claims.iat, Date.parse('2026-06-01T12:00:00Z') / 1000);
  t.equal(claims['sts:identity_context'], res.awsAdditionalDetails?.identityContext, 'identityContext = the sts:identity_context claim');
  t.type(claims.aud, 'string');
  t.notMatch(String(claims.aud), /^arn:/, 'aud is opaque, not an ARN');
  const jwks = createRemoteJWKSet(new URL(`${tip.lab.url}/identity-center/${instanceId}/jwks`));
  const { payload } = await jwtVerify(res.idToken!, jwks, { issuer: claims.iss!, currentDate: new Date(clock.now()) });
  t.equal(payload.sub, tip.users.alice, 'the idToken verifies against the instance JWKS');
  const discovery = (await (await fetch(`${tip.lab.url}/identity-center/${instanceId}/.well-known/openid-configuration`)).json()) as { issuer: string };
  t.equal(discovery.issuer, claims.iss, 'instance discovery names the same issuer');
});

t.test('aud may be an array: one matching value is enough', async (t) => {
  const res = await tip.exchange({ assertion: await tip.mint({ claims: { aud: ['api://default', CLIENT_ID] } }) });
  t.ok(res.accessToken);
});

t.test('requested scopes are granted when the application has them', async (t) => {
  const res = await tip.exchange({ assertion: await tip.mint(), scope: ['openid', 's3:access_grants:read_write'] });
  t.same(res.scope, ['openid', 's3:access_grants:read_write']);
});

t.test('every attempt is in the exchange log with its trace, over HTTP and in-process', async (t) => {
  const err = await tip.exchange({ assertion: await tip.mint({ claims: { aud: 'someone-else' } }) }).catch((e: unknown) => e);
  const id = (err as { $response: { headers: Record<string, string> } }).$response.headers['x-tti-lab-exchange'];
  const last = tip.lab.exchanges().find((e) => e.id === id)!;
  t.ok(last, 'the response names its exchange log entry');
  t.equal(last.outcome, 'failure');
  t.equal(last.grantType, JWT_BEARER);
  t.equal(last.failure?.step, 'audience-authorized');
  t.equal(last.failure?.key, 'aud.mismatch');
  t.same(
    last.trace.map((s) => `${s.step}:${s.verdict}`),
    [
      'client-is-application:pass', 'caller-allowed-by-actor-policy:pass', 'grant-type-configured:pass', 'assertion-well-formed:pass',
      'issuer-trusted:pass', 'issuer-keys-fetched:pass', 'signature-valid:pass', 'token-times-valid:pass', 'audience-authorized:fail',
      'required-claims-present:skip', 'user-resolved:skip', 'user-assigned:skip', 'assertion-not-replayed:skip', 'scopes-allowed:skip', 'tokens-issued:skip',
    ],
  );
  const audStep = last.trace.find((s) => s.step === 'audience-authorized')!;
  t.same(audStep.facts?.tokenAud, 'someone-else');
  t.same(audStep.facts?.authorizedAudiences, [CLIENT_ID]);
  const overHttp = (await (await fetch(`${tip.lab.url}/_lab/exchanges/${last.id}`)).json()) as { id: string };
  t.equal(overHttp.id, last.id);
  const listed = async (query: string) => ((await (await fetch(`${tip.lab.url}/_lab/exchanges${query}`)).json()) as { exchanges: { id: string }[] }).exchanges;
  t.same((await listed('?limit=1')).map((e) => e.id), [last.id], 'limit=1: the newest');
  t.same(await listed('?limit=0'), [], 'limit=0: none');
  t.same(tip.lab.exchanges({ limit: 0 }), [], 'limit 0 in-process: none');
  t.ok(tip.lab.exchanges().length > 1, 'no limit: all of them');
});
