import t from 'tap';
import { startLab } from '../../server/lab/start-lab.js';
import { CredentialRegistry } from '../../server/aws/aws-credentials.js';
import { fixedClock } from '../../server/index.js';
import { MemoryAdapterStore } from '../../server/issuer/provider/memory-adapter.js';

/**
 * Everything the lab keeps per request is bounded, however long it runs (what a soak relies on):
 * the request log and the exchange log are rings, the token tables and the replay cache are
 * BoundedMaps, temporary credentials and oidc-provider's store have caps. Checked by filling each
 * past its bound, cheaply (no cryptography), and seeing the oldest entries go.
 */
const lab = await startLab({ inMemory: true, config: { request_log_size: 50, issuers: [{ name: 'okta' }] } });
t.teardown(() => lab.close());
const { services } = lab;

t.test('the request log keeps its configured size', async (t) => {
  for (let i = 0; i < 120; i++) await lab.app.inject({ method: 'GET', url: '/issuers/okta/jwks' });
  const entries = lab.requests();
  t.equal(entries.length, 50);
  t.equal(entries.at(-1)!.seq - entries[0]!.seq, 49, 'the newest 50, in order');
});

t.test('the exchange log keeps its capacity', async (t) => {
  const log = services.ssoOidc.exchanges;
  for (let i = 0; i < log.capacity + 500; i++) {
    log.record({ time: new Date().toISOString(), operation: 'CreateTokenWithIAM', grantType: null, clientId: `c${i}`, caller: null, outcome: 'failure', trace: [] });
  }
  const entries = log.list();
  t.equal(entries.length, log.capacity);
  t.equal(entries[0]!.clientId, 'c500', 'the oldest went first');
});

t.test('the token tables and the replay cache are bounded maps, 10 000 and 100 000 by default', async (t) => {
  const tokens = services.ssoOidc.tokens;
  t.same(tokens.limits, { tokenTableSize: 10_000, replayCacheSize: 100_000 });
  // One credential store for applications' and public clients' tokens: a table per kind.
  for (const kind of ['access_token', 'refresh_token', 'authorization_code', 'device_code'] as const) {
    t.equal(tokens.credentials.capacity(kind), 10_000, `${kind}: capacity ${tokens.credentials.capacity(kind)}`);
  }
  const now = Date.now();
  const REPLAY_CAPACITY = 100_000;
  for (let i = 0; i <= REPLAY_CAPACITY; i++) tokens.remember(`iss jti-${i}`, now + 3_600_000, now);
  t.notOk(tokens.seen('iss jti-0', now), 'past its capacity the replay cache forgets the oldest live assertion (see docs/reliability.md)');
  t.ok(tokens.seen(`iss jti-${REPLAY_CAPACITY}`, now), 'and remembers the newest');
});

t.test('token_table_size and replay_cache_size set the bounds; a full replay cache drops expired entries first', async (t) => {
  const small = await startLab({ inMemory: true, config: { token_table_size: 3, replay_cache_size: 2048 } });
  t.teardown(() => small.close());
  const tokens = small.services.ssoOidc.tokens;
  t.equal(tokens.credentials.capacity('access_token'), 3);
  t.equal(tokens.credentials.capacity('refresh_token'), 3);
  const now = Date.now();
  // 1500 assertions that expire in a second, then 1500 that live an hour: the sweep at the 2048th
  // insertion drops the expired ones, so none of the live ones is forgotten.
  for (let i = 0; i < 1500; i++) tokens.remember(`short-${i}`, now + 1000, now);
  for (let i = 0; i < 1500; i++) tokens.remember(`long-${i}`, now + 3_600_000, now + 2000);
  t.ok(tokens.seen('long-0', now + 2000), 'the oldest live assertion is still remembered');
  t.ok(tokens.seen('long-1499', now + 2000));
  t.notOk(tokens.seen('short-1499', now + 2000), 'expired ones are not');
});

t.test('temporary credentials and the issuer session store have caps', async (t) => {
  const clock = fixedClock(Date.now());
  const creds = new CredentialRegistry(clock, [], 10);
  for (let i = 0; i < 25; i++) creds.addTemporary({ accessKeyId: `ASIA${i}`, secretAccessKey: 's', sessionToken: 't', accountId: '000000000000', arn: 'arn', expiresAt: clock.now() + 1000 });
  t.equal(creds.lookup('ASIA0'), undefined, 'the oldest temporary credentials went');
  t.ok(creds.lookup('ASIA24'));
  const store = new MemoryAdapterStore({ maxEntries: 20, clock });
  for (let i = 0; i < 60; i++) store.upsert('Session', `s${i}`, { jti: `s${i}` }, 3600);
  t.equal(store.size, 20);
});
