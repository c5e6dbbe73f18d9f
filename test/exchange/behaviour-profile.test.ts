import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { DEFAULT_PROFILE, loadBehaviourProfile, mergeProfile } from '../../server/identity-center/profile/behaviour-profile.js';
import { GRANT_STEPS } from '../../server/identity-center/sso-oidc/grants/grant-pipelines.js';
import { labReason, startTipLab } from './helpers/tip-lab.js';

t.test('the default profile gives every entry a provenance and a source', async (t) => {
  for (const [key, f] of [...Object.entries(DEFAULT_PROFILE.failures), ...Object.entries(DEFAULT_PROFILE.sts_failures), ...Object.entries(DEFAULT_PROFILE.s3_access_grants_failures), ...Object.entries(DEFAULT_PROFILE.settings), ...Object.entries(DEFAULT_PROFILE.facts)]) {
    t.match(f.provenance, /^(captured|documented|observed|assumed)$/, `${key} provenance`);
    t.ok(f.source.length > 10, `${key} has a source`);
  }
});

t.test('every failure carries a description, and says where its wording comes from', async (t) => {
  for (const [key, f] of Object.entries(DEFAULT_PROFILE.failures)) {
    t.ok(f.error_description.length > 0, `${key}: error_description is not empty (real SSO OIDC errors carry one)`);
    t.match(f.description_provenance, /^(captured|assumed)$/, `${key}: description provenance`);
    t.ok((f.description_source ?? '').length > 20, `${key}: description source`);
  }
});

t.test('pinned: the captured descriptions', async (t) => {
  const f = DEFAULT_PROFILE.failures;
  const of = (key: string) => [f[key]!.exception, f[key]!.error, f[key]!.error_description];
  for (const key of ['issuer.untrusted', 'aud.mismatch', 'signature.invalid', 'user.not_found', 'assertion.replayed']) {
    t.same(of(key), ['InvalidGrantException', 'invalid_grant', 'Invalid grant provided'], key);
  }
  t.same([...of('refresh.unknown'), f['refresh.unknown']!.description_provenance], ['InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided', 'captured'], 'aws-cli #8561');
  t.same([...of('public_refresh.expired'), f['public_refresh.expired']!.description_provenance], ['InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided', 'captured'], 'CreateToken: aws-cli #8561');
  t.same([...of('public_client.secret_expired'), f['public_client.secret_expired']!.status], ['InvalidClientException', 'invalid_client', 'Invalid client provided', 401], 'go-aws-sso #150');
  t.same([...of('client.unknown'), f['client.unknown']!.provenance], ['InvalidClientException', 'invalid_client', 'Invalid client provided', 'captured'], 'boto3 #4093');
  t.same([...of('device.pending'), f['device.pending']!.description_provenance], ['AuthorizationPendingException', 'authorization_pending', 'Authorization is still pending', 'captured']);
  t.same(
    [f['refresh.expired']!.exception, f['refresh.expired']!.status, f['refresh.expired']!.error, f['refresh.expired']!.provenance],
    ['ExpiredTokenException', 400, 'expired_token', 'captured'],
    "AWS's TIP plugin falls back to jwt-bearer only on ExpiredTokenException",
  );
});

