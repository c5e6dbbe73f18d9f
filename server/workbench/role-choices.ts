import type { Principal } from '../aws/aws-credentials.js';
import { evaluatePolicy } from '../aws/iam/evaluate-policy.js';
import { principalKeys } from '../identity-center/sts/sts-service.js';
import type { LabServices } from '../lab/lab-services.js';

/** One of the lab's roles (aws.roles), as the workbench's AssumeRole step offers it. */
export interface RoleChoice {
  arn: string;
  name: string;
  /** Whether the trust policy lets the caller do sts:AssumeRole and sts:SetContext before any context is seen. */
  allowsSetContext: boolean;
  /** Why (the policy evaluation's own reason): a Condition on sts:RequestContext/… is only decided by AssumeRole itself. */
  note: string;
}

/**
 * Every role in aws.roles, those whose trust policy allows the caller sts:AssumeRole and
 * sts:SetContext first: the same evaluation STS's AssumeRole runs, with the caller's keys only (the
 * identity context's keys are not known yet, so a role that conditions on them shows its reason).
 */
export function roleChoices(lab: LabServices, caller: Principal): RoleChoice[] {
  return lab.config.aws.roles
    .map((role) => {
      const decision = evaluatePolicy(role.trust_policy, caller, ['sts:AssumeRole', 'sts:SetContext'], principalKeys(caller));
      return { arn: role.arn, name: role.arn.split('/').pop() ?? role.arn, allowsSetContext: decision.allowed, note: decision.reason };
    })
    .sort((a, b) => Number(b.allowsSetContext) - Number(a.allowsSetContext) || a.name.localeCompare(b.name));
}
