import type { ApplicationRecord, InstanceRecord } from '../state/model.js';
import { arns, ids, instanceIdOf } from '../state/ids.js';
import { findApplicationProvider } from './application-provider-operations.js';
import { idempotent } from './client-token.js';
import { findApplication, findInstance, identityStoreArnOf } from './sso-admin-lookup.js';
import type { SsoAdminHandlers } from './sso-admin-operation.js';
import { paginate } from './sso-admin-pagination.js';

/**
 * Customer-managed applications. An application's ARN carries the account that created it, which
 * is also its ApplicationAccount; its grants, authentication methods, access scopes and
 * assignments live on its record and go with it when it is deleted.
 */

/** The Application shape (ListApplications) and DescribeApplication's output: the same members. */
export function applicationOutput(app: ApplicationRecord, instance: InstanceRecord): Record<string, unknown> {
  return {
    ApplicationArn: app.ApplicationArn,
    ApplicationProviderArn: app.ApplicationProviderArn,
    Name: app.Name,
    ApplicationAccount: app.ApplicationAccount,
    InstanceArn: app.InstanceArn,
    IdentityStoreArn: identityStoreArnOf(instance),
    Status: app.Status,
    ...(app.PortalOptions ? { PortalOptions: structuredClone(app.PortalOptions) } : {}),
    ...(app.Description !== undefined ? { Description: app.Description } : {}),
    CreatedDate: app.CreatedDate,
    ...(app.CreatedFrom ? { CreatedFrom: app.CreatedFrom } : {}),
  };
}

interface CreateInput {
  InstanceArn: string;
  ApplicationProviderArn: string;
  Name: string;
  Description?: string;
  PortalOptions?: ApplicationRecord['PortalOptions'];
  Tags?: ApplicationRecord['Tags'];
  Status?: ApplicationRecord['Status'];
  ClientToken?: string;
}

interface UpdateInput {
  ApplicationArn: string;
  Name?: string;
  Description?: string;
  Status?: ApplicationRecord['Status'];
  /** UpdateApplicationPortalOptions: SignInOptions only; Visibility stays as it was. */
  PortalOptions?: { SignInOptions?: NonNullable<ApplicationRecord['PortalOptions']>['SignInOptions'] };
}

export const applicationHandlers: SsoAdminHandlers = {
  CreateApplication(call) {
    const input = call.input as unknown as CreateInput;
    return call.ic.state.mutate((s) =>
      idempotent(s, call, input.ClientToken, () => {
        const instance = findInstance(s, call, input.InstanceArn);
        findApplicationProvider(call, input.ApplicationProviderArn);
        const arn = arns.application(call.accountId, instanceIdOf(instance.InstanceArn)!, ids.applicationId());
        s.applications[arn] = {
          ApplicationArn: arn,
          ApplicationProviderArn: input.ApplicationProviderArn,
          InstanceArn: instance.InstanceArn,
          ApplicationAccount: call.accountId,
          Name: input.Name,
          ...(input.Description !== undefined ? { Description: input.Description } : {}),
          Status: input.Status ?? 'ENABLED',
          ...(input.PortalOptions ? { PortalOptions: input.PortalOptions } : {}),
          CreatedDate: call.now(),
          CreatedFrom: call.ctx.region,
          Tags: input.Tags ?? [],
          Grants: {},
          AuthenticationMethods: {},
          AccessScopes: {},
          Assignments: [],
          AssignmentRequired: true,
          // Its OAuth client id (the idTokens' aud) exists from creation, as a real application's does.
          OAuthClientId: ids.oauthClientId(call.ctx.region),
        };
        return { ApplicationArn: arn, InstanceArn: instance.InstanceArn, IdentityStoreArn: identityStoreArnOf(instance) };
      }),
    );
  },

  DescribeApplication(call) {
    const state = call.ic.state.read;
    const app = findApplication(state, call, call.input.ApplicationArn as string);
    return applicationOutput(app, state.instances[app.InstanceArn]!);
  },

  UpdateApplication(call) {
    const input = call.input as unknown as UpdateInput;
    return call.ic.state.mutate((s) => {
      const app = s.applications[findApplication(s, call, input.ApplicationArn).ApplicationArn]!;
      if (input.Name !== undefined) app.Name = input.Name;
      if (input.Description !== undefined) app.Description = input.Description;
      if (input.Status !== undefined) app.Status = input.Status;
      if (input.PortalOptions?.SignInOptions) app.PortalOptions = { ...app.PortalOptions, SignInOptions: input.PortalOptions.SignInOptions };
      return {};
    });
  },

  DeleteApplication(call) {
    return call.ic.state.mutate((s) => {
      delete s.applications[findApplication(s, call, call.input.ApplicationArn as string).ApplicationArn];
      return {};
    });
  },

  ListApplications(call) {
    const filter = call.input.Filter as { ApplicationAccount?: string; ApplicationProvider?: string } | undefined;
    const state = call.ic.state.read;
    const instance = findInstance(state, call, call.input.InstanceArn as string);
    const all = Object.values(state.applications).filter(
      (a) =>
        a.InstanceArn === instance.InstanceArn &&
        (filter?.ApplicationAccount === undefined || a.ApplicationAccount === filter.ApplicationAccount) &&
        (filter?.ApplicationProvider === undefined || a.ApplicationProviderArn === filter.ApplicationProvider),
    );
    return paginate(call, all.map((a) => applicationOutput(a, instance)));
  },
};
