import t from 'tap';
import { loadScenarios } from '../../harness/scenario/load-scenarios.js';
import { runHarness } from '../../harness/run/run-harness.js';
import { MockTarget } from '../../harness/targets/mock-target.js';
import { grantsExercised } from '../../harness/targets/capabilities.js';

// The whole catalog on the in-process emulator: every scenario must meet its own expectations.
// One lab for the run (scenarios are namespaced); the time limit covers a loaded machine, not a
// timed assertion.
t.setTimeout(600_000);

const scenarios = await loadScenarios({ catalog: true });

t.test('the catalog covers the issue\'s matrix', async (t) => {
  t.ok(scenarios.length >= 25, `${scenarios.length} scenarios`);
  const names = scenarios.map((s) => s.name);
  for (const n of [
    'aud-string', 'aud-array-one-match', 'aud-none-matching', 'aud-empty-array', 'aud-missing', 'aud-case-difference', 'aud-trailing-slash', 'aud-equals-issuer', 'aud-other-application',
    'iss-trailing-slash', 'iss-http-vs-https', 'iss-other-path',
    'time-expired', 'time-nbf-future', 'time-iat-future', 'time-no-exp', 'claims-no-sub', 'claims-no-jti',
    'sig-alg-none', 'sig-hs256-key-confusion', 'sig-unknown-kid', 'sig-rotated-key',
    'user-not-found', 'user-two-users', 'user-claim-missing', 'user-case-difference',
    'assignment-required-unassigned', 'replay', 'scope-not-configured', 'refresh-rotation',
    'token-exchange-between-applications', 'instance-account', 'instance-organization', 'idtoken-as-assertion',
    's3-access-grants-get-data-access', 's3-access-grants-no-matching-grant',
  ]) t.ok(names.includes(n), n);
  t.ok(scenarios.every((s) => s.steps.some((st) => st.expect)), 'every scenario states what it expects');
  t.ok(scenarios.some((s) => grantsExercised(s).includes('urn:ietf:params:oauth:grant-type:token-exchange')), 'a scenario exercises the token-exchange grant');
});

t.test('every catalog scenario passes on the mock target, and cleans up after itself', async (t) => {
  const target = new MockTarget();
  const run = await runHarness({ scenarios, targets: [target], concurrency: 4 });
  const results = run.results.mock!;
  t.equal(results.length, scenarios.length);
  for (const r of results) {
    const unmet = r.steps.filter((s) => s.met === false).map((s) => `${s.id}: ${JSON.stringify(s.outcome)} (${s.diagnosis?.reason ?? ''})`);
    t.equal(r.status, 'passed', `${r.scenario}${r.reason ? `: ${r.reason}` : ''}${unmet.length ? `: ${unmet.join('; ')}` : ''}`);
    t.same(r.cleanup.failed, [], `${r.scenario}: everything it made was removed`);
  }
});
