import { randomUUID } from 'node:crypto';
import type { AwsCallContext } from '../aws/aws-registry.js';
import type { ModelCall, ModelHandler } from '../aws/model/model-service.js';
import type { AccessGrantRecord, AccessGrantsInstanceRecord, AccessGrantsLocationRecord, IdentityCenterState } from '../identity-center/state/model.js';
import { arns, ids, instanceIdOf } from '../identity-center/state/ids.js';
import { accessGrantsError, type AccessGrantsFailureKey } from './access-grants-error.js';
import { grantScopeOf, isLocationScope } from './grant-scope.js';

type Call = ModelCall<AwsCallContext>;
type Tags = { Key: string; Value: string }[];

const profileOf = (call: Call) => call.ctx.lab.ssoOidc.profile;
export const refuse = (call: Call, key: AccessGrantsFailureKey, detail: string, vars: Record<string, string> = {}) => accessGrantsError(profileOf(call), key, vars, detail);
const nowSeconds = (call: Call) => Math.floor(call.ctx.lab.clock.now() / 1000);

/**
 * The account the request names (x-amz-account-id, required by the model although the SDK's schema
 * does not mark it) — which must be the caller's own: the lab does not emulate cross-account access.
 */
export function requestAccount(call: Call): string {
  const vended = call.ctx.principal.sessionContext?.['lab:access_grants'] as { scope?: string; actions?: string[] } | undefined;
  if (vended) {
    throw refuse(call, 'request.vended_credentials', `${call.ctx.principal.accessKeyId} was vended by GetDataAccess: its session policy allows ${vended.actions?.join(', ') ?? 'S3 object actions'} on ${vended.scope ?? 'the grant scope'} only, no S3 Control action`);
  }
  const account = call.input.AccountId as string | undefined;
  if (account === undefined) {
    throw refuse(call, 'request.invalid', 'the x-amz-account-id header is missing', { detail: "1 validation error detected: Value null at 'accountId' failed to satisfy constraint: Member must not be null" });
  }
  if (account !== call.ctx.principal.accountId) {
    throw refuse(call, 'request.wrong_account', `x-amz-account-id ${account} is not the caller's account ${call.ctx.principal.accountId} (${call.ctx.principal.arn}); the lab does not emulate cross-account access to an S3 Access Grants instance`);
  }
  return account;
}

export function instanceOf(call: Call, state: IdentityCenterState, account: string): AccessGrantsInstanceRecord {
  const instance = state.accessGrants?.[account];
  if (!instance) throw refuse(call, 'instance.not_found', `account ${account} has no S3 Access Grants instance in ${call.ctx.lab.aws.region}; create one with CreateAccessGrantsInstance`);
  return instance;
}

const instanceArn = (call: Call, account: string) => `arn:aws:s3:${call.ctx.lab.aws.region}:${account}:access-grants/default`;

function checkIdentityCenter(call: Call, arn: string): string {
  const instances = call.ctx.lab.identityCenter.state.read.instances;
  if (!Object.hasOwn(instances, arn)) {
    const id = instanceIdOf(arn);
    const near = id ? Object.keys(instances).find((a) => instanceIdOf(a) === id) : undefined;
    throw refuse(call, 'identity_center.invalid', `${arn} is not an Identity Center instance of this lab${near ? `; did you mean ${near}?` : ''} (instances: ${Object.keys(instances).join(', ')})`);
  }
  return arn;
}

/** The application Identity Center holds for an associated S3 Access Grants instance (an ARN in its form; not an SSO Admin application in the lab). */
const identityCenterApplicationArn = (identityCenterArn: string, account: string) => arns.application(account, instanceIdOf(identityCenterArn) ?? 'ssoins-0000000000000000', ids.applicationId());

