import { GRANT_STEPS } from '../../server/identity-center/sso-oidc/grants/grant-pipelines.js';
import { grantTypeOf, JWT_BEARER, TOKEN_EXCHANGE, type Scenario } from '../scenario/scenario.js';

const CONFIGURED: Record<string, (g: Scenario['setup']['applications'][number]['grants']) => boolean> = {
  [JWT_BEARER]: (g) => Boolean(g.jwt_bearer),
  refresh_token: (g) => Boolean(g.refresh_token),
  [TOKEN_EXCHANGE]: (g) => Boolean(g.token_exchange),
  authorization_code: (g) => Boolean(g.authorization_code),
};

/**
 * The grants a scenario needs the target to *emulate*: those its CreateTokenWithIAM steps use on an
 * application that has that grant (a call for a grant the application lacks is refused before any
 * grant-specific step, which every version of the emulator does).
 */
export function grantsExercised(sc: Scenario): string[] {
  const out = new Set<string>();
  for (const st of sc.steps) {
    if (st.kind !== 'create_token_with_iam') continue;
    const grant = grantTypeOf(st.create_token_with_iam);
    const app = sc.setup.applications.find((a) => a.name === st.create_token_with_iam.application);
    if (app && CONFIGURED[grant]?.(app.grants)) out.add(grant);
  }
  return [...out];
}

/** Why this process's emulator cannot run the scenario: a grant whose steps are not in grant-pipelines.ts yet. */
export function emulatorGap(sc: Scenario): string | undefined {
  const missing = grantsExercised(sc).filter((g) => !Object.hasOwn(GRANT_STEPS, g));
  return missing.length ? `pending: the emulator does not implement the ${missing.join(' and ')} grant yet (server/identity-center/sso-oidc/grants/grant-pipelines.ts)` : undefined;
}
