import { ModelPattern } from '../../input-validator.js';
import type { ConstraintTable } from '../constraint-table.js';

/**
 * STS's constraints that the SDK's schemas leave out, from botocore's
 * `botocore/data/sts/2011-06-15/service-2.json` (the same values as the STS API reference: RoleArn
 * 20–2048, RoleSessionName 2–64 and `[\w+=,.@-]*`, DurationSeconds 900–43200, at most 5
 * ProvidedContexts). STS answers a violation in the Coral wording every
 * service uses ("Member must have length less than or equal to 64", "Member must have value
 * greater than or equal to 900" — captured: getmoto/moto#9218, benkehoe/aws-assume-role-lib#2,
 * goldstack/goldstack#425), under its awsQuery code `ValidationError`.
 *
 * Narrowed on purpose (assumed), so that the token and assertion checks answer as the lab pins them
 * (test/corpus/cases/sts-query.json): arnType's character pattern and contextAssertionType's 4–2048
 * are left out, and of clientTokenType's 4–20000 (WebIdentityToken) only "not empty" is kept — a
 * short, malformed or huge token is refused by the token's own check (InvalidIdentityToken,
 * InvalidContextAssertion) with the lab's reason.
 */
export const STS_CONSTRAINTS: ConstraintTable = {
  source: 'botocore/data/sts/2011-06-15/service-2.json',
  shapes: {
    arnType: { min: 20, max: 2048 },
    roleSessionNameType: { min: 2, max: 64, pattern: new ModelPattern('[\\w+=,.@-]*') },
    roleDurationSecondsType: { min: 900, max: 43200 },
    ProvidedContextsListType: { max: 5 },
    clientTokenType: { min: 1 },
  },
  members: {
    'AssumeRoleRequest.RoleArn': 'arnType',
    'AssumeRoleRequest.RoleSessionName': 'roleSessionNameType',
    'AssumeRoleRequest.DurationSeconds': 'roleDurationSecondsType',
    'AssumeRoleWithWebIdentityRequest.RoleArn': 'arnType',
    'AssumeRoleWithWebIdentityRequest.RoleSessionName': 'roleSessionNameType',
    'AssumeRoleWithWebIdentityRequest.DurationSeconds': 'roleDurationSecondsType',
  },
};