function instanceOutput(i: AccessGrantsInstanceRecord) {
  return {
    AccessGrantsInstanceId: i.AccessGrantsInstanceId,
    AccessGrantsInstanceArn: i.AccessGrantsInstanceArn,
    CreatedAt: i.CreatedAt,
    ...(i.IdentityCenterArn ? { IdentityCenterArn: i.IdentityCenterArn, IdentityCenterInstanceArn: i.IdentityCenterArn, IdentityCenterApplicationArn: i.IdentityCenterApplicationArn } : {}),
  };
}

const createAccessGrantsInstance: ModelHandler = async (call) => {
  const account = requestAccount(call);
  const identityCenterArn = call.input.IdentityCenterArn as string | undefined;
  if (identityCenterArn !== undefined) checkIdentityCenter(call, identityCenterArn);
  const created = await call.ctx.lab.identityCenter.state.mutate((s) => {
    s.accessGrants ??= {};
    if (s.accessGrants[account]) return undefined;
    const record: AccessGrantsInstanceRecord = {
      AccessGrantsInstanceId: 'default',
      AccessGrantsInstanceArn: instanceArn(call, account),
      AccountId: account,
      CreatedAt: nowSeconds(call),
      Tags: (call.input.Tags as Tags | undefined) ?? [],
      Locations: {},
      Grants: {},
      ...(identityCenterArn ? { IdentityCenterArn: identityCenterArn, IdentityCenterApplicationArn: identityCenterApplicationArn(identityCenterArn, account) } : {}),
    };
    s.accessGrants[account] = record;
    return record;
  });
  if (!created) throw refuse(call, 'instance.exists', `account ${account} already has its S3 Access Grants instance (one per account and Region)`);
  return instanceOutput(created);
};

const getAccessGrantsInstance: ModelHandler = (call) => instanceOutput(instanceOf(call, call.ctx.lab.identityCenter.state.read, requestAccount(call)));

const listAccessGrantsInstances: ModelHandler = (call) => {
  const account = requestAccount(call);
  const instance = call.ctx.lab.identityCenter.state.read.accessGrants?.[account];
  return { AccessGrantsInstancesList: instance ? [instanceOutput(instance)] : [] };
};

const deleteAccessGrantsInstance: ModelHandler = async (call) => {
  const account = requestAccount(call);
  await call.ctx.lab.identityCenter.state.mutate((s) => {
    const instance = instanceOf(call, s, account);
    if (Object.keys(instance.Locations).length > 0) throw refuse(call, 'instance.not_empty', `the instance still has ${Object.keys(instance.Locations).length} location(s); delete them first`);
    delete s.accessGrants![account];
  });
  return {};
};

const associateAccessGrantsIdentityCenter: ModelHandler = async (call) => {
  const account = requestAccount(call);
  const arn = checkIdentityCenter(call, call.input.IdentityCenterArn as string);
  await call.ctx.lab.identityCenter.state.mutate((s) => {
    const instance = instanceOf(call, s, account);
    if (instance.IdentityCenterArn !== arn) {
      instance.IdentityCenterArn = arn;
      instance.IdentityCenterApplicationArn = identityCenterApplicationArn(arn, account);
    }
  });
  return {};
};

const dissociateAccessGrantsIdentityCenter: ModelHandler = async (call) => {
  const account = requestAccount(call);
  await call.ctx.lab.identityCenter.state.mutate((s) => {
    const instance = instanceOf(call, s, account);
    delete instance.IdentityCenterArn;
    delete instance.IdentityCenterApplicationArn;
  });
  return {};
};

// ---- locations ----

const locationOutput = (l: AccessGrantsLocationRecord) => ({
  CreatedAt: l.CreatedAt,
  AccessGrantsLocationId: l.AccessGrantsLocationId,
  AccessGrantsLocationArn: l.AccessGrantsLocationArn,
  LocationScope: l.LocationScope,
  IAMRoleArn: l.IAMRoleArn,
});

function locationOf(call: Call, instance: AccessGrantsInstanceRecord, id: string): AccessGrantsLocationRecord {
  const location = Object.hasOwn(instance.Locations, id) ? instance.Locations[id] : undefined;
  if (!location) throw refuse(call, 'location.not_found', `no location ${id} in the instance (locations: ${Object.keys(instance.Locations).join(', ') || 'none'})`);
  return location;
}

