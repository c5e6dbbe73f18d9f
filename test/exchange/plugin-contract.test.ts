import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTokenWithIAMCommand, ExpiredTokenException, type CreateTokenWithIAMCommandOutput, type SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { fixedClock } from '../../server/index.js';
import { JWT_BEARER, ROLE_ARN, startTipLab } from './helpers/tip-lab.js';

/**
 * The contract of AWS's own TIP credential plugin (aws-sdk-plugin/trusted-identity-propagation-js:
 * src/retrieveSsoOidcTokens.ts, src/fromTrustedTokenIssuer.ts, read, not copied), held by a
 * test-side client of its own: it keeps the refresh token of the latest answer; with one, it calls
 * CreateTokenWithIAM with the refresh_token grant, and on ExpiredTokenException — and only that —
 * calls it again with the jwt-bearer grant and a fresh web token; any other error is thrown. Each
 * answer must carry awsAdditionalDetails.identityContext, which goes to STS AssumeRole.
 */
function tipPluginContract(oidc: SSOOIDCClient, applicationArn: string, webTokenProvider: () => Promise<string>) {
  let refreshToken: string | undefined;
  const grants: string[] = [];
  return {
    grants,
    async tokens(): Promise<CreateTokenWithIAMCommandOutput> {
      let out: CreateTokenWithIAMCommandOutput | undefined;
      if (refreshToken) {
        grants.push('refresh_token');
        try {
          out = await oidc.send(new CreateTokenWithIAMCommand({ clientId: applicationArn, grantType: 'refresh_token', refreshToken }));
        } catch (err) {
          if (!(err instanceof ExpiredTokenException)) throw err;
          grants.push('expired');
        }
      }
      if (!out) {
        grants.push('jwt-bearer');
        out = await oidc.send(new CreateTokenWithIAMCommand({ clientId: applicationArn, grantType: JWT_BEARER, assertion: await webTokenProvider() }));
      }
      if (!out.awsAdditionalDetails?.identityContext) throw new Error('Identity context not found');
      refreshToken = out.refreshToken;
      return out;
    },
  };
}

const REFRESH_TTL = 600;
const minutes = (n: number) => n * 60 * 1000;

async function profileFile(body: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'tti-plugin-')), 'profile.yaml');
  await writeFile(file, body);
  return file;
}

t.test('jwt-bearer, then refresh until ExpiredTokenException, then jwt-bearer again — through the real SDK', async (t) => {
  const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
  const tip = await startTipLab({ clock, behaviourProfile: await profileFile(`settings:\n  refresh_token_ttl_seconds: { value: ${REFRESH_TTL} }\n`) });
  t.teardown(() => tip.lab.close());
  const client = tipPluginContract(tip.oidc, tip.applicationArn, () => tip.mint());

  const first = await client.tokens();
  t.ok(first.refreshToken, 'the jwt-bearer answer carries a refresh token (the application has the refresh_token grant)');
  clock.advance(minutes(5));
  const second = await client.tokens();
  clock.advance(minutes(5));
  const third = await client.tokens();
  t.same(client.grants, ['jwt-bearer', 'refresh_token', 'refresh_token'], 'refreshes while the refresh token lives');
  t.not(third.refreshToken, second.refreshToken, 'each refresh rotates the refresh token');

  clock.advance((REFRESH_TTL + 1) * 1000);
  const fourth = await client.tokens();
  t.same(client.grants.slice(3), ['refresh_token', 'expired', 'jwt-bearer'], 'the expired refresh token answers ExpiredTokenException, and the client starts over');
  t.ok(fourth.accessToken);
  t.match(tip.lab.exchanges().at(-2), { outcome: 'failure', failure: { key: 'refresh.expired', exception: 'ExpiredTokenException', error: 'expired_token' } });

  clock.advance(minutes(1));
  await client.tokens();
  t.same(client.grants.slice(6), ['refresh_token'], 'and refreshes again from the new refresh token');

  const assumed = await tip.sts.send(
    new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'plugin-contract', ProvidedContexts: [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: fourth.awsAdditionalDetails!.identityContext! }] }),
  );
  t.ok(assumed.Credentials?.SessionToken, "the plugin's next call, AssumeRole with the identity context, succeeds");
});

t.test('with InvalidGrantException for an expired refresh token (the lab before), the same client fails instead of recovering', async (t) => {
  const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
  const tip = await startTipLab({
    clock,
    behaviourProfile: await profileFile(`settings:
  refresh_token_ttl_seconds: { value: ${REFRESH_TTL} }
failures:
  refresh.expired: { exception: InvalidGrantException, status: 400, error: invalid_grant, error_description: Invalid refresh token provided }
`),
  });
  t.teardown(() => tip.lab.close());
  const client = tipPluginContract(tip.oidc, tip.applicationArn, () => tip.mint());
  await client.tokens();
  clock.advance((REFRESH_TTL + 1) * 1000);
  await t.rejects(client.tokens(), { name: 'InvalidGrantException' }, 'no fallback: the application breaks');
  t.same(client.grants, ['jwt-bearer', 'refresh_token']);
});
