import t from 'tap';
import { fixedClock } from '../../server/index.js';
import { labReason, startTipLab } from './helpers/tip-lab.js';

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const tip = await startTipLab({ clock });
t.teardown(() => tip.lab.close());

const refresh = (refreshToken: string | undefined, scope?: string[]) => tip.exchange({ grantType: 'refresh_token', refreshToken, assertion: undefined, ...(scope ? { scope } : {}) });

t.test('jwt-bearer once, then refresh until it fails, then jwt-bearer again', async (t) => {
  const first = await tip.exchange({ assertion: await tip.mint() });
  clock.advance(30 * 60 * 1000);
  const second = await refresh(first.refreshToken);
  t.not(second.refreshToken, first.refreshToken, 'refresh tokens rotate');
  t.not(second.accessToken, first.accessToken);
  t.same(second.scope, first.scope, 'scopes carried over');
  t.equal(second.issuedTokenType, 'urn:ietf:params:oauth:token-type:refresh_token');
  const third = await refresh(second.refreshToken, ['openid']);
  t.same(third.scope, ['openid'], 'a refresh may narrow the scopes');
  const reused = await refresh(second.refreshToken).catch((e: unknown) => e);
  t.equal((reused as Error).name, 'InvalidGrantException', 'a used refresh token is refused');
  t.match(labReason(reused), /^refresh-token-valid: .*already used/);
  const widen = await refresh(third.refreshToken, ['s3:access_grants:read_write']).catch((e: unknown) => e);
  t.equal((widen as Error).name, 'InvalidScopeException', 'scopes cannot grow on refresh');
  const again = await tip.exchange({ assertion: await tip.mint() });
  t.ok(again.refreshToken, 'when refreshing fails, a new assertion starts over');
});

t.test('an expired refresh token answers ExpiredTokenException, as AWS\'s TIP plugin expects', async (t) => {
  const res = await tip.exchange({ assertion: await tip.mint() });
  clock.advance(24 * 3600 * 1000 + 1000);
  const err = await refresh(res.refreshToken).catch((e: unknown) => e);
  t.equal((err as Error).name, 'ExpiredTokenException');
  t.match(err, { error: 'expired_token', error_description: 'Token is expired', $metadata: { httpStatusCode: 400 } });
  t.match(labReason(err), /^refresh-token-valid: .*expired/);
});

t.test('an unknown refresh token is refused', async (t) => {
  const err = await refresh('aor-not-a-token').catch((e: unknown) => e);
  t.equal((err as Error).name, 'InvalidGrantException');
  t.match(err, { error: 'invalid_grant', error_description: 'Invalid refresh token provided' }, 'the captured text (aws-cli #8561)');
  t.match(labReason(err), /^refresh-token-valid: .*not issued by this lab/);
  const missing = await refresh(undefined).catch((e: unknown) => e);
  t.equal((missing as Error).name, 'InvalidRequestException');
});
