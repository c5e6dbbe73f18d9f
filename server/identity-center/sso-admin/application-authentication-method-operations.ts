import { findApplication } from './sso-admin-lookup.js';
import { notFound, type SsoAdminHandlers } from './sso-admin-operation.js';
import { paginate } from './sso-admin-pagination.js';

/**
 * An application's authentication methods: who may call CreateTokenWithIAM for it. The only type is
 * IAM, `{ Iam: { ActorPolicy } }`; ActorPolicy is a Smithy document (any JSON value on the wire),
 * kept exactly as sent and returned exactly as kept. Whether it is a sound IAM policy is for the
 * token exchange to find out (not checked here; assumed).
 */

const target = (call: { input: Record<string, unknown> }) => ({ applicationArn: call.input.ApplicationArn as string, type: call.input.AuthenticationMethodType as 'IAM' });

const missing = (applicationArn: string, type: string) => `Authentication method ${type} does not exist for application ${applicationArn}`;

export const applicationAuthenticationMethodHandlers: SsoAdminHandlers = {
  PutApplicationAuthenticationMethod(call) {
    const { applicationArn, type } = target(call);
    const method = call.input.AuthenticationMethod as { Iam: { ActorPolicy: unknown } };
    return call.ic.state.mutate((s) => {
      const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
      app.AuthenticationMethods[type] = { Iam: { ActorPolicy: method.Iam.ActorPolicy } };
      return {};
    });
  },

  GetApplicationAuthenticationMethod(call) {
    const { applicationArn, type } = target(call);
    const method = findApplication(call.ic.state.read, call, applicationArn).AuthenticationMethods[type];
    if (!method) throw notFound(call, missing(applicationArn, type));
    return { AuthenticationMethod: structuredClone(method) };
  },

  DeleteApplicationAuthenticationMethod(call) {
    const { applicationArn, type } = target(call);
    return call.ic.state.mutate((s) => {
      const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
      if (!app.AuthenticationMethods[type]) throw notFound(call, missing(applicationArn, type));
      delete app.AuthenticationMethods[type];
      return {};
    });
  },

  /** No MaxResults in this model: one page. */
  ListApplicationAuthenticationMethods(call) {
    const app = findApplication(call.ic.state.read, call, call.input.ApplicationArn as string);
    const all = Object.entries(app.AuthenticationMethods).map(([AuthenticationMethodType, AuthenticationMethod]) => ({ AuthenticationMethodType, AuthenticationMethod: structuredClone(AuthenticationMethod) }));
    return paginate(call, all);
  },
};