const createAccessGrantsLocation: ModelHandler = async (call) => {
  const account = requestAccount(call);
  const scope = call.input.LocationScope as string;
  if (!isLocationScope(scope)) throw refuse(call, 'location.invalid', `LocationScope ${JSON.stringify(scope)} is not s3://, s3://<bucket> or s3://<bucket>/<prefix> (no wildcard)`);
  const created = await call.ctx.lab.identityCenter.state.mutate((s) => {
    const instance = instanceOf(call, s, account);
    const existing = Object.values(instance.Locations).find((l) => l.LocationScope === scope);
    if (existing) throw refuse(call, 'location.exists', `location ${existing.AccessGrantsLocationId} already has the scope ${scope}`);
    const id = scope === 's3://' ? 'default' : randomUUID();
    const record: AccessGrantsLocationRecord = {
      AccessGrantsLocationId: id,
      AccessGrantsLocationArn: `${instance.AccessGrantsInstanceArn}/location/${id}`,
      LocationScope: scope,
      IAMRoleArn: call.input.IAMRoleArn as string,
      CreatedAt: nowSeconds(call),
      Tags: (call.input.Tags as Tags | undefined) ?? [],
    };
    instance.Locations[id] = record;
    return record;
  });
  return locationOutput(created);
};

const getAccessGrantsLocation: ModelHandler = (call) => {
  const instance = instanceOf(call, call.ctx.lab.identityCenter.state.read, requestAccount(call));
  return locationOutput(locationOf(call, instance, call.input.AccessGrantsLocationId as string));
};

const updateAccessGrantsLocation: ModelHandler = async (call) => {
  const account = requestAccount(call);
  const updated = await call.ctx.lab.identityCenter.state.mutate((s) => {
    const location = locationOf(call, instanceOf(call, s, account), call.input.AccessGrantsLocationId as string);
    location.IAMRoleArn = call.input.IAMRoleArn as string;
    return { ...location };
  });
  return locationOutput(updated);
};

const deleteAccessGrantsLocation: ModelHandler = async (call) => {
  const account = requestAccount(call);
  const id = call.input.AccessGrantsLocationId as string;
  await call.ctx.lab.identityCenter.state.mutate((s) => {
    const instance = instanceOf(call, s, account);
    locationOf(call, instance, id);
    const grants = Object.values(instance.Grants).filter((g) => g.AccessGrantsLocationId === id);
    if (grants.length > 0) throw refuse(call, 'location.not_empty', `location ${id} still has ${grants.length} grant(s): ${grants.map((g) => g.AccessGrantId).join(', ')}`);
    delete instance.Locations[id];
  });
  return {};
};

export const paginate = <T>(items: T[], call: Call): { page: T[]; NextToken?: string } => {
  const token = call.input.NextToken as string | undefined;
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw refuse(call, 'request.invalid', `NextToken ${JSON.stringify(token)} is not one this lab issued`, { detail: 'The continuation token provided is incorrect' });
  const max = (call.input.MaxResults as number | undefined) || 1000;
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return { page, ...(next ? { NextToken: next } : {}) };
};

const listAccessGrantsLocations: ModelHandler = (call) => {
  const instance = instanceOf(call, call.ctx.lab.identityCenter.state.read, requestAccount(call));
  const scope = call.input.LocationScope as string | undefined;
  const all = Object.values(instance.Locations).filter((l) => scope === undefined || l.LocationScope === scope);
  const { page, NextToken } = paginate(all, call);
  return { AccessGrantsLocationsList: page.map(locationOutput), ...(NextToken ? { NextToken } : {}) };
};

// ---- grants ----

