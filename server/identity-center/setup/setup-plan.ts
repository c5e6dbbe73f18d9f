/**
 * A setup plan: the SSO Admin and Identity Store calls that make an Identity Center setup, in order
 * (and the S3 Control calls of an S3 Access Grants setup: access-grants-setup-plan.ts).
 * Both declarative setups compile to one — the config's `identity_center:` (config-setup-plan.ts)
 * and a harness scenario's `setup:` (harness/scenario/scenario-setup-plan.ts) — and one executor
 * runs it (run-setup-plan.ts): in-process against the lab's own operations, or through the AWS SDK
 * against a lab or a real account. A step's input may hold references to what earlier steps made
 * (`{ $ref: 'user.alice.id' }`), resolved when the step runs.
 */

export type PlanService = 'sso-admin' | 'identitystore' | 's3-control';

/** A value an earlier step bound (or the caller bound before the plan ran), through template filters. */
export interface PlanRef {
  $ref: string;
  filters?: PlanFilterName[];
}

/** Text made of literal parts and references, joined when the step runs. */
export interface PlanJoin {
  $join: (string | PlanRef)[];
}

/** A value taken as it is, even if it looks like a reference (a policy document from a config). */
export interface PlanLiteral {
  $literal: unknown;
}

/** Text a step sends: literal, or made from references. */
export type PlanText = string | PlanRef | PlanJoin;

/** Filters a reference may pass through (the harness's `${ref|filter}`). */
export const PLAN_FILTERS = {
  upper: (s: string) => s.toUpperCase(),
  lower: (s: string) => s.toLowerCase(),
  slash: (s: string) => `${s}/`,
  flip_scheme: (s: string) => (s.startsWith('https://') ? `http://${s.slice(8)}` : s.startsWith('http://') ? `https://${s.slice(7)}` : s),
} as const;
export type PlanFilterName = keyof typeof PLAN_FILTERS;

export interface PlanCall {
  service: PlanService;
  operation: string;
  /** JSON, with PlanRef, PlanJoin and PlanLiteral leaves. */
  input: Record<string, unknown>;
}

export interface PlanStep extends PlanCall {
  /** The declaration this step comes from (`identity_center.instances[0].users[1]`, `setup.users[1]`), for errors. */
  at: string;
  /**
   * What the step makes, by name: reference → member of its output (`{ 'user.alice.id': 'UserId' }`).
   * A step whose references are all bound before it runs is skipped: the resource exists already.
   */
  bind?: Record<string, string>;
  /** The resource this step configures (its reference): skipped when that resource existed before the plan ran. */
  configures?: string;
  /** The call that removes what the step made (the harness's cleanup), resolved once the step has run. */
  undo?: { operation: string; input: Record<string, unknown> };
  /** Called again until this output member has this value (a new instance becomes ACTIVE after a while on AWS). */
  until?: { member: string; equals: string; attempts: number; intervalMs: number };
}

export type SetupPlan = PlanStep[];

/** A user, a group … as both setup formats describe it, with the text each call sends. */
export interface PlanUser {
  /** The name references use: `user.<key>.id`. */
  key: string;
  at: string;
  userName: PlanText;
  displayName: PlanText;
  givenName: PlanText;
  familyName: PlanText;
  /** Left out: no Emails member. */
  emails?: PlanText[];
  externalIds?: { issuer: PlanText; id: PlanText }[];
}

export interface PlanGroup {
  key: string;
  at: string;
  displayName: PlanText;
  description?: PlanText;
  /** Users' keys, each with where it is declared. */
  members: { user: string; at: string }[];
}

export interface PlanTrustedTokenIssuer {
  key: string;
  at: string;
  name: PlanText;
  issuerUrl: PlanText;
  claimAttributePath: PlanText;
  identityStoreAttributePath: PlanText;
}

