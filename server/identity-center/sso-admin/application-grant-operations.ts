import { InputValidator } from '../../aws/input-validator.js';
import type { AuthorizedTokenIssuer, Grant, GrantType } from '../state/model.js';
import { paginate } from './paginate.js';
import { readPageRequest, readStringList, readUnion } from './read-members.js';
import { findApplication, findTrustedTokenIssuer } from './sso-admin-lookup.js';
import { invalid, notFound, operation, type SsoAdminOperation } from './sso-admin-operation.js';
import { shapes } from './sso-admin-shapes.js';

/**
 * An application's grants: which OAuth grant types CreateTokenWithIAM accepts for it, one per
 * GrantType. The Grant union's member must be the one for the GrantType.
 */

const GRANT_MEMBERS = ['AuthorizationCode', 'JwtBearer', 'RefreshToken', 'TokenExchange'] as const;
type GrantMember = (typeof GRANT_MEMBERS)[number];

export const GRANT_MEMBER_OF: Record<GrantType, GrantMember> = {
  authorization_code: 'AuthorizationCode',
  refresh_token: 'RefreshToken',
  'urn:ietf:params:oauth:grant-type:jwt-bearer': 'JwtBearer',
  'urn:ietf:params:oauth:grant-type:token-exchange': 'TokenExchange',
};

const GRANT_TYPE_ORDER = shapes.GrantType.enum;

/**
 * Reads the Grant union. Beyond the model: a JwtBearer grant must name its issuers, and each
 * issuer its ARN and audiences — the model leaves them optional, but a grant without them could
 * never accept a token (assumed).
 */
function readGrant(v: InputValidator): { member: GrantMember; grant: Grant } | undefined {
  const raw = v.structure('Grant', { required: true });
  const member = readUnion(v, 'Grant', raw, GRANT_MEMBERS);
  if (!raw || !member) return undefined;
  const body = v.structure(`Grant.${member}`, {}, raw[member]) ?? {};
  switch (member) {
    case 'AuthorizationCode': {
      const uris = readStringList(v, 'Grant.AuthorizationCode.RedirectUris', body.RedirectUris, shapes.RedirectUris, {});
      return { member, grant: { AuthorizationCode: uris ? { RedirectUris: uris } : {} } };
    }
    case 'JwtBearer': {
      const path = 'Grant.JwtBearer.AuthorizedTokenIssuers';
      const list = v.list(path, { required: true, ...shapes.AuthorizedTokenIssuers }, body.AuthorizedTokenIssuers) ?? [];
      const issuers: AuthorizedTokenIssuer[] = list.map((item, i) => {
        const p = `${path}.${i + 1}.member`;
        const issuer = v.structure(p, { required: true }, item) ?? {};
        return {
          TrustedTokenIssuerArn: v.string(`${p}.TrustedTokenIssuerArn`, { required: true, ...shapes.TrustedTokenIssuerArn }, issuer.TrustedTokenIssuerArn) ?? '',
          AuthorizedAudiences:
            readStringList(v, `${p}.AuthorizedAudiences`, issuer.AuthorizedAudiences, { required: true, ...shapes.TokenIssuerAudiences }, shapes.TokenIssuerAudience) ?? [],
        };
      });
      const arns = issuers.map((i) => i.TrustedTokenIssuerArn);
      if (new Set(arns).size !== arns.length) v.fail(path, arns, 'Member must not name the same TrustedTokenIssuerArn twice');
      return { member, grant: { JwtBearer: { AuthorizedTokenIssuers: issuers } } };
    }
    case 'RefreshToken':
      return { member, grant: { RefreshToken: {} } };
    case 'TokenExchange':
      return { member, grant: { TokenExchange: {} } };
  }
}

const readTarget = (v: InputValidator) => ({
  applicationArn: v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn })!,
  grantType: v.string('GrantType', { required: true, ...shapes.GrantType }) as GrantType,
});

const putApplicationGrant = operation('PutApplicationGrant', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, grantType } = readTarget(v);
  const read = readGrant(v);
  v.done();
  const expected = GRANT_MEMBER_OF[grantType];
  if (read!.member !== expected) throw invalid(`GrantType ${grantType} takes a Grant of type ${expected}, not ${read!.member}`);
  return call.ic.state.mutate((s) => {
    const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
    if ('JwtBearer' in read!.grant) {
      for (const issuer of read!.grant.JwtBearer.AuthorizedTokenIssuers ?? []) findTrustedTokenIssuer(s, call, issuer.TrustedTokenIssuerArn, app.InstanceArn);
    }
    app.Grants[grantType] = read!.grant;
    return {};
  });
});

const getApplicationGrant = operation('GetApplicationGrant', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, grantType } = readTarget(v);
  v.done();
  const app = findApplication(call.ic.state.read, call, applicationArn);
  const grant = app.Grants[grantType];
  if (!grant) throw notFound(call, `Grant ${grantType} does not exist for application ${applicationArn}`);
  return { Grant: structuredClone(grant) };
});

const deleteApplicationGrant = operation('DeleteApplicationGrant', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const { applicationArn, grantType } = readTarget(v);
  v.done();
  return call.ic.state.mutate((s) => {
    const app = s.applications[findApplication(s, call, applicationArn).ApplicationArn]!;
    if (!app.Grants[grantType]) throw notFound(call, `Grant ${grantType} does not exist for application ${applicationArn}`);
    delete app.Grants[grantType];
    return {};
  });
});

/** No MaxResults in this model: an application has at most four grants, all on one page. */
const listApplicationGrants = operation('ListApplicationGrants', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const applicationArn = v.string('ApplicationArn', { required: true, ...shapes.ApplicationArn });
  const page = readPageRequest(v, { defaultMax: GRANT_TYPE_ORDER.length });
  v.done();
  const app = findApplication(call.ic.state.read, call, applicationArn!);
  const all = (Object.entries(app.Grants) as [GrantType, Grant][]).map(([GrantType, Grant]) => ({ GrantType, Grant: structuredClone(Grant) }));
  const order = (t: GrantType) => String(GRANT_TYPE_ORDER.indexOf(t));
  const { items, nextToken } = paginate(all, (g) => order(g.GrantType), page, `ListApplicationGrants/${app.ApplicationArn}`);
  return { Grants: items, ...(nextToken ? { NextToken: nextToken } : {}) };
});

export const applicationGrantOperations: SsoAdminOperation[] = [putApplicationGrant, getApplicationGrant, deleteApplicationGrant, listApplicationGrants];
