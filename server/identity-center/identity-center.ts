import { join } from 'node:path';
import type { Clock } from '../../shared/clock.js';
import { StateStore } from '../state/state-store.js';
import { emptyState, type IdentityCenterState, type InstanceRecord } from './state/model.js';
import { arns, ids } from './state/ids.js';
import { DEFAULT_ACCOUNT_ID } from '../aws/aws-credentials.js';

export interface IdentityCenterOptions {
  /** Data dir, or null for in-memory. */
  dataDir: string | null;
  clock: Clock;
  region: string;
  /** Told what the state store did on its own (a torn journal record dropped …). */
  notice?: (message: string) => void;
}

/**
 * The Identity Center emulator's core: its persistent state (instances, trusted token issuers,
 * applications, identity stores) and the default organization instance that exists from the start.
 * The SSO Admin and Identity Store services operate on it; the token services read it.
 */
export class IdentityCenter {
  private constructor(
    readonly state: StateStore<IdentityCenterState>,
    readonly clock: Clock,
    readonly region: string,
  ) {}

  static async open(opts: IdentityCenterOptions): Promise<IdentityCenter> {
    const file = opts.dataDir ? join(opts.dataDir, 'state', 'identity-center.json') : null;
    const ic = new IdentityCenter(await StateStore.open(file, emptyState, undefined, { notice: opts.notice }), opts.clock, opts.region);
    if (Object.keys(ic.state.read.instances).length === 0) await ic.createInstance({ type: 'ORGANIZATION', ownerAccountId: DEFAULT_ACCOUNT_ID, name: 'tti-lab' });
    return ic;
  }

  /** The first organization instance (the one that exists from the start). */
  defaultInstance(): InstanceRecord {
    const all = Object.values(this.state.read.instances);
    return all.find((i) => i.InstanceType === 'ORGANIZATION') ?? all[0]!;
  }

  /** Creates an instance with its identity store, in one durable change. */
  createInstance(opts: { type: InstanceRecord['InstanceType']; ownerAccountId: string; name?: string; tags?: InstanceRecord['Tags'] }): Promise<InstanceRecord> {
    return this.state.mutate((s) => {
      const instance: InstanceRecord = {
        InstanceArn: arns.instance(ids.instanceId()),
        IdentityStoreId: ids.identityStoreId(),
        OwnerAccountId: opts.ownerAccountId,
        CreatedDate: Math.floor(this.clock.now() / 1000),
        Status: 'ACTIVE',
        InstanceType: opts.type,
        Tags: opts.tags ?? [],
        ...(opts.name !== undefined ? { Name: opts.name } : {}),
      };
      s.instances[instance.InstanceArn] = instance;
      s.identityStores[instance.IdentityStoreId] = { IdentityStoreId: instance.IdentityStoreId, Users: {}, Groups: {}, Memberships: {} };
      return instance;
    });
  }
}
