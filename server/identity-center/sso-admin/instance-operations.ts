import { InputValidator } from '../../aws/input-validator.js';
import type { IdentityCenter } from '../identity-center.js';
import type { InstanceRecord } from '../state/model.js';
import { rememberClientToken, replayClientToken } from './client-token.js';
import { paginate } from './paginate.js';
import { readPageRequest, readTags } from './read-members.js';
import { findInstance, identityStoreArnOf, isVisibleTo } from './sso-admin-lookup.js';
import { conflict, invalid, operation, type SsoAdminOperation } from './sso-admin-operation.js';
import { outputListMax, shapes } from './sso-admin-shapes.js';

/**
 * Instances: the organization instance that exists from the start, and account ("standalone")
 * instances made by CreateInstance. The instance type is kept by the lab only; the API has no
 * member for it.
 */

/** InstanceMetadata (ListInstances) — DescribeInstance adds EncryptionConfigurationDetails. */
export function instanceMetadata(instance: InstanceRecord): Record<string, unknown> {
  return {
    InstanceArn: instance.InstanceArn,
    IdentityStoreId: instance.IdentityStoreId,
    IdentityStoreArn: identityStoreArnOf(instance),
    OwnerAccountId: instance.OwnerAccountId,
    ...(instance.Name !== undefined ? { Name: instance.Name } : {}),
    CreatedDate: instance.CreatedDate,
    Status: instance.Status,
  };
}

/** CreateInstance calls of one Identity Center run one at a time: "one instance per account" is checked and acted on together. */
const createQueues = new WeakMap<IdentityCenter, Promise<unknown>>();
function oneAtATime<R>(ic: IdentityCenter, task: () => Promise<R>): Promise<R> {
  const run = (createQueues.get(ic) ?? Promise.resolve()).then(task);
  createQueues.set(ic, run.catch(() => undefined));
  return run;
}

const createInstance = operation('CreateInstance', ['ServiceQuotaExceededException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const name = v.string('Name', shapes.NameType);
  const clientToken = v.string('ClientToken', shapes.ClientToken);
  const tags = readTags(v);
  v.done();
  return oneAtATime(call.ic, async () => {
    const replay = replayClientToken(call.ic.state.read, call, clientToken);
    if (replay) return replay.result;
    // "You can create only one instance per account" (model documentation). The rule that the
    // organization's management account cannot create one is not applied: the lab's default
    // account owns the organization instance and may still make an account instance (assumed).
    const existing = Object.values(call.ic.state.read.instances).find((i) => i.InstanceType === 'ACCOUNT' && i.OwnerAccountId === call.accountId);
    if (existing) throw conflict(`Account ${call.accountId} already has an instance of IAM Identity Center: ${existing.InstanceArn}`);
    const instance = await call.ic.createInstance({ type: 'ACCOUNT', ownerAccountId: call.accountId, ...(name !== undefined ? { name } : {}), tags: tags ?? [] });
    const result = { InstanceArn: instance.InstanceArn };
    await call.ic.state.mutate((s) => rememberClientToken(s, call, clientToken, result));
    return result;
  });
});

const describeInstance = operation('DescribeInstance', [], (call) => {
  const v = new InputValidator(call.input);
  const arn = v.string('InstanceArn', { required: true, ...shapes.InstanceArn });
  v.done();
  const instance = findInstance(call.ic.state.read, call, arn!);
  const encryption = instance.EncryptionConfiguration;
  return {
    ...instanceMetadata(instance),
    ...(encryption ? { EncryptionConfigurationDetails: { ...encryption, EncryptionStatus: 'ENABLED' } } : {}),
  };
});

const listInstances = operation('ListInstances', [], (call) => {
  const v = new InputValidator(call.input);
  const page = readPageRequest(v, { maxShape: shapes.MaxResults, defaultMax: outputListMax.InstanceList, outputMax: outputListMax.InstanceList });
  v.done();
  const visible = Object.values(call.ic.state.read.instances).filter((i) => isVisibleTo(i, call.accountId));
  const { items, nextToken } = paginate(visible, (i) => i.InstanceArn, page, `ListInstances/${call.accountId}`);
  return { Instances: items.map(instanceMetadata), ...(nextToken ? { NextToken: nextToken } : {}) };
});

const updateInstance = operation('UpdateInstance', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const arn = v.string('InstanceArn', { required: true, ...shapes.InstanceArn });
  const name = v.string('Name', shapes.NameType);
  const encryption = v.structure('EncryptionConfiguration');
  const keyType = encryption && v.string('EncryptionConfiguration.KeyType', { required: true, ...shapes.KmsKeyType }, encryption.KeyType);
  const kmsKeyArn = encryption && v.string('EncryptionConfiguration.KmsKeyArn', shapes.KmsKeyArn, encryption.KmsKeyArn);
  v.done();
  // Which key goes with which type is the service's rule, not the model's (assumed).
  if (keyType === 'CUSTOMER_MANAGED_KEY' && kmsKeyArn === undefined) throw invalid('KmsKeyArn is required when KeyType is CUSTOMER_MANAGED_KEY');
  if (keyType === 'AWS_OWNED_KMS_KEY' && kmsKeyArn !== undefined) throw invalid('KmsKeyArn must not be set when KeyType is AWS_OWNED_KMS_KEY');
  return call.ic.state.mutate((s) => {
    const instance = s.instances[findInstance(s, call, arn!).InstanceArn]!;
    if (name !== undefined) instance.Name = name;
    if (keyType) instance.EncryptionConfiguration = { KeyType: keyType as 'AWS_OWNED_KMS_KEY' | 'CUSTOMER_MANAGED_KEY', ...(kmsKeyArn ? { KmsKeyArn: kmsKeyArn } : {}) };
    return {};
  });
});

const deleteInstance = operation('DeleteInstance', ['ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const arn = v.string('InstanceArn', { required: true, ...shapes.InstanceArn });
  v.done();
  return call.ic.state.mutate((s) => {
    const instance = findInstance(s, call, arn!);
    if (instance.InstanceType === 'ORGANIZATION') {
      throw invalid(`The organization instance ${instance.InstanceArn} cannot be deleted with DeleteInstance`);
    }
    for (const [appArn, app] of Object.entries(s.applications)) if (app.InstanceArn === instance.InstanceArn) delete s.applications[appArn];
    for (const [ttiArn, tti] of Object.entries(s.trustedTokenIssuers)) if (tti.InstanceArn === instance.InstanceArn) delete s.trustedTokenIssuers[ttiArn];
    delete s.identityStores[instance.IdentityStoreId];
    delete s.instances[instance.InstanceArn];
    return {};
  });
});

export const instanceOperations: SsoAdminOperation[] = [createInstance, describeInstance, listInstances, updateInstance, deleteInstance];
