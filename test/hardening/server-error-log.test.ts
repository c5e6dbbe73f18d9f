import t from 'tap';
import { ListInstancesCommand } from '@aws-sdk/client-sso-admin';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fixedClock } from '../../server/index.js';
import { startTipLab } from '../exchange/helpers/tip-lab.js';

/**
 * Every 5xx answer, from any route, is written to the server's log with the stack of the error that
 * caused it; a 5xx with no error behind it (an injected fault) is still logged, saying so.
 */
const lines: Record<string, unknown>[] = [];
const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const tip = await startTipLab({ clock, log: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
t.teardown(() => tip.lab.close());
const services = tip.lab.services;

/** Makes `obj[name]` throw an Error with this message until the test ends. */
function breakMethod<T extends object>(t: { teardown(fn: () => void): void }, obj: T, name: keyof T, message: string): void {
  const original = obj[name];
  (obj as Record<keyof T, unknown>)[name] = () => {
    throw new Error(message);
  };
  t.teardown(() => {
    (obj as Record<keyof T, unknown>)[name] = original;
  });
}

/** The log lines written since `from`, with an error whose stack names this message. */
const loggedWithStack = (from: number, message: string) =>
  lines.slice(from).filter((l) => {
    const err = l.err as { message?: string; stack?: string } | undefined;
    return l.level === 50 && err?.message === message && typeof err.stack === 'string' && err.stack.includes(`Error: ${message}\n    at `);
  });

t.test('CreateTokenWithIAM (restJson): an exception in the exchange', async (t) => {
  breakMethod(t, services.ssoOidc, 'run', 'boom in the exchange');
  const from = lines.length;
  const err = await tip.exchange({ assertion: await tip.mint() }).then(
    () => undefined,
    (e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } },
  );
  t.equal(err?.$metadata.httpStatusCode, 500);
  t.equal(loggedWithStack(from, 'boom in the exchange').length, 1, 'logged once, with the stack');
});

t.test('SSO Admin (awsJson): an exception in an operation', async (t) => {
  breakMethod(t, services.aws.jsonServices.get('SWBExternalService')!.handlers as Record<string, unknown>, 'ListInstances', 'boom in sso-admin');
  const from = lines.length;
  const err = await tip.ssoAdmin.send(new ListInstancesCommand({})).then(
    () => undefined,
    (e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } },
  );
  t.equal(err?.name, 'InternalServerException');
  t.equal(loggedWithStack(from, 'boom in sso-admin').length, 1, 'logged once, with the stack');
});

t.test('STS (awsQuery): an exception in an action', async (t) => {
  breakMethod(t, services.aws.queryServices.find((s) => s.modelName === 'sts')!.handlers, 'GetCallerIdentity', 'boom in sts');
  const from = lines.length;
  const err = await tip.sts.send(new GetCallerIdentityCommand({})).then(
    () => undefined,
    (e: unknown) => e as { $metadata: { httpStatusCode: number } },
  );
  t.ok(err && err.$metadata.httpStatusCode >= 500, '5xx');
  t.equal(loggedWithStack(from, 'boom in sts').length, 1, 'logged once, with the stack');
});

t.test('a lab route (explain): an exception in its handler', async (t) => {
  breakMethod(t, services.ssoOidc, 'run', 'boom in explain');
  const from = lines.length;
  const res = await tip.lab.app.inject({ method: 'POST', url: '/_lab/explain', payload: { token: await tip.mint(), applicationArn: tip.applicationArn } });
  t.equal(res.statusCode, 500);
  t.same(res.json(), { error: 'internal_error', message: 'the lab failed to handle this request; see its log' }, 'nothing of the error on the wire');
  t.equal(loggedWithStack(from, 'boom in explain').length, 1, 'logged once, with the stack');
});

t.test('an injected fault that answers 503 is logged as such', async (t) => {
  const okta = tip.lab.issuer('okta');
  okta.setFaults({ jwks: { kind: 'status', status: 503 } });
  t.teardown(() => okta.resetFaults());
  const from = lines.length;
  const res = await tip.lab.app.inject({ method: 'GET', url: '/issuers/okta/jwks' });
  t.equal(res.statusCode, 503);
  const logged = lines.slice(from).filter((l) => l.level === 50 && l.status === 503);
  t.equal(logged.length, 1, 'one line');
  t.match(logged[0], { url: '/issuers/okta/jwks', msg: /answered 503 without an error being raised/ });
});