export const grantOutput = (g: AccessGrantRecord) => ({
  CreatedAt: g.CreatedAt,
  AccessGrantId: g.AccessGrantId,
  AccessGrantArn: g.AccessGrantArn,
  Grantee: g.Grantee,
  Permission: g.Permission,
  AccessGrantsLocationId: g.AccessGrantsLocationId,
  ...(g.AccessGrantsLocationConfiguration ? { AccessGrantsLocationConfiguration: g.AccessGrantsLocationConfiguration } : {}),
  GrantScope: g.GrantScope,
  ...(g.ApplicationArn ? { ApplicationArn: g.ApplicationArn } : {}),
});

/** A grantee the instance can hold: a user or group of its Identity Center's identity store, or an IAM user or role ARN. */
function checkGrantee(call: Call, instance: AccessGrantsInstanceRecord, grantee: AccessGrantRecord['Grantee']): void {
  const { GranteeType: type, GranteeIdentifier: id } = grantee;
  if (type === 'IAM') {
    if (!/^arn:aws:iam::\d{12}:(user|role)\/.+/.test(id)) throw refuse(call, 'grant.invalid', `an IAM grantee is an IAM user or role ARN; got ${JSON.stringify(id)}`);
    return;
  }
  if (!instance.IdentityCenterArn) throw refuse(call, 'grant.invalid', `a ${type} grantee needs the instance associated with Identity Center (CreateAccessGrantsInstance IdentityCenterArn, or AssociateAccessGrantsIdentityCenter)`);
  const ic = call.ctx.lab.identityCenter.state.read.instances[instance.IdentityCenterArn];
  const store = ic ? call.ctx.lab.identityCenter.state.read.identityStores[ic.IdentityStoreId] : undefined;
  const found = type === 'DIRECTORY_USER' ? store && Object.hasOwn(store.Users, id) : store && Object.hasOwn(store.Groups, id);
  if (!found) throw refuse(call, 'grant.invalid', `${id} is no ${type === 'DIRECTORY_USER' ? 'user' : 'group'} of identity store ${ic?.IdentityStoreId ?? '(none)'} of ${instance.IdentityCenterArn}; grantees are Identity Store ${type === 'DIRECTORY_USER' ? 'UserIds' : 'GroupIds'}`);
}

const createAccessGrant: ModelHandler = async (call) => {
  const account = requestAccount(call);
  const grantee = call.input.Grantee as AccessGrantRecord['Grantee'];
  if (!grantee.GranteeType || !grantee.GranteeIdentifier) throw refuse(call, 'request.invalid', 'Grantee needs GranteeType and GranteeIdentifier', { detail: "1 validation error detected: Value null at 'grantee.granteeType' failed to satisfy constraint: Member must not be null" });
  const config = call.input.AccessGrantsLocationConfiguration as { S3SubPrefix?: string } | undefined;
  const created = await call.ctx.lab.identityCenter.state.mutate((s) => {
    const instance = instanceOf(call, s, account);
    const location = locationOf(call, instance, call.input.AccessGrantsLocationId as string);
    if (location.LocationScope === 's3://' && !config?.S3SubPrefix) throw refuse(call, 'grant.invalid', 'a grant on the default location s3:// needs AccessGrantsLocationConfiguration.S3SubPrefix (<bucket>/* or <bucket>/<prefix>*): a grant cannot cover all of your S3 data');
    checkGrantee(call, instance, grantee);
    const scope = grantScopeOf(location.LocationScope, config?.S3SubPrefix);
    const permission = call.input.Permission as AccessGrantRecord['Permission'];
    const same = Object.values(instance.Grants).find((g) => g.GrantScope === scope && g.Permission === permission && g.Grantee.GranteeType === grantee.GranteeType && g.Grantee.GranteeIdentifier === grantee.GranteeIdentifier);
    if (same) throw refuse(call, 'grant.exists', `grant ${same.AccessGrantId} already gives ${grantee.GranteeType} ${grantee.GranteeIdentifier} ${permission} on ${scope}`);
    const id = randomUUID();
    const record: AccessGrantRecord = {
      AccessGrantId: id,
      AccessGrantArn: `${instance.AccessGrantsInstanceArn}/grant/${id}`,
      Grantee: { GranteeType: grantee.GranteeType, GranteeIdentifier: grantee.GranteeIdentifier },
      Permission: permission,
      AccessGrantsLocationId: location.AccessGrantsLocationId,
      ...(config?.S3SubPrefix ? { AccessGrantsLocationConfiguration: { S3SubPrefix: config.S3SubPrefix } } : {}),
      GrantScope: scope,
      ...(call.input.ApplicationArn ? { ApplicationArn: call.input.ApplicationArn as string } : {}),
      ...(call.input.S3PrefixType ? { S3PrefixType: 'Object' as const } : {}),
      CreatedAt: nowSeconds(call),
      Tags: (call.input.Tags as Tags | undefined) ?? [],
    };
    instance.Grants[id] = record;
    return record;
  });
  return grantOutput(created);
};

