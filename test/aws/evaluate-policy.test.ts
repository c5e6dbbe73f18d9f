import t from 'tap';
import { readFileSync } from 'node:fs';
import { evaluatePolicy, type ConditionContext } from '../../server/aws/iam/evaluate-policy.js';
import type { Principal } from '../../server/aws/aws-credentials.js';

/**
 * The policy evaluator against IAM's documented semantics (IAM User Guide, "Condition operators" and
 * "Single-valued vs. multivalued context keys"), one rule per test, then the trust policies a user
 * pastes for identity-enhanced sessions.
 */

const ACCOUNT = '111122223333';
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/webapp`;
const caller: Principal = { accessKeyId: 'ASIA', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/webapp/session-1` };
const IDC = 'arn:aws:iam::aws:contextProvider/IdentityCenter';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111222233334444';

/** Does a one-statement Allow with this Condition allow `sts:AssumeRole` in this request context? */
const allows = (condition: unknown, context: ConditionContext) =>
  evaluatePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole', Condition: condition }] }, caller, ['sts:AssumeRole'], context);
const holds = (condition: unknown, context: ConditionContext) => allows(condition, context).allowed;

t.test('set operators: ForAllValues of an absent key (or an empty set) is true, ForAnyValue false', async (t) => {
  const all = { 'ForAllValues:ArnEquals': { 'sts:RequestContextProviders': IDC } };
  const any = { 'ForAnyValue:ArnEquals': { 'sts:RequestContextProviders': IDC } };
  t.equal(holds(all, {}), true, 'ForAllValues, key absent');
  t.equal(holds(all, { 'sts:RequestContextProviders': [] }), true, 'ForAllValues, empty set');
  t.equal(holds(any, {}), false, 'ForAnyValue, key absent');
  t.equal(holds(any, { 'sts:RequestContextProviders': [] }), false, 'ForAnyValue, empty set');
  t.match(allows(any, {}).reason, /absent .*ForAnyValue of nothing is false/);
});

t.test('set operators: every request value must match (ForAllValues), or one (ForAnyValue)', async (t) => {
  const other = 'arn:aws:iam::aws:contextProvider/Other';
  const all = { 'ForAllValues:ArnEquals': { 'sts:RequestContextProviders': IDC } };
  const any = { 'ForAnyValue:ArnEquals': { 'sts:RequestContextProviders': IDC } };
  t.equal(holds(all, { 'sts:RequestContextProviders': [IDC] }), true);
  t.equal(holds(all, { 'sts:RequestContextProviders': [IDC, other] }), false, 'one value outside the policy\'s set');
  t.equal(holds(any, { 'sts:RequestContextProviders': [IDC, other] }), true);
  t.equal(holds(any, { 'sts:RequestContextProviders': [other] }), false);
  // Policy values are a set too: a request value needs to match one of them.
  t.equal(holds({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['Cost*', 'Owner'] } }, { 'aws:TagKeys': ['CostCenter', 'Owner'] }), true);
  t.equal(holds({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['Cost*', 'Owner'] } }, { 'aws:TagKeys': ['CostCenter', 'Team'] }), false);
  // Negated under a set operator: ForAllValues — no request value matches; ForAnyValue — one does not.
  t.equal(holds({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['Secret'] } }, { 'aws:TagKeys': ['A', 'B'] }), true);
  t.equal(holds({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['Secret'] } }, { 'aws:TagKeys': ['A', 'Secret'] }), false);
  t.equal(holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['Secret'] } }, { 'aws:TagKeys': ['A', 'Secret'] }), true);
  t.equal(holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['Secret'] } }, { 'aws:TagKeys': ['Secret'] }), false);
});

