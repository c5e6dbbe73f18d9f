import type { IdentityCenter } from '../identity-center.js';
import type { InstanceRecord } from '../state/model.js';
import { rememberClientToken, replayClientToken } from './client-token.js';
import { findInstance, identityStoreArnOf, isVisibleTo } from './sso-admin-lookup.js';
import { conflict, invalid, type SsoAdminHandlers } from './sso-admin-operation.js';
import { paginate } from './sso-admin-pagination.js';

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
    Name: instance.Name,
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

type KeyType = NonNullable<InstanceRecord['EncryptionConfiguration']>['KeyType'];

export const instanceHandlers: SsoAdminHandlers = {
  CreateInstance(call) {
    const { Name: name, ClientToken: clientToken, Tags: tags } = call.input as { Name?: string; ClientToken?: string; Tags?: InstanceRecord['Tags'] };
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
  },

  DescribeInstance(call) {
    const instance = findInstance(call.ic.state.read, call, call.input.InstanceArn as string);
    const encryption = instance.EncryptionConfiguration;
    return { ...instanceMetadata(instance), EncryptionConfigurationDetails: encryption && { ...encryption, EncryptionStatus: 'ENABLED' } };
  },

  ListInstances(call) {
    const visible = Object.values(call.ic.state.read.instances).filter((i) => isVisibleTo(i, call.accountId));
    return paginate(call, visible.map(instanceMetadata));
  },

  UpdateInstance(call) {
    const { InstanceArn: arn, Name: name, EncryptionConfiguration: encryption } = call.input as { InstanceArn: string; Name?: string; EncryptionConfiguration?: { KeyType: KeyType; KmsKeyArn?: string } };
    // Which key goes with which type is the service's rule, not the model's (assumed).
    if (encryption?.KeyType === 'CUSTOMER_MANAGED_KEY' && encryption.KmsKeyArn === undefined) throw invalid('KmsKeyArn is required when KeyType is CUSTOMER_MANAGED_KEY');
    if (encryption?.KeyType === 'AWS_OWNED_KMS_KEY' && encryption.KmsKeyArn !== undefined) throw invalid('KmsKeyArn must not be set when KeyType is AWS_OWNED_KMS_KEY');
    return call.ic.state.mutate((s) => {
      const instance = s.instances[findInstance(s, call, arn).InstanceArn]!;
      if (name !== undefined) instance.Name = name;
      if (encryption) instance.EncryptionConfiguration = { KeyType: encryption.KeyType, ...(encryption.KmsKeyArn ? { KmsKeyArn: encryption.KmsKeyArn } : {}) };
      return {};
    });
  },

  DeleteInstance(call) {
    return call.ic.state.mutate((s) => {
      const instance = findInstance(s, call, call.input.InstanceArn as string);
      if (instance.InstanceType === 'ORGANIZATION') {
        throw invalid(`The organization instance ${instance.InstanceArn} cannot be deleted with DeleteInstance`);
      }
      for (const [appArn, app] of Object.entries(s.applications)) if (app.InstanceArn === instance.InstanceArn) delete s.applications[appArn];
      for (const [ttiArn, tti] of Object.entries(s.trustedTokenIssuers)) if (tti.InstanceArn === instance.InstanceArn) delete s.trustedTokenIssuers[ttiArn];
      delete s.identityStores[instance.IdentityStoreId];
      delete s.instances[instance.InstanceArn];
      return {};
    });
  },
};
