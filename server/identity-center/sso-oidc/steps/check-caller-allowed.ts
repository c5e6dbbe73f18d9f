import { evaluatePolicy } from '../../../aws/iam/evaluate-policy.js';
import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

export const CREATE_TOKEN_WITH_IAM_ACTION = 'sso-oauth:CreateTokenWithIAM';

/** 2. The signing principal is allowed by the application's IAM ActorPolicy. */
export const checkCallerAllowed: Step<'application'> = {
  name: 'caller-allowed-by-actor-policy',
  title: `the caller may ${CREATE_TOKEN_WITH_IAM_ACTION} on this application`,
  run(ctx) {
    const app = ctx.application;
    const method = app.AuthenticationMethods.IAM;
    if (!method) {
      throw new ExchangeFailure(
        'auth.no_method',
        `application "${app.Name}" has no IAM authentication method, so no AWS principal may call CreateTokenWithIAM for it`,
        `PutApplicationAuthenticationMethod with AuthenticationMethodType IAM and an ActorPolicy allowing ${CREATE_TOKEN_WITH_IAM_ACTION} to your application's role`,
      );
    }
    if (!ctx.principal) return { reason: 'read-only run: no caller to check; the application has an IAM authentication method' };
    const decision = evaluatePolicy(method.Iam.ActorPolicy, ctx.principal, [CREATE_TOKEN_WITH_IAM_ACTION]);
    if (!decision.allowed) {
      throw new ExchangeFailure(
        'auth.denied',
        `the ActorPolicy of application "${app.Name}" does not let ${ctx.principal.arn} call ${CREATE_TOKEN_WITH_IAM_ACTION}: ${decision.reason}`,
        `allow ${CREATE_TOKEN_WITH_IAM_ACTION} to ${ctx.principal.arn} (or its account) in the ActorPolicy`,
        { caller: ctx.principal.arn },
      );
    }
    return { reason: `the ActorPolicy ${decision.reason}`, facts: { caller: ctx.principal.arn } };
  },
};