t.test('Null: "true" holds when the key is absent, "false" when it is present', async (t) => {
  const absent = { Null: { 'sts:RequestContextProviders': 'true' } };
  const present = { Null: { 'sts:RequestContextProviders': 'false' } };
  t.equal(holds(absent, {}), true);
  t.equal(holds(absent, { 'sts:RequestContextProviders': [IDC] }), false);
  t.equal(holds(present, {}), false);
  t.equal(holds(present, { 'sts:RequestContextProviders': [IDC] }), true);
  t.equal(holds({ Null: { 'aws:PrincipalArn': false } }, { 'aws:PrincipalArn': APP_ROLE }), true, 'a JSON boolean is read as its string');
});

t.test('String operators: key names ignore case, values do not; *Like matches * and ?', async (t) => {
  t.equal(holds({ StringEquals: { 'STS:REQUESTCONTEXT/IDENTITYSTORE:USERID': 'u-1' } }, { 'sts:RequestContext/identitystore:UserId': 'u-1' }), true, 'key name in another case');
  t.equal(holds({ StringEquals: { 'sts:RequestContext/identitystore:UserId': 'U-1' } }, { 'sts:RequestContext/identitystore:UserId': 'u-1' }), false, 'value in another case');
  t.equal(holds({ StringEqualsIgnoreCase: { 'sts:RequestContext/identitystore:UserId': 'U-1' } }, { 'sts:RequestContext/identitystore:UserId': 'u-1' }), true);
  t.equal(holds({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/web*' } }, { 'aws:PrincipalArn': APP_ROLE }), true);
  t.equal(holds({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/web???' } }, { 'aws:PrincipalArn': APP_ROLE }), true, '? is one character');
  t.equal(holds({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/web?' } }, { 'aws:PrincipalArn': APP_ROLE }), false);
  t.equal(holds({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/WEB*' } }, { 'aws:PrincipalArn': APP_ROLE }), false, 'StringLike is case-sensitive');
  t.equal(holds({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/web.pp' } }, { 'aws:PrincipalArn': APP_ROLE }), false, 'a dot is a dot, not a regex');
});

t.test('ARN operators: the six parts one by one, case-sensitive, ArnEquals and ArnLike alike', async (t) => {
  const ctx = { 'aws:PrincipalArn': APP_ROLE };
  for (const op of ['ArnEquals', 'ArnLike']) {
    t.equal(holds({ [op]: { 'aws:PrincipalArn': APP_ROLE } }, ctx), true, `${op} exact`);
    t.equal(holds({ [op]: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/webapp' } }, ctx), true, `${op} * in the account`);
    t.equal(holds({ [op]: { 'aws:PrincipalArn': 'arn:aws:iam::11112222333?:role/*' } }, ctx), true, `${op} ? in the account`);
    t.equal(holds({ [op]: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/WebApp' } }, ctx), false, `${op} is case-sensitive`);
    t.equal(holds({ [op]: { 'aws:PrincipalArn': 'arn:aws:*:role/webapp' } }, ctx), false, `${op}: * does not swallow the colons between parts`);
    t.equal(holds({ [op]: { 'aws:PrincipalArn': 'webapp' } }, ctx), false, `${op}: not an ARN`);
  }
  // The resource part runs to the end, colons and all.
  t.equal(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:111122223333:log-group:app:*' } }, { 'aws:SourceArn': 'arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:x' }), true);
  t.equal(holds({ ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/other' } }, ctx), true);
  t.equal(holds({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/web*' } }, ctx), false);
});

t.test('an absent key: false, but true for a negated operator and for …IfExists', async (t) => {
  t.equal(holds({ StringEquals: { 'sts:RequestContext/identitystore:UserId': 'u-1' } }, {}), false);
  t.match(allows({ StringEquals: { 'sts:RequestContext/identitystore:UserId': 'u-1' } }, {}).reason, /UserId: the key is absent from this request/);
  t.equal(holds({ StringNotEquals: { 'sts:RequestContext/identitystore:UserId': 'u-1' } }, {}), true);
  t.equal(holds({ ArnNotLike: { 'sts:RequestContext/identitycenter:InstanceArn': INSTANCE } }, {}), true);
  t.equal(holds({ StringEqualsIfExists: { 'sts:RequestContext/identitystore:UserId': 'u-1' } }, {}), true);
  t.equal(holds({ StringEqualsIfExists: { 'sts:RequestContext/identitystore:UserId': 'u-1' } }, { 'sts:RequestContext/identitystore:UserId': 'u-2' }), false, 'present: evaluated');
  t.equal(holds({ ArnEqualsIfExists: { 'sts:RequestContext/identitycenter:InstanceArn': INSTANCE } }, { 'sts:RequestContext/identitycenter:InstanceArn': INSTANCE }), true);
});

t.test('several values are ORed; several keys, and several operators, are ANDed', async (t) => {
  const ctx = { 'aws:PrincipalArn': APP_ROLE, 'aws:PrincipalAccount': ACCOUNT };
  t.equal(holds({ StringEquals: { 'aws:PrincipalAccount': ['999999999999', ACCOUNT] } }, ctx), true, 'OR of values');
  t.equal(holds({ StringEquals: { 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/other' } }, ctx), false, 'AND of keys');
  t.equal(holds({ StringEquals: { 'aws:PrincipalAccount': ACCOUNT }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/other' } }, ctx), false, 'AND of operators');
  t.equal(holds({ StringEquals: { 'aws:PrincipalAccount': ACCOUNT }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/web*' } }, ctx), true);
  t.equal(holds({ StringNotEquals: { 'aws:PrincipalAccount': ['999999999999', ACCOUNT] } }, ctx), false, 'a negated operator: none of the values');
});

t.test('explicit Deny wins over Allow; a Deny whose condition fails does not apply', async (t) => {
  const policy = (denyCondition: unknown) => ({
    Statement: [
      { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: ['sts:AssumeRole', 'sts:SetContext'] },
      { Sid: 'NoOtherInstance', Effect: 'Deny', Principal: '*', Action: 'sts:SetContext', Condition: denyCondition },
    ],
  });
  const deny = { ArnNotEquals: { 'sts:RequestContext/identitycenter:InstanceArn': INSTANCE } };
  const other = { 'sts:RequestContext/identitycenter:InstanceArn': 'arn:aws:sso:::instance/ssoins-9999888877776666' };
  const d = evaluatePolicy(policy(deny), caller, ['sts:AssumeRole', 'sts:SetContext'], other);
  t.same([d.allowed, d.action], [false, 'sts:SetContext']);
  t.match(d.reason, /statement "NoOtherInstance" explicitly denies sts:SetContext/);
  t.equal(evaluatePolicy(policy(deny), caller, ['sts:AssumeRole', 'sts:SetContext'], { 'sts:RequestContext/identitycenter:InstanceArn': INSTANCE }).allowed, true);
});

t.test('what the lab does not evaluate is refused with the reason, in an Allow and in a Deny', async (t) => {
  const refused = allows({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': '10' });
  t.same([refused.allowed, refused.unsupported], [false, true]);
  t.match(refused.reason, /does not evaluate the condition operator NumericLessThan; it evaluates StringEquals/);
  // A Deny the lab cannot evaluate must not be skipped (which would allow).
  const deny = evaluatePolicy(
    { Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }, { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }] },
    caller,
    ['sts:AssumeRole'],
    {},
  );
  t.same([deny.allowed, deny.unsupported], [false, true]);
  t.match(deny.reason, /statement 2: .*IpAddress/);
  t.match(allows({ 'ForAllValues:Null': { 'aws:TagKeys': 'true' } }, {}).reason, /does not evaluate the condition operator ForAllValues:Null/);
  t.match(allows({ NullIfExists: { 'aws:TagKeys': 'true' } }, {}).reason, /NullIfExists/);
  t.match(allows({ StringEquals: { 'aws:PrincipalTag/team': '${aws:username}' } }, {}).reason, /policy variable \(\$\{aws:username\}\)/);
  t.match(allows({ StringEquals: { 'aws:PrincipalAccount': { nested: 1 } } }, {}).reason, /has no usable value/);
  t.equal(allows({ StringEquals: { 'aws:PrincipalAccount': { nested: 1 } } }, {}).unsupported, true);
});

/** The request context AssumeRole builds with an Identity Center context assertion. */
const contextKeys = (over: Record<string, string> = {}): ConditionContext => ({
  'aws:PrincipalArn': APP_ROLE,
  'aws:PrincipalAccount': ACCOUNT,
  'sts:RequestContextProviders': [IDC],
  'sts:RequestContext/identitystore:UserId': 'u-alice',
  'sts:RequestContext/identitystore:IdentityStoreArn': `arn:aws:identitystore::${ACCOUNT}:identitystore/d-1234567890`,
  'sts:RequestContext/identitycenter:InstanceArn': INSTANCE,
  'sts:RequestContext/identitycenter:ApplicationArn': `arn:aws:sso::${ACCOUNT}:application/ssoins-1111222233334444/apl-1111222233334444`,
  'sts:RequestContext/identitycenter:CredentialId': 'c-1',
  ...over,
});

t.test('the documented identity-enhanced trust policy works as pasted', async (t) => {
  const policy = JSON.parse(readFileSync(new URL('./fixtures/identity-enhanced-trust-policy.json', import.meta.url), 'utf8')) as unknown;
  const both = ['sts:AssumeRole', 'sts:SetContext'];
  t.same(evaluatePolicy(policy, caller, both, contextKeys()), { allowed: true, reason: `allows sts:AssumeRole and sts:SetContext to ${caller.arn}` });
  t.equal(evaluatePolicy(policy, caller, ['sts:AssumeRole'], { 'aws:PrincipalArn': APP_ROLE, 'aws:PrincipalAccount': ACCOUNT }).allowed, true, 'without a context: AssumeRole only');
  const noProvider = evaluatePolicy(policy, caller, both, { 'aws:PrincipalArn': APP_ROLE });
  t.same([noProvider.allowed, noProvider.action], [false, 'sts:SetContext'], 'SetContext without providers: the Null check refuses what ForAllValues alone would allow');
  t.match(noProvider.reason, /Null sts:RequestContextProviders: the key is absent/);
  const stranger: Principal = { accessKeyId: 'x', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/other/s` };
  t.equal(evaluatePolicy(policy, stranger, both, contextKeys()).allowed, false, 'another role of the same account');
});

t.test('a trust policy pinned to an instance and a user allows that user only', async (t) => {
  const text = readFileSync(new URL('./fixtures/identity-bearer-pinned-trust-policy.json', import.meta.url), 'utf8');
  const policy = JSON.parse(text.replace('INSTANCE_ARN', INSTANCE).replace('USER_ID', 'u-alice')) as unknown;
  const both = ['sts:AssumeRole', 'sts:SetContext'];
  t.equal(evaluatePolicy(policy, caller, both, contextKeys()).allowed, true);
  const wrongInstance = evaluatePolicy(policy, caller, both, contextKeys({ 'sts:RequestContext/identitycenter:InstanceArn': 'arn:aws:sso:::instance/ssoins-9999888877776666' }));
  t.same([wrongInstance.allowed, wrongInstance.action], [false, 'sts:AssumeRole']);
  t.match(wrongInstance.reason, /identitycenter:InstanceArn is "arn:aws:sso:::instance\/ssoins-9999888877776666", expected "arn:aws:sso:::instance\/ssoins-1111222233334444"/);
  t.equal(evaluatePolicy(policy, caller, both, contextKeys({ 'sts:RequestContext/identitystore:UserId': 'u-bob' })).allowed, false, 'another user');
  t.equal(evaluatePolicy(policy, caller, ['sts:AssumeRole'], { 'aws:PrincipalArn': APP_ROLE, 'aws:PrincipalAccount': ACCOUNT }).allowed, false, 'no context at all');
  t.equal(evaluatePolicy(policy, caller, both, contextKeys({ 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/other` })).allowed, false, 'another caller role');
});
