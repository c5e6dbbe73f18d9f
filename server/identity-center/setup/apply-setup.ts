import { randomUUID } from 'node:crypto';
import { AwsError } from '../../aws/aws-error.js';
import { type AwsCallContext, JSON_TARGET_PREFIX } from '../../aws/aws-registry.js';
import { implementsOperation, loadModelOf, runOperation } from '../../aws/model/model-service.js';
import { ConfigError } from '../../config/schema.js';
import type { LabServices } from '../../lab/lab-services.js';
import type { IdentityCenterState, InstanceRecord } from '../state/model.js';
import type { IdentityCenterSetup, SetupInstance } from './setup-config.js';
import { configSetupPlan } from './config-setup-plan.js';
import { runSetupPlan, type RunSetupPlanOptions } from './run-setup-plan.js';
import { reconcileLabIssuerUrls } from './reconcile-lab-issuer-urls.js';
import { applyAccessGrantsSetup } from '../../s3-access-grants/setup/apply-access-grants-setup.js';

/**
 * A setup plan's `send` in this process: each call goes to the lab's own SSO Admin or Identity Store
 * operation, as the account's root principal, exactly as the SDK's call would be validated.
 */
export function inProcessSender(lab: LabServices, accountId: string): RunSetupPlanOptions['send'] {
  return async (step, input) => {
    const service = lab.aws.jsonServices.get(JSON_TARGET_PREFIX[step.service] ?? '');
    if (service) await loadModelOf(service);
    if (!service || !implementsOperation(service, step.operation)) throw new Error(`${step.service}.${step.operation} is not implemented`);
    const ctx: AwsCallContext = { principal: { accessKeyId: 'tti-lab-setup', accountId, arn: `arn:aws:iam::${accountId}:root` }, region: lab.aws.region, requestId: randomUUID(), lab };
    return ((await runOperation(service, step.operation, input, ctx)) ?? {}) as Record<string, unknown>;
  };
}

/**
 * What of an instance's declared setup the state has already, as the plan's bindings: the config is
 * matched by name (user names and group display names ignoring case, as the store does), and a plan
 * step whose resource is bound is skipped — a restart changes nothing, nor does an edit to a
 * resource the API has changed since.
 */
function existingBindings(spec: SetupInstance, state: IdentityCenterState, instance: InstanceRecord | undefined): Map<string, string> {
  const bound = new Map<string, string>();
  if (!instance) return bound;
  bound.set('instance.arn', instance.InstanceArn);
  bound.set('instance.identity_store_id', instance.IdentityStoreId);
  const store = state.identityStores[instance.IdentityStoreId];
  const users = Object.values(store?.Users ?? {});
  const groups = Object.values(store?.Groups ?? {});
  for (const u of spec.users ?? []) {
    const found = users.find((x) => x.UserName.toLowerCase() === u.user_name.toLowerCase());
    if (found) bound.set(`user.${u.user_name}.id`, found.UserId);
  }
  for (const g of spec.groups ?? []) {
    const found = groups.find((x) => x.DisplayName.toLowerCase() === g.display_name.toLowerCase());
    if (!found) continue;
    bound.set(`group.${g.display_name}.id`, found.GroupId);
    for (const member of g.members ?? []) {
      const userId = bound.get(`user.${member}.id`);
      if (userId === undefined) continue;
      const membership = Object.values(store?.Memberships ?? {}).find((x) => x.GroupId === found.GroupId && x.MemberId.UserId === userId);
      if (membership) bound.set(`membership.${g.display_name}.${member}.id`, membership.MembershipId);
    }
  }
  for (const t of Object.values(state.trustedTokenIssuers)) if (t.InstanceArn === instance.InstanceArn) bound.set(`tti.${t.Name}.arn`, t.TrustedTokenIssuerArn);
  for (const a of Object.values(state.applications)) if (a.InstanceArn === instance.InstanceArn) bound.set(`app.${a.Name}.arn`, a.ApplicationArn);
  return bound;
}

/**
 * Applies the config's `identity_center` setup: each instance's plan (config-setup-plan.ts) runs
 * through the lab's own SSO Admin and Identity Store operations. Any refusal becomes a ConfigError
 * naming the file and the field. Then trusted token issuers of lab issuers saved under another lab
 * URL (another port) are reconciled (reconcile-lab-issuer-urls.ts); returns what was reconciled or
 * needs a fix, one line each.
 */
export async function applySetup(lab: LabServices, setup: IdentityCenterSetup | undefined, source: string): Promise<string[]> {
  /** TTI ARN → the lab issuer the config says it trusts. */
  const declared = new Map<string, string>();
  const issuers = new Map([...lab.issuers].map(([name, issuer]) => [name, issuer.url]));
  for (const [i, spec] of (setup?.instances ?? []).entries()) {
    const at = `identity_center.instances[${i}]`;
    const ic = lab.identityCenter;
    const account = spec.owner_account ?? ic.defaultInstance().OwnerAccountId;
    const state = ic.state.read;
    const instance = (spec.type ?? 'ORGANIZATION') === 'ORGANIZATION'
      ? ic.defaultInstance()
      : Object.values(state.instances).find((x) => x.InstanceType === 'ACCOUNT' && x.Name === spec.name);
    const bindings = existingBindings(spec, state, instance);
    for (const t of spec.trusted_token_issuers ?? []) {
      const arn = bindings.get(`tti.${t.name}.arn`);
      if (arn !== undefined && t.issuer !== undefined) declared.set(arn, t.issuer);
    }
    const existingTrustedTokenIssuers = [...bindings.keys()].filter((k) => k.startsWith('tti.')).map((k) => k.slice(4, -4));
    const send = inProcessSender(lab, account);
    try {
      const plan = configSetupPlan(spec, at, { issuers, existingTrustedTokenIssuers });
      await runSetupPlan(plan, {
        bindings,
        send: async (step, input) => {
          try {
            return await send(step, input);
          } catch (err) {
            if (err instanceof AwsError) throw new ConfigError(source, [{ path: step.at, message: `${step.operation} refused it: ${err.type}: ${err.message}` }]);
            throw err;
          }
        },
      });
    } catch (err) {
      if (err instanceof ConfigError && err.source === 'config') throw new ConfigError(source, err.issues);
      throw err;
    }
  }
  await applyAccessGrantsSetup(lab, setup?.s3_access_grants, source);
  return reconcileLabIssuerUrls(lab, declared);
}