export interface PlanApplication {
  key: string;
  at: string;
  name: PlanText;
  description?: PlanText;
  grants: {
    /** Trusted token issuers by key. */
    jwtBearer?: { trustedTokenIssuer: string; audiences: PlanText[] }[];
    refreshToken?: boolean;
    tokenExchange?: boolean;
    authorizationCode?: { redirectUris: PlanText[] };
  };
  /** The IAM authentication method's ActorPolicy, and the field that declares it. */
  actorPolicy?: { policy: unknown; at: string };
  scopes: PlanText[];
  /** Set explicitly (PutApplicationAssignmentConfiguration) when given. */
  assignmentRequired?: boolean;
  /** Users' keys or groups' keys. */
  assignments: { principal: { user: string } | { group: string }; at: string }[];
}

/** One instance's setup, in the terms both formats share. */
export interface SetupDescription {
  /** Create an account instance with this Name. Left out: the instance the caller binds (`instance.arn`, `instance.identity_store_id`) is used. */
  accountInstance?: { name: PlanText; at: string };
  /** Tags on everything that takes them (the harness's run and scenario). */
  tags?: { Key: string; Value: string }[];
  users: PlanUser[];
  groups: PlanGroup[];
  trustedTokenIssuers: PlanTrustedTokenIssuer[];
  applications: PlanApplication[];
}

export const CUSTOM_APPLICATION_PROVIDER = 'arn:aws:sso::aws:applicationProvider/custom';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

const ref = ($ref: string): PlanRef => ({ $ref });

/** A step that makes a resource: its output member bound to `made`, and the call that removes it. */
const creates = (service: PlanService, operation: string, at: string, input: Record<string, unknown>, made: [PlanRef, string], undo: PlanStep['undo']): PlanStep =>
  ({ service, operation, at, input, bind: { [made[0].$ref]: made[1] }, undo });
const INSTANCE_ARN = ref('instance.arn');
const STORE_ID = ref('instance.identity_store_id');

/** The plan for one instance's setup: instance, users, groups and their members, trusted token issuers, applications. */
export function compileSetupPlan(d: SetupDescription): SetupPlan {
  const plan: SetupPlan = [];
  const tags = d.tags?.length ? { Tags: d.tags } : {};
  if (d.accountInstance) {
    const { at } = d.accountInstance;
    plan.push(creates('sso-admin', 'CreateInstance', at, { Name: d.accountInstance.name, ...tags }, [INSTANCE_ARN, 'InstanceArn'], { operation: 'DeleteInstance', input: { InstanceArn: INSTANCE_ARN } }));
    plan.push({
      service: 'sso-admin', operation: 'DescribeInstance', input: { InstanceArn: INSTANCE_ARN }, at,
      bind: { 'instance.identity_store_id': 'IdentityStoreId' },
      until: { member: 'Status', equals: 'ACTIVE', attempts: 60, intervalMs: 5000 },
    });
  }
  for (const u of d.users) {
    const id = ref(`user.${u.key}.id`);
    plan.push(creates('identitystore', 'CreateUser', u.at, {
      IdentityStoreId: STORE_ID,
      UserName: u.userName,
      DisplayName: u.displayName,
      Name: { GivenName: u.givenName, FamilyName: u.familyName },
      ...(u.emails ? { Emails: u.emails.map((Value, n) => ({ Value, Primary: n === 0, Type: 'work' })) } : {}),
      ...(u.externalIds ? { ExternalIds: u.externalIds.map((x) => ({ Issuer: x.issuer, Id: x.id })) } : {}),
    }, [id, 'UserId'], { operation: 'DeleteUser', input: { IdentityStoreId: STORE_ID, UserId: id } }));
  }
  for (const g of d.groups) {
    const id = ref(`group.${g.key}.id`);
    const description = g.description !== undefined ? { Description: g.description } : {};
    plan.push(creates('identitystore', 'CreateGroup', g.at, { IdentityStoreId: STORE_ID, DisplayName: g.displayName, ...description }, [id, 'GroupId'], { operation: 'DeleteGroup', input: { IdentityStoreId: STORE_ID, GroupId: id } }));
    for (const m of g.members) {
      const membership = ref(`membership.${g.key}.${m.user}.id`);
      const input = { IdentityStoreId: STORE_ID, GroupId: id, MemberId: { UserId: ref(`user.${m.user}.id`) } };
      plan.push(creates('identitystore', 'CreateGroupMembership', m.at, input, [membership, 'MembershipId'], { operation: 'DeleteGroupMembership', input: { IdentityStoreId: STORE_ID, MembershipId: membership } }));
    }
  }
  for (const t of d.trustedTokenIssuers) {
    const arn = ref(`tti.${t.key}.arn`);
    const configuration = { OidcJwtConfiguration: { IssuerUrl: t.issuerUrl, ClaimAttributePath: t.claimAttributePath, IdentityStoreAttributePath: t.identityStoreAttributePath, JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } };
    const input = { InstanceArn: INSTANCE_ARN, Name: t.name, TrustedTokenIssuerType: 'OIDC_JWT', TrustedTokenIssuerConfiguration: configuration, ...tags };
    plan.push(creates('sso-admin', 'CreateTrustedTokenIssuer', t.at, input, [arn, 'TrustedTokenIssuerArn'], { operation: 'DeleteTrustedTokenIssuer', input: { TrustedTokenIssuerArn: arn } }));
  }
  for (const a of d.applications) plan.push(...applicationSteps(a, tags));
  return plan;
}

