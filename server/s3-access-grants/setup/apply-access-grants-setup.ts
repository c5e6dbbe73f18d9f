import { randomUUID } from 'node:crypto';
import { AwsError } from '../../aws/aws-error.js';
import type { AwsCallContext } from '../../aws/aws-registry.js';
import { runOperation } from '../../aws/model/model-service.js';
import { ConfigError } from '../../config/schema.js';
import type { LabServices } from '../../lab/lab-services.js';
import { grantScopeOf } from '../grant-scope.js';
import { withDocumentedErrors } from '../s3-control-service.js';
import type { AccessGrantsSetup } from './access-grants-setup-config.js';

/**
 * Applies `identity_center.s3_access_grants` through the lab's S3 Control operations, as the
 * account's root. A refusal becomes a ConfigError naming the file and the field.
 */
export async function applyAccessGrantsSetup(lab: LabServices, setup: AccessGrantsSetup | undefined, source: string): Promise<void> {
  if (!setup) return;
  const at = 'identity_center.s3_access_grants';
  const ic = lab.identityCenter;
  const account = setup.account ?? ic.defaultInstance().OwnerAccountId;
  const service = withDocumentedErrors(lab.ssoOidc.profile);
  const call = async (operation: string, input: Record<string, unknown>, path: string) => {
    const ctx: AwsCallContext = { principal: { accessKeyId: 'tti-lab-setup', accountId: account, arn: `arn:aws:iam::${account}:root` }, region: lab.aws.region, requestId: randomUUID(), lab };
    try {
      return ((await runOperation(service, operation, { AccountId: account, ...input }, ctx)) ?? {}) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof AwsError) throw new ConfigError(source, [{ path, message: `${operation} refused it: ${err.type}: ${err.message}${err.detail ? ` (${err.detail})` : ''}` }]);
      throw err;
    }
  };
  const instances = Object.values(ic.state.read.instances);
  const identityCenter = setup.identity_center === undefined ? ic.defaultInstance() : instances.find((i) => i.Name === setup.identity_center);
  if (!identityCenter) throw new ConfigError(source, [{ path: `${at}.identity_center`, message: `no Identity Center instance named "${setup.identity_center}"; instances: ${instances.map((i) => i.Name ?? i.InstanceArn).join(', ')}` }]);
  const existing = () => ic.state.read.accessGrants?.[account];
  if (!existing()) await call('CreateAccessGrantsInstance', { IdentityCenterArn: identityCenter.InstanceArn }, at);
  else if (existing()!.IdentityCenterArn !== identityCenter.InstanceArn) await call('AssociateAccessGrantsIdentityCenter', { IdentityCenterArn: identityCenter.InstanceArn }, `${at}.identity_center`);
  for (const [k, l] of (setup.locations ?? []).entries()) {
    if (Object.values(existing()!.Locations).some((x) => x.LocationScope === l.scope)) continue;
    await call('CreateAccessGrantsLocation', { LocationScope: l.scope, IAMRoleArn: l.iam_role }, `${at}.locations[${k}]`);
  }
  const store = ic.state.read.identityStores[identityCenter.IdentityStoreId];
  for (const [k, g] of (setup.grants ?? []).entries()) {
    const path = `${at}.grants[${k}]`;
    const location = Object.values(existing()!.Locations).find((x) => x.LocationScope === g.location);
    if (!location) throw new ConfigError(source, [{ path: `${path}.location`, message: `no location with scope ${g.location}; declare it under ${at}.locations` }]);
    let grantee: { GranteeType: string; GranteeIdentifier: string };
    if (g.grantee.startsWith('arn:')) grantee = { GranteeType: 'IAM', GranteeIdentifier: g.grantee };
    else if (g.grantee.startsWith('group:')) {
      const name = g.grantee.slice(6).toLowerCase();
      const group = Object.values(store?.Groups ?? {}).find((x) => x.DisplayName.toLowerCase() === name);
      if (!group) throw new ConfigError(source, [{ path: `${path}.grantee`, message: `no group "${g.grantee.slice(6)}" in ${identityCenter.Name ?? identityCenter.InstanceArn}; declare it under its groups` }]);
      grantee = { GranteeType: 'DIRECTORY_GROUP', GranteeIdentifier: group.GroupId };
    } else {
      const user = Object.values(store?.Users ?? {}).find((x) => x.UserName.toLowerCase() === g.grantee.toLowerCase());
      if (!user) throw new ConfigError(source, [{ path: `${path}.grantee`, message: `no user "${g.grantee}" in ${identityCenter.Name ?? identityCenter.InstanceArn}; grantees are user_names, group:<display name> or IAM ARNs` }]);
      grantee = { GranteeType: 'DIRECTORY_USER', GranteeIdentifier: user.UserId };
    }
    const scope = grantScopeOf(location.LocationScope, g.sub_prefix);
    const same = Object.values(existing()!.Grants).some((x) => x.GrantScope === scope && x.Permission === g.permission && x.Grantee.GranteeIdentifier === grantee.GranteeIdentifier);
    if (same) continue;
    await call('CreateAccessGrant', { AccessGrantsLocationId: location.AccessGrantsLocationId, Grantee: grantee, Permission: g.permission, ...(g.sub_prefix ? { AccessGrantsLocationConfiguration: { S3SubPrefix: g.sub_prefix } } : {}) }, path);
  }
}