function grantOf(call: Call, instance: AccessGrantsInstanceRecord, id: string): AccessGrantRecord {
  const grant = Object.hasOwn(instance.Grants, id) ? instance.Grants[id] : undefined;
  if (!grant) throw refuse(call, 'grant.not_found', `no grant ${id} in the instance`);
  return grant;
}

const getAccessGrant: ModelHandler = (call) => grantOutput(grantOf(call, instanceOf(call, call.ctx.lab.identityCenter.state.read, requestAccount(call)), call.input.AccessGrantId as string));

const deleteAccessGrant: ModelHandler = async (call) => {
  const account = requestAccount(call);
  await call.ctx.lab.identityCenter.state.mutate((s) => {
    const instance = instanceOf(call, s, account);
    grantOf(call, instance, call.input.AccessGrantId as string);
    delete instance.Grants[call.input.AccessGrantId as string];
  });
  return {};
};

const listAccessGrants: ModelHandler = (call) => {
  const instance = instanceOf(call, call.ctx.lab.identityCenter.state.read, requestAccount(call));
  const i = call.input;
  const all = Object.values(instance.Grants).filter(
    (g) =>
      (i.GranteeType === undefined || g.Grantee.GranteeType === i.GranteeType) &&
      (i.GranteeIdentifier === undefined || g.Grantee.GranteeIdentifier === i.GranteeIdentifier) &&
      (i.Permission === undefined || g.Permission === i.Permission) &&
      (i.GrantScope === undefined || g.GrantScope === i.GrantScope) &&
      (i.ApplicationArn === undefined || g.ApplicationArn === i.ApplicationArn),
  );
  const { page, NextToken } = paginate(all, call);
  return { AccessGrantsList: page.map(grantOutput), ...(NextToken ? { NextToken } : {}) };
};

/** The control-plane operations of S3 Access Grants the lab implements. */
export const ACCESS_GRANTS_OPERATIONS: Record<string, ModelHandler> = {
  CreateAccessGrantsInstance: createAccessGrantsInstance,
  GetAccessGrantsInstance: getAccessGrantsInstance,
  ListAccessGrantsInstances: listAccessGrantsInstances,
  DeleteAccessGrantsInstance: deleteAccessGrantsInstance,
  AssociateAccessGrantsIdentityCenter: associateAccessGrantsIdentityCenter,
  DissociateAccessGrantsIdentityCenter: dissociateAccessGrantsIdentityCenter,
  CreateAccessGrantsLocation: createAccessGrantsLocation,
  GetAccessGrantsLocation: getAccessGrantsLocation,
  UpdateAccessGrantsLocation: updateAccessGrantsLocation,
  DeleteAccessGrantsLocation: deleteAccessGrantsLocation,
  ListAccessGrantsLocations: listAccessGrantsLocations,
  CreateAccessGrant: createAccessGrant,
  GetAccessGrant: getAccessGrant,
  DeleteAccessGrant: deleteAccessGrant,
  ListAccessGrants: listAccessGrants,
};
