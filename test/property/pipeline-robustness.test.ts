import t from 'tap';
import fc from 'fast-check';
import { CLIENT_ID, JWT_BEARER } from '../exchange/helpers/tip-lab.js';
import { definedOutcome, startPropertyLab } from './helpers/property-lab.js';

/**
 * Properties: random claim sets (signed with the issuer's real key, so they reach every step),
 * random CreateTokenWithIAM bodies and random awsJson bodies never crash the lab: every answer is
 * a success or a defined error of its protocol, never a 5xx, and the lab answers the next request.
 * A hang would stop the run (tap's timeout); nothing here measures time.
 *
 * Bounded and reproducible: fixed seeds, fixed numbers of runs (docs/reliability.md records them).
 */
const SEED = 20261126;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

const pl = await startPropertyLab();
t.teardown(() => pl.tip.lab.close());
const issuer = pl.tip.lab.issuer('okta').url;
const [active] = await pl.tip.lab.issuer('okta').keys();
const now = Math.floor(Date.now() / 1000);
const state = () => JSON.stringify(pl.tip.lab.services.identityCenter.state.read);

/** A JSON value with the odd strings that break parsers: lone surrogates, NUL, RTL, huge. */
const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\ud800', '\udc00x', 'a\u0000b', '\u202eevil', '', ' ', '__proto__', 'constructor', 'x'.repeat(5000)),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, oddString, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(oddString, tie('value'), { maxKeys: 4 })),
})).value;

/** Mostly the right value (so runs get deep into the pipeline), else absent or any JSON value. */
const claim = <T>(right: T) =>
  fc.oneof({ weight: 14, arbitrary: fc.constant(right) }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: json });
const claims = fc.record({
  iss: claim(issuer),
  aud: fc.oneof({ weight: 12, arbitrary: fc.constant(CLIENT_ID) }, { weight: 2, arbitrary: fc.constant([CLIENT_ID, 'other']) }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 5, arbitrary: json }),
  email: fc.oneof({ weight: 10, arbitrary: fc.constant('alice@example.com') }, { weight: 3, arbitrary: fc.constant('bob@example.com') }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: json }),
  sub: claim('00u1alice'),
  exp: fc.oneof({ weight: 12, arbitrary: fc.constant(now + 600) }, { weight: 2, arbitrary: fc.integer({ min: -1e12, max: 1e12 }) }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: json }),
  nbf: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: fc.constant(now - 10) }, { weight: 2, arbitrary: fc.integer() }, { weight: 2, arbitrary: json }),
  iat: claim(now),
  jti: fc.oneof({ weight: 14, arbitrary: fc.uuid() }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: json }),
  extra: fc.dictionary(oddString, json, { maxKeys: 3 }),
});
const header = fc.record({
  alg: fc.oneof({ weight: 16, arbitrary: fc.constant('RS256') }, { weight: 2, arbitrary: fc.constantFrom('none', 'HS256', 'ES256', 'PS256', 'RS512') }, { weight: 2, arbitrary: json }),
  kid: fc.oneof({ weight: 16, arbitrary: fc.constant(active!.kid) }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: json }),
  typ: fc.oneof({ weight: 10, arbitrary: fc.constant('JWT') }, { weight: 8, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: json }),
  crit: fc.oneof({ weight: 19, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: json }),
});

