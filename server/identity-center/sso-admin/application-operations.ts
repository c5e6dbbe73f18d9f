import { InputValidator } from '../../aws/input-validator.js';
import type { ApplicationRecord, InstanceRecord } from '../state/model.js';
import { arns, ids, instanceIdOf } from '../state/ids.js';
import { findApplicationProvider } from './application-provider-operations.js';
import { idempotent } from './client-token.js';
import { paginate } from './paginate.js';
import { readPageRequest, readPortalOptions, readTags } from './read-members.js';
import { findApplication, findInstance, identityStoreArnOf } from './sso-admin-lookup.js';
import { operation, type SsoAdminOperation } from './sso-admin-operation.js';
import { outputListMax, shapes } from './sso-admin-shapes.js';

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

const createApplication = operation('CreateApplication', ['ServiceQuotaExceededException', 'ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const instanceArn = v.string('InstanceArn', { required: true, ...shapes.InstanceArn });
  const providerArn = v.string('ApplicationProviderArn', { required: true, ...shapes.ApplicationProviderArn });
  const name = v.string('Name', { required: true, ...shapes.ApplicationNameType });
  const description = v.string('Description', shapes.Description);
  const portalOptions = readPortalOptions(v, 'PortalOptions', call.input.PortalOptions, 'create');
  const tags = readTags(v);
  const status = v.string('Status', shapes.ApplicationStatus);
  const clientToken = v.string('ClientToken', shapes.ClientToken);
  v.done();
  return call.ic.state.mutate((s) =>
    idempotent(s, call, clientToken, () => {
      const instance = findInstance(s, call, instanceArn!);
      findApplicationProvider(call, providerArn!);
      const arn = arns.application(call.accountId, instanceIdOf(instance.InstanceArn)!, ids.applicationId());
      s.applications[arn] = {
        ApplicationArn: arn,
        ApplicationProviderArn: providerArn!,
        InstanceArn: instance.InstanceArn,
        ApplicationAccount: call.accountId,
        Name: name!,
        ...(description !== undefined ? { Description: description } : {}),
        Status: (status as ApplicationRecord['Status'] | undefined) ?? 'ENABLED',
        ...(portalOptions ? { PortalOptions: portalOptions } : {}),
        CreatedDate: call.now(),
        CreatedFrom: call.ctx.region,
        Tags: tags ?? [],
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
});

const describeApplication = operation('DescribeApplication', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const arn = v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn });
  v.done();
  const state = call.ic.state.read;
  const app = findApplication(state, call, arn!);
  return applicationOutput(app, state.instances[app.InstanceArn]!);
});

/** PortalOptions here is UpdateApplicationPortalOptions: SignInOptions only; Visibility stays as it was. */
const updateApplication = operation('UpdateApplication', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const arn = v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn });
  const name = v.string('Name', shapes.ApplicationNameType);
  const description = v.string('Description', shapes.Description);
  const status = v.string('Status', shapes.ApplicationStatus);
  const portalOptions = readPortalOptions(v, 'PortalOptions', call.input.PortalOptions, 'update');
  v.done();
  return call.ic.state.mutate((s) => {
    const app = s.applications[findApplication(s, call, arn!).ApplicationArn]!;
    if (name !== undefined) app.Name = name;
    if (description !== undefined) app.Description = description;
    if (status !== undefined) app.Status = status as ApplicationRecord['Status'];
    if (portalOptions?.SignInOptions) app.PortalOptions = { ...app.PortalOptions, SignInOptions: portalOptions.SignInOptions };
    return {};
  });
});

const deleteApplication = operation('DeleteApplication', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const arn = v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn });
  v.done();
  return call.ic.state.mutate((s) => {
    delete s.applications[findApplication(s, call, arn!).ApplicationArn];
    return {};
  });
});

const listApplications = operation('ListApplications', [], (call) => {
  const v = new InputValidator(call.input);
  const instanceArn = v.string('InstanceArn', { required: true, ...shapes.InstanceArn });
  const page = readPageRequest(v, { maxShape: shapes.MaxResults, defaultMax: outputListMax.ApplicationList, outputMax: outputListMax.ApplicationList });
  const filter = v.structure('Filter');
  const account = filter && v.string('Filter.ApplicationAccount', shapes.AccountId, filter.ApplicationAccount);
  const provider = filter && v.string('Filter.ApplicationProvider', shapes.ApplicationProviderArn, filter.ApplicationProvider);
  v.done();
  const state = call.ic.state.read;
  const instance = findInstance(state, call, instanceArn!);
  const all = Object.values(state.applications).filter(
    (a) => a.InstanceArn === instance.InstanceArn && (account === undefined || a.ApplicationAccount === account) && (provider === undefined || a.ApplicationProviderArn === provider),
  );
  const scope = `ListApplications/${instance.InstanceArn}/${account ?? ''}/${provider ?? ''}`;
  const { items, nextToken } = paginate(all, (a) => a.ApplicationArn, page, scope);
  return { Applications: items.map((a) => applicationOutput(a, instance)), ...(nextToken ? { NextToken: nextToken } : {}) };
});

export const applicationOperations: SsoAdminOperation[] = [createApplication, describeApplication, updateApplication, deleteApplication, listApplications];
