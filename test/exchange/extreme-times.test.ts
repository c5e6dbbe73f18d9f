import t from 'tap';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { fixedClock, startLab } from '../../server/index.js';
import { ACCOUNT, clients, labReason, startTipLab } from './helpers/tip-lab.js';

/**
 * exp, nbf and iat beyond the ECMAScript date range (±8.64e12 s) are refused with the profile's
 * time error — in the exchange, explain, the workbench and AssumeRoleWithWebIdentity — instead of
 * an InternalServerException (which the SDK retries three times).
 */
const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const tip = await startTipLab({ clock, log: { write: () => true } });
t.teardown(() => tip.lab.close());

const EXTREMES = [99999999999999, -99999999999999, 8640000000001, 1e300];
const KEY = { exp: 'time.exp_missing', nbf: 'time.not_yet_valid', iat: 'time.iat_future' } as const;

for (const claim of ['exp', 'nbf', 'iat'] as const) {
  for (const value of EXTREMES) {
    t.test(`${claim} ${value}`, async (t) => {
      const token = await tip.mint({ [claim]: value });
      const err = await tip.exchange({ assertion: token }).then(
        () => undefined,
        (e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } },
      );
      t.equal(err?.name, 'InvalidGrantException', 'the exchange is refused');
      t.equal(err?.$metadata.httpStatusCode, 400);
      t.match(labReason(err), new RegExp(`^token-times-valid: ${claim} ${String(value).replace("+", "\\+")} is not a date: a NumericDate must lie within ±8640000000000 s`), 'naming the claim and the range');

      const explained = await tip.lab.app.inject({ method: 'POST', url: '/_lab/explain', payload: { token, applicationArn: tip.applicationArn } });
      t.equal(explained.statusCode, 200, 'explain answers');
      const report = explained.json() as { verdict: string; applications: { failure?: { step: string; key: string } }[] };
      t.equal(report.verdict, 'refused');
      t.match(report.applications[0]!.failure, { step: 'token-times-valid', key: KEY[claim] }, 'explain names the step and the profile key');

      const bench = await tip.lab.app.inject({ method: 'POST', url: '/_lab/workbench/exchange', payload: { token, applicationArn: tip.applicationArn } });
      t.equal(bench.statusCode, 200, 'the workbench answers');
      t.match(bench.json(), { outcome: 'failure', failure: { step: 'token-times-valid', key: KEY[claim], exception: 'InvalidGrantException', status: 400 } });
    });
  }
}

t.test('AssumeRoleWithWebIdentity refuses an exp beyond the date range as a token without a usable exp (the exchange\'s time step, as for a missing exp)', async (t) => {
  const web = await startLab({ inMemory: true, clock, config: { issuers: [{ name: 'web', users: [{ sub: 'u1' }] }] } });
  t.teardown(() => web.close());
  const host = web.issuer('web').url.replace(/^https?:\/\//, '');
  const role = `arn:aws:iam::${ACCOUNT}:role/Web`;
  const iam = await startLab({
    inMemory: true,
    clock,
    log: { write: () => true },
    config: {
      aws: {
        oidc_providers: [{ url: web.issuer('web').url, client_ids: ['sts-client'] }],
        roles: [{ arn: role, trust_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}` }, Action: 'sts:AssumeRoleWithWebIdentity' }] } }],
      },
    },
  });
  t.teardown(() => iam.close());
  const { sts } = clients(iam.url, clock);
  for (const exp of [99999999999999, -99999999999999]) {
    const { token } = await web.mint('web', { user: 'u1', claims: { aud: 'sts-client' }, exp });
    const err = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: role, RoleSessionName: 'extreme', WebIdentityToken: token })).then(
      () => undefined,
      (e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } },
    );
    t.equal(err?.name, 'InvalidIdentityTokenException', `exp ${exp}`);
    t.equal(err?.$metadata.httpStatusCode, 400, `exp ${exp}`);
    t.match(labReason(err), /^AssumeRoleWithWebIdentity: web_identity\.bad_token: exp -?99999999999999 is not a date: a NumericDate must lie within ±8640000000000 s of the epoch/, `exp ${exp}`);
  }
});