function applicationSteps(a: PlanApplication, tags: { Tags?: unknown }): PlanStep[] {
  const arn = ref(`app.${a.key}.arn`);
  const configures = arn.$ref;
  const input = { InstanceArn: INSTANCE_ARN, ApplicationProviderArn: CUSTOM_APPLICATION_PROVIDER, Name: a.name, ...(a.description !== undefined ? { Description: a.description } : {}), ...tags };
  const steps = [creates('sso-admin', 'CreateApplication', a.at, input, [arn, 'ApplicationArn'], { operation: 'DeleteApplication', input: { ApplicationArn: arn } })];
  const configure = (operation: string, input: Record<string, unknown>, at: string, undo?: PlanStep['undo']) =>
    steps.push({ service: 'sso-admin', operation, input: { ApplicationArn: arn, ...input }, at, configures, ...(undo ? { undo } : {}) });
  const g = a.grants;
  if (g.jwtBearer) {
    const AuthorizedTokenIssuers = g.jwtBearer.map((j) => ({ TrustedTokenIssuerArn: ref(`tti.${j.trustedTokenIssuer}.arn`), AuthorizedAudiences: j.audiences }));
    configure('PutApplicationGrant', { GrantType: JWT_BEARER_GRANT, Grant: { JwtBearer: { AuthorizedTokenIssuers } } }, `${a.at}.grants.jwt_bearer`);
  }
  if (g.refreshToken) configure('PutApplicationGrant', { GrantType: 'refresh_token', Grant: { RefreshToken: {} } }, `${a.at}.grants.refresh_token`);
  if (g.tokenExchange) configure('PutApplicationGrant', { GrantType: TOKEN_EXCHANGE_GRANT, Grant: { TokenExchange: {} } }, `${a.at}.grants.token_exchange`);
  if (g.authorizationCode) configure('PutApplicationGrant', { GrantType: 'authorization_code', Grant: { AuthorizationCode: { RedirectUris: g.authorizationCode.redirectUris } } }, `${a.at}.grants.authorization_code`);
  if (a.actorPolicy) {
    configure('PutApplicationAuthenticationMethod', { AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: { $literal: a.actorPolicy.policy } } } }, a.actorPolicy.at);
  }
  for (const [k, scope] of a.scopes.entries()) configure('PutApplicationAccessScope', { Scope: scope }, `${a.at}.scopes[${k}]`);
  if (a.assignmentRequired !== undefined) configure('PutApplicationAssignmentConfiguration', { AssignmentRequired: a.assignmentRequired }, `${a.at}.assignment_required`);
  for (const { principal, at } of a.assignments) {
    const isGroup = 'group' in principal;
    const principalInput = { PrincipalId: ref(isGroup ? `group.${principal.group}.id` : `user.${principal.user}.id`), PrincipalType: isGroup ? 'GROUP' : 'USER' };
    configure('CreateApplicationAssignment', principalInput, at, { operation: 'DeleteApplicationAssignment', input: { ApplicationArn: arn, ...principalInput } });
  }
  return steps;
}