t.test('a profile that changes a description marks the wording assumed, from that file', async (t) => {
  const p = mergeProfile({ failures: { 'aud.mismatch': { error_description: 'Invalid audience' } } }, 'mine.yaml');
  t.same([p.failures['aud.mismatch']!.error_description, p.failures['aud.mismatch']!.description_provenance, p.failures['aud.mismatch']!.description_source], ['Invalid audience', 'assumed', 'mine.yaml']);
  const kept = mergeProfile({ failures: { 'aud.mismatch': { exception: 'AccessDeniedException' } } }, 'mine.yaml');
  t.equal(kept.failures['aud.mismatch']!.description_provenance, 'assumed', 'unchanged wording keeps its own provenance');
  t.match(kept.failures['aud.mismatch']!.description_source, /aws-cli #5058/);
});

t.test('pinned: the observed answers from the reference', async (t) => {
  const f = DEFAULT_PROFILE.failures;
  t.same([f['aud.mismatch']!.exception, f['aud.mismatch']!.provenance], ['InvalidGrantException', 'observed']);
  t.same([f['user.not_found']!.exception, f['user.not_found']!.provenance], ['InvalidGrantException', 'observed']);
  t.same([f['issuer.untrusted']!.exception, f['issuer.untrusted']!.provenance], ['InvalidGrantException', 'observed']);
  t.same([f['user.not_assigned']!.exception, f['user.not_assigned']!.provenance], ['AccessDeniedException', 'observed']);
  t.same([f['auth.no_method']!.exception, f['auth.no_method']!.provenance], ['AccessDeniedException', 'observed']);
  t.same([f['client.unknown']!.exception, f['client.unknown']!.status, f['client.unknown']!.error], ['InvalidClientException', 401, 'invalid_client']);
  t.equal(DEFAULT_PROFILE.settings.access_token_ttl_seconds.value, 3600);
  t.same([DEFAULT_PROFILE.settings.issuer_match.value, DEFAULT_PROFILE.settings.issuer_match.provenance], ['exact', 'documented'], 'exact, trailing slash included (blog; Q Business sample TROUBLESHOOTING.md)');
  t.same([DEFAULT_PROFILE.settings.required_claims.value, DEFAULT_PROFILE.settings.required_claims.provenance], [['iss', 'sub', 'aud'], 'documented'], 'the blog\'s list but jti (Entra ID tokens carry uti)');
  t.match(DEFAULT_PROFILE.settings.required_claims.source, /jti.*Entra ID.*uti/);
  t.same(DEFAULT_PROFILE.settings.default_scopes.value, ['openid', 'aws', 'sts:identity_context']);
});

t.test('pinned: the STS entries taken from the model, the docs and captured output', async (t) => {
  const f = DEFAULT_PROFILE.sts_failures;
  for (const key of ['context.provider_invalid', 'context.assertion_invalid', 'context.assertion_expired']) {
    t.same([f[key]!.code, f[key]!.status, f[key]!.provenance], ['InvalidContextAssertion', 400, 'documented'], `${key}: InvalidContextAssertionException in the STS model`);
  }
  t.same([f['parameter.duration_exceeds_max']!.code, f['parameter.duration_exceeds_max']!.message, f['parameter.duration_exceeds_max']!.provenance], ['ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 'captured']);
  t.same([f['role.not_assumable']!.code, f['role.not_assumable']!.status, f['role.not_assumable']!.message], ['AccessDenied', 403, 'User: {caller} is not authorized to perform: {action} on resource: {role}']);
  const s = DEFAULT_PROFILE.settings;
  t.same([s.sts_default_duration_seconds.value, s.sts_default_duration_seconds.provenance], [3600, 'documented']);
  t.same([s.sts_role_max_session_duration_seconds.value, s.sts_role_max_session_duration_seconds.provenance], [3600, 'documented']);
});

t.test('every failure a step can raise is mapped by the profile', async (t) => {
  t.ok(Object.keys(GRANT_STEPS).length >= 2);
  const { readdir, readFile } = await import('node:fs/promises');
  const dir = new URL('../../server/identity-center/sso-oidc/', import.meta.url);
  let seen = 0;
  const files = [...(await readdir(new URL('steps/', dir))).map((f) => new URL(`steps/${f}`, dir)), new URL('issuer-keys/issuer-key-cache.ts', dir)];
  for (const file of files) {
    for (const [, key] of (await readFile(file, 'utf8')).matchAll(/new ExchangeFailure\(\s*'([\w.]+)'/g)) {
      t.ok(DEFAULT_PROFILE.failures[key!], `${key} is in the profile`);
      seen += 1;
    }
  }
  t.ok(seen >= 25, `found ${seen} raised failures`);
});

t.test('a user profile is merged over the default, entry by entry, and changes the wire answer', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tti-profile-'));
  const file = join(dir, 'profile.yaml');
  await writeFile(file, `name: stricter
failures:
  aud.mismatch:
    exception: AccessDeniedException
    status: 400
    error: access_denied
    provenance: observed
    source: harness run 2026-06-01
settings:
  clock_skew_seconds:
    value: 0
  required_claims:
    value: [iss, sub, aud, jti]
`);
  const profile = await loadBehaviourProfile(file);
  t.equal(profile.name, 'stricter');
  t.equal(profile.failures['aud.mismatch']!.exception, 'AccessDeniedException');
  t.equal(profile.failures['user.not_found']!.exception, 'InvalidGrantException', 'other entries keep the default');
  t.equal(profile.settings.clock_skew_seconds.value, 0);
  t.equal(profile.settings.clock_skew_seconds.provenance, 'assumed', 'an override without provenance is assumed');

  const tip = await startTipLab({ behaviourProfile: file });
  t.teardown(() => tip.lab.close());
  const err = (await tip.exchange({ assertion: await tip.mint({ claims: { aud: 'other' } }) }).catch((e: unknown) => e)) as Error;
  t.equal(err.name, 'AccessDeniedException');
  t.match(labReason(err), /^audience-authorized: /);
  const noJti = (await tip.exchange({ assertion: await tip.mint({ claims: { jti: null } }) }).catch((e: unknown) => e)) as Error;
  t.equal(noJti.name, 'InvalidGrantException', 'a profile that follows the blog to the letter requires jti');
  t.match(labReason(noJti), /^required-claims-present: the assertion has no jti claim.*Fix: .*uti, not jti/);
  t.equal(tip.lab.exchanges().at(-1)?.failure?.key, 'jti.missing');
  const served = (await (await fetch(`${tip.lab.url}/_lab/behaviour-profile`)).json()) as { name: string };
  t.equal(served.name, 'stricter', 'the profile in force is served by the control API');
});

t.test('a bad profile names the file, the entry and the fix', async (t) => {
  t.throws(() => mergeProfile({ failures: { 'aud.nope': { exception: 'AccessDeniedException' } } }, 'p.yaml'), /p\.yaml: failures\.aud\.nope: unknown failure; expected one of/);
  t.throws(() => mergeProfile({ settings: { clock_skew_seconds: { value: 'sixty' } } }, 'p.yaml'), /p\.yaml: settings\.clock_skew_seconds\.value: expected number/);
  t.throws(() => mergeProfile({ failures: { 'aud.mismatch': { status: 200 } } }, 'p.yaml'), /p\.yaml: failures\.aud\.mismatch\.status: expected an HTTP error status/);
  t.throws(() => mergeProfile({ settings: { issuer_match: { value: 'fuzzy' } } }, 'p.yaml'), /issuer_match.*exact or ignore_trailing_slash/);
  t.throws(() => mergeProfile({ facts: { 'id_token.aud': { fact: 'x' } } }, 'p.yaml'), /p\.yaml: facts: facts say what the lab issues and cannot be changed by a profile; remove this section/);
  t.throws(() => mergeProfile({ settings: { required_claims: { value: ['sub', 7] } } }, 'p.yaml'), /p\.yaml: settings\.required_claims\.value: expected a list of claim names/);
  t.same(mergeProfile({ settings: { required_claims: { value: ['iss', 'aud', 'sub', 'email_verified'] } } }, 'p.yaml').settings.required_claims.value, ['iss', 'aud', 'sub', 'email_verified']);
  t.throws(() => mergeProfile({ failures: { 'aud.mismatch': { status: 302 } } }, 'p.yaml'), /p\.yaml: failures\.aud\.mismatch\.status: expected an HTTP error status \(400–599\); got 302 \(only authorize\.\* failures can redirect\)/);
  t.throws(() => mergeProfile({ failures: { 'authorize.pkce_required': { status: 301 } } }, 'p.yaml'), /failures\.authorize\.pkce_required\.status: expected an HTTP error status \(400–599\) for an error page, or 302\/303/);
  // An authorize.* failure can be turned into an error page and back into a redirect.
  t.equal(mergeProfile({ failures: { 'authorize.pkce_required': { status: 400 } } }, 'p.yaml').failures['authorize.pkce_required']!.status, 400);
  t.equal(mergeProfile({ failures: { 'authorize.redirect_uri_not_registered': { status: 302 } } }, 'p.yaml').failures['authorize.redirect_uri_not_registered']!.status, 302);
  await t.rejects(loadBehaviourProfile('/nonexistent/profile.yaml'), /cannot read the behaviour profile/);
});
