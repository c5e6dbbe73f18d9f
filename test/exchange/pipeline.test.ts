import t from 'tap';
import { Pipeline } from '../../server/identity-center/sso-oidc/exchange/pipeline.js';
import { checkAudience } from '../../server/identity-center/sso-oidc/steps/check-audience.js';
import { checkClientIsApplication } from '../../server/identity-center/sso-oidc/steps/check-client-is-application.js';
import { checkRefreshToken } from '../../server/identity-center/sso-oidc/steps/check-refresh-token.js';
import { issueTokens } from '../../server/identity-center/sso-oidc/steps/issue-tokens.js';
import { checkPublicClient } from '../../server/identity-center/sso-oidc/steps/check-public-client.js';
import { GRANT_STEPS, PUBLIC_GRANT_STEPS } from '../../server/identity-center/sso-oidc/grants/grant-pipelines.js';

t.test('a pipeline accepts a step only once what it needs is established (checked by the compiler)', async (t) => {
  // audience-authorized needs the assertion and the trusted issuer; nothing before it set them.
  // @ts-expect-error — the compiler names the missing members (`assertion`, `trustedIssuer`)
  const bad = Pipeline.for('application').then(checkClientIsApplication).then(checkAudience);
  t.equal(bad.steps.length, 2, 'the runtime list is only names: the guarantee is the type check of this file');
  const good = Pipeline.for('application').then(checkClientIsApplication).then(checkRefreshToken).effect(issueTokens);
  t.same(good.steps.map((s) => s.name), ['client-is-application', 'refresh-token-valid', 'tokens-issued']);
});

t.test('one refresh step and one issue step serve both clients, under the trace names each always had', async (t) => {
  const pub = Pipeline.for('public').then(checkPublicClient).then(checkRefreshToken).effect(issueTokens);
  t.same(pub.steps.map((s) => s.name), ['public-client-authenticated', 'client-refresh-token-valid', 'client-tokens-issued']);
  t.same(GRANT_STEPS.refresh_token?.map((s) => s.name), ['refresh-token-valid', 'scopes-allowed', 'tokens-issued']);
  t.same(PUBLIC_GRANT_STEPS.refresh_token?.map((s) => s.name), ['client-refresh-token-valid', 'client-tokens-issued']);
  t.equal(PUBLIC_GRANT_STEPS.refresh_token?.[0]?.run, checkRefreshToken.run, 'the same check');
});