t.test('random claim sets and headers, signed with the issuer key: a success or a defined error', async (t) => {
  const outcomes = new Map<string, number>();
  const before = state();
  await fc.assert(
    fc.asyncProperty(header, claims, async (hdr, c) => {
      const { extra, ...standard } = c;
      const payload = { ...extra, ...Object.fromEntries(Object.entries(standard).filter(([, v]) => v !== undefined)) };
      const hdrObj = Object.fromEntries(Object.entries(hdr).filter(([, v]) => v !== undefined));
      const assertion = await pl.signJwt(JSON.stringify(hdrObj), JSON.stringify(payload));
      const a = await pl.createTokenWithIam({ clientId: pl.tip.applicationArn, grantType: JWT_BEARER, assertion });
      const key = a.status === 200 ? 'success' : (a.step ?? '?');
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      const problems = definedOutcome(a);
      if (problems.length) throw new Error(`${problems.join('; ')} for header ${JSON.stringify(hdrObj)} payload ${JSON.stringify(payload).slice(0, 300)}`);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  t.equal(state(), before, 'the Identity Center state is unchanged');
  t.pass(`${RUNS} runs; outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
});

t.test('random CreateTokenWithIAM bodies: a defined error (or a success), never a 5xx', async (t) => {
  const member = (right: string) => fc.option(fc.oneof(fc.constant(right), json), { nil: undefined });
  const body = fc.oneof(
    { weight: 3, arbitrary: fc.record({ clientId: member(pl.tip.applicationArn), grantType: member(JWT_BEARER), assertion: member('a.b.c'), refreshToken: member('aor'), scope: fc.option(json, { nil: undefined }), extra: fc.option(json, { nil: undefined }) }) },
    { weight: 1, arbitrary: json },
    { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
  );
  const before = state();
  await fc.assert(
    fc.asyncProperty(body, async (b) => {
      const a = await pl.createTokenWithIam(typeof b === 'string' ? b : JSON.stringify(b) ?? '');
      const problems = definedOutcome(a);
      if (problems.length) throw new Error(`${problems.join('; ')} for body ${JSON.stringify(b).slice(0, 300)}`);
    }),
    { seed: SEED + 2, numRuns: RUNS },
  );
  t.equal(state(), before, 'the Identity Center state is unchanged');
});

t.test('random bodies to read-only SSO Admin and Identity Store operations: awsJson answers, never a 5xx', async (t) => {
  const ops = [
    ['AWSIdentityStore.ListUsers', 'identitystore'],
    ['AWSIdentityStore.DescribeUser', 'identitystore'],
    ['AWSIdentityStore.GetUserId', 'identitystore'],
    ['AWSIdentityStore.IsMemberInGroups', 'identitystore'],
    ['AWSIdentityStore.ListGroupMembershipsForMember', 'identitystore'],
    ['SWBExternalService.ListInstances', 'sso'],
    ['SWBExternalService.DescribeApplication', 'sso'],
    ['SWBExternalService.ListApplications', 'sso'],
    ['SWBExternalService.DescribeTrustedTokenIssuer', 'sso'],
    ['SWBExternalService.ListApplicationGrants', 'sso'],
  ] as const;
  const known = { IdentityStoreId: pl.tip.identityStoreId, InstanceArn: pl.tip.instanceArn, ApplicationArn: pl.tip.applicationArn, UserId: pl.tip.users.alice };
  const body = fc.oneof(
    { weight: 3, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...Object.keys(known), 'MaxResults', 'NextToken', 'Filters', 'MemberId', 'GroupIds', 'AlternateIdentifier', 'TrustedTokenIssuerArn'), oddString), json, { maxKeys: 5 }).map((d) => JSON.stringify(d)) },
    { weight: 1, arbitrary: fc.record({ ...Object.fromEntries(Object.entries(known).map(([k, v]) => [k, fc.option(fc.oneof(fc.constant(v), json), { nil: undefined })])) }).map((d) => JSON.stringify(d)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
  );
  const before = state();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ops), body, async ([target, signing], b) => {
      const a = await pl.awsJson(target, signing, b);
      const ok = a.status === 200 || (a.status >= 400 && a.status < 500 && typeof a.json?.__type === 'string' && a.headers['x-amzn-errortype'] === a.json.__type);
      if (!ok) throw new Error(`${target}: ${a.status} ${a.body.slice(0, 300)} for body ${b.slice(0, 300)}`);
    }),
    { seed: SEED + 3, numRuns: RUNS },
  );
  t.equal(state(), before, 'read-only operations changed nothing');
});

t.test('afterwards a valid exchange still succeeds', async (t) => {
  const a = await pl.createTokenWithIam({ clientId: pl.tip.applicationArn, grantType: JWT_BEARER, assertion: await pl.tip.mint() });
  t.equal(a.status, 200);
});
