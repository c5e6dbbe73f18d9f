import type { ApplicationRecord, IdentityCenterState, InstanceRecord, TrustedTokenIssuerRecord } from '../state/model.js';
import { arns } from '../state/ids.js';
import { notFound, type SsoAdminCall } from './sso-admin-operation.js';

/**
 * Who sees which instance (assumed; docs/sso-admin.md): the organization instance is visible to
 * every account the lab knows (they are all treated as the organization's management account or
 * delegated administrators); an account instance only to the account that owns it. A resource is
 * visible when its instance is. What is not visible does not exist, as far as the caller can tell.
 */
export const isVisibleTo = (instance: InstanceRecord, accountId: string): boolean =>
  instance.InstanceType === 'ORGANIZATION' || instance.OwnerAccountId === accountId;

type State = Readonly<IdentityCenterState>;

export function findInstance(state: State, call: SsoAdminCall, instanceArn: string): InstanceRecord {
  const instance = state.instances[instanceArn];
  if (instance && isVisibleTo(instance, call.accountId)) return instance;
  throw notFound(call, `Instance ${instanceArn} does not exist`, instance ? `the instance belongs to account ${instance.OwnerAccountId}, not the caller's ${call.accountId}` : undefined);
}

export function findApplication(state: State, call: SsoAdminCall, applicationArn: string): ApplicationRecord {
  const app = state.applications[applicationArn];
  const instance = app && state.instances[app.InstanceArn];
  if (app && instance && isVisibleTo(instance, call.accountId)) return app;
  throw notFound(call, `Application ${applicationArn} does not exist`, instance ? `its instance belongs to account ${instance.OwnerAccountId}, not the caller's ${call.accountId}` : undefined);
}

/** A trusted token issuer; with `inInstance`, one of that instance only (a grant names issuers of its own instance). */
export function findTrustedTokenIssuer(state: State, call: SsoAdminCall, ttiArn: string, inInstance?: string): TrustedTokenIssuerRecord {
  const tti = state.trustedTokenIssuers[ttiArn];
  const instance = tti && state.instances[tti.InstanceArn];
  if (tti && instance && isVisibleTo(instance, call.accountId)) {
    if (inInstance === undefined || tti.InstanceArn === inInstance) return tti;
    throw notFound(call, `Trusted token issuer ${ttiArn} does not exist in instance ${inInstance}`, `it belongs to instance ${tti.InstanceArn}`);
  }
  throw notFound(call, `Trusted token issuer ${ttiArn} does not exist`);
}

export const identityStoreArnOf = (instance: InstanceRecord): string => arns.identityStore(instance.OwnerAccountId, instance.IdentityStoreId);
