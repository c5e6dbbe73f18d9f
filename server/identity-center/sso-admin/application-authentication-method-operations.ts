import { InputValidator } from '../../aws/input-validator.js';
import { paginate } from './paginate.js';
import { readPageRequest, readUnion } from './read-members.js';
import { findApplication } from './sso-admin-lookup.js';
import { notFound, operation, type SsoAdminOperation } from './sso-admin-operation.js';
import { shapes } from './sso-admin-shapes.js';

/**
 * An application's authentication methods: who may call CreateTokenWithIAM for it. The only type is
 * IAM, `{ Iam: { ActorPolicy } }`; ActorPolicy is a Smithy document (any JSON value on the wire),
 * kept exactly as sent and returned exactly as kept. Whether it is a sound IAM policy is for the
 * token exchange to find out (not checked here; assumed).
 */

const readTarget = (v: InputValidator) => ({
  applicationArn: v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn })!,
  type: v.string('AuthenticationMethodType', { required: true, ...shapes.AuthenticationMethodType }) as 'IAM',
});

const missing = (applicationArn: string, type: string) => `Authentication method ${type} does not exist for application ${applicationArn}`;

const putApplicationAuthenticationMethod = operation('PutApplicationAuthenticationMethod', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, type } = readTarget(v);
  const method = v.structure('AuthenticationMethod', { required: true });
  const member = readUnion(v, 'AuthenticationMethod', method, ['Iam'] as const);
  const iam = member && v.structure('AuthenticationMethod.Iam', {}, method!.Iam);
  if (iam && (iam.ActorPolicy === undefined || iam.ActorPolicy === null)) v.fail('AuthenticationMethod.Iam.ActorPolicy', null, 'Member must not be null');
  v.done();
  return call.ic.state.mutate((s) => {
    const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
    app.AuthenticationMethods[type] = { Iam: { ActorPolicy: iam!.ActorPolicy } };
    return {};
  });
});

const getApplicationAuthenticationMethod = operation('GetApplicationAuthenticationMethod', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, type } = readTarget(v);
  v.done();
  const method = findApplication(call.ic.state.read, call, applicationArn).AuthenticationMethods[type];
  if (!method) throw notFound(call, missing(applicationArn, type));
  return { AuthenticationMethod: structuredClone(method) };
});

const deleteApplicationAuthenticationMethod = operation('DeleteApplicationAuthenticationMethod', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, type } = readTarget(v);
  v.done();
  return call.ic.state.mutate((s) => {
    const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
    if (!app.AuthenticationMethods[type]) throw notFound(call, missing(applicationArn, type));
    delete app.AuthenticationMethods[type];
    return {};
  });
});

/** No MaxResults in this model: one page. */
const listApplicationAuthenticationMethods = operation('ListApplicationAuthenticationMethods', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const applicationArn = v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn });
  const page = readPageRequest(v, { defaultMax: shapes.AuthenticationMethodType.enum.length });
  v.done();
  const app = findApplication(call.ic.state.read, call, applicationArn!);
  const all = Object.entries(app.AuthenticationMethods).map(([AuthenticationMethodType, AuthenticationMethod]) => ({ AuthenticationMethodType, AuthenticationMethod: structuredClone(AuthenticationMethod) }));
  const { items, nextToken } = paginate(all, (m) => m.AuthenticationMethodType, page, `ListApplicationAuthenticationMethods/${app.ApplicationArn}`);
  return { AuthenticationMethods: items, ...(nextToken ? { NextToken: nextToken } : {}) };
});

export const applicationAuthenticationMethodOperations: SsoAdminOperation[] = [
  putApplicationAuthenticationMethod,
  getApplicationAuthenticationMethod,
  deleteApplicationAuthenticationMethod,
  listApplicationAuthenticationMethods,
];
