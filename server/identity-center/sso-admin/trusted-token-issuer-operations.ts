import { InputValidator } from '../../aws/input-validator.js';
import type { OidcJwtConfiguration, TrustedTokenIssuerRecord } from '../state/model.js';
import { arns, ids, instanceIdOf } from '../state/ids.js';
import { idempotent } from './client-token.js';
import { paginate } from './paginate.js';
import { readPageRequest, readTags, readUnion } from './read-members.js';
import { findInstance, findTrustedTokenIssuer } from './sso-admin-lookup.js';
import { conflict, operation, type SsoAdminOperation } from './sso-admin-operation.js';
import { shapes } from './sso-admin-shapes.js';

/**
 * Trusted token issuers: the external IdPs whose JWTs an application's jwt-bearer grant accepts.
 * Identity Center does not fetch or check the issuer URL when one is created (reference §2); the
 * token exchange finds out later.
 */

const CONFIG = 'TrustedTokenIssuerConfiguration';
const OIDC = `${CONFIG}.OidcJwtConfiguration`;

const describeOutput = (tti: TrustedTokenIssuerRecord) => ({
  TrustedTokenIssuerArn: tti.TrustedTokenIssuerArn,
  Name: tti.Name,
  TrustedTokenIssuerType: tti.TrustedTokenIssuerType,
  TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { ...tti.TrustedTokenIssuerConfiguration.OidcJwtConfiguration } },
});

const createTrustedTokenIssuer = operation('CreateTrustedTokenIssuer', ['ServiceQuotaExceededException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const instanceArn = v.string('InstanceArn', { required: true, ...shapes.InstanceArn });
  const name = v.string('Name', { required: true, ...shapes.TrustedTokenIssuerName });
  v.string('TrustedTokenIssuerType', { required: true, ...shapes.TrustedTokenIssuerType });
  const config = v.structure(CONFIG, { required: true });
  const oidc = readUnion(v, CONFIG, config, ['OidcJwtConfiguration'] as const) && v.structure(OIDC, {}, config!.OidcJwtConfiguration)!;
  const configuration = oidc && {
    IssuerUrl: v.string(`${OIDC}.IssuerUrl`, { required: true, ...shapes.TrustedTokenIssuerUrl }, oidc.IssuerUrl)!,
    ClaimAttributePath: v.string(`${OIDC}.ClaimAttributePath`, { required: true, ...shapes.ClaimAttributePath }, oidc.ClaimAttributePath)!,
    IdentityStoreAttributePath: v.string(`${OIDC}.IdentityStoreAttributePath`, { required: true, ...shapes.JMESPath }, oidc.IdentityStoreAttributePath)!,
    JwksRetrievalOption: v.string(`${OIDC}.JwksRetrievalOption`, { required: true, ...shapes.JwksRetrievalOption }, oidc.JwksRetrievalOption) as 'OPEN_ID_DISCOVERY',
  };
  const clientToken = v.string('ClientToken', shapes.ClientToken);
  const tags = readTags(v);
  v.done();
  return call.ic.state.mutate((s) =>
    idempotent(s, call, clientToken, () => {
      const instance = findInstance(s, call, instanceArn!);
      // One issuer per IssuerUrl in an instance (assumed: the token exchange picks the issuer by
      // the JWT's iss, which two issuers with one URL would make ambiguous).
      const same = Object.values(s.trustedTokenIssuers).find(
        (t) => t.InstanceArn === instance.InstanceArn && t.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl === configuration!.IssuerUrl,
      );
      if (same) throw conflict(`A trusted token issuer with IssuerUrl ${configuration!.IssuerUrl} already exists in instance ${instance.InstanceArn}: ${same.TrustedTokenIssuerArn}`);
      const arn = arns.trustedTokenIssuer(call.accountId, instanceIdOf(instance.InstanceArn)!, ids.trustedTokenIssuerId());
      s.trustedTokenIssuers[arn] = {
        TrustedTokenIssuerArn: arn,
        InstanceArn: instance.InstanceArn,
        Name: name!,
        TrustedTokenIssuerType: 'OIDC_JWT',
        TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: configuration as OidcJwtConfiguration },
        Tags: tags ?? [],
      };
      return { TrustedTokenIssuerArn: arn };
    }),
  );
});

const describeTrustedTokenIssuer = operation('DescribeTrustedTokenIssuer', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const arn = v.string('TrustedTokenIssuerArn', { required: true, ...shapes.TrustedTokenIssuerArn });
  v.done();
  return describeOutput(findTrustedTokenIssuer(call.ic.state.read, call, arn!));
});

/**
 * Name and the attribute mapping can change; IssuerUrl cannot — OidcJwtUpdateConfiguration has no
 * such member, so one sent anyway is ignored like any unknown member (the SDK would not even send it).
 */
const updateTrustedTokenIssuer = operation('UpdateTrustedTokenIssuer', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const arn = v.string('TrustedTokenIssuerArn', { required: true, ...shapes.TrustedTokenIssuerArn });
  const name = v.string('Name', shapes.TrustedTokenIssuerName);
  const config = v.structure(CONFIG);
  const oidc = readUnion(v, CONFIG, config, ['OidcJwtConfiguration'] as const) && v.structure(OIDC, {}, config!.OidcJwtConfiguration)!;
  const changes: Partial<OidcJwtConfiguration> = {};
  if (oidc) {
    const claim = v.string(`${OIDC}.ClaimAttributePath`, shapes.ClaimAttributePath, oidc.ClaimAttributePath);
    const storePath = v.string(`${OIDC}.IdentityStoreAttributePath`, shapes.JMESPath, oidc.IdentityStoreAttributePath);
    const jwks = v.string(`${OIDC}.JwksRetrievalOption`, shapes.JwksRetrievalOption, oidc.JwksRetrievalOption);
    if (claim !== undefined) changes.ClaimAttributePath = claim;
    if (storePath !== undefined) changes.IdentityStoreAttributePath = storePath;
    if (jwks !== undefined) changes.JwksRetrievalOption = jwks as 'OPEN_ID_DISCOVERY';
  }
  v.done();
  return call.ic.state.mutate((s) => {
    const tti = s.trustedTokenIssuers[findTrustedTokenIssuer(s, call, arn!).TrustedTokenIssuerArn]!;
    if (name !== undefined) tti.Name = name;
    Object.assign(tti.TrustedTokenIssuerConfiguration.OidcJwtConfiguration, changes);
    return {};
  });
});

/** Grants that name the issuer keep naming it: their users lose access (model documentation). */
const deleteTrustedTokenIssuer = operation('DeleteTrustedTokenIssuer', ['ResourceNotFoundException', 'ConflictException'], (call) => {
  const v = new InputValidator(call.input);
  const arn = v.string('TrustedTokenIssuerArn', { required: true, ...shapes.TrustedTokenIssuerArn });
  v.done();
  return call.ic.state.mutate((s) => {
    delete s.trustedTokenIssuers[findTrustedTokenIssuer(s, call, arn!).TrustedTokenIssuerArn];
    return {};
  });
});

const listTrustedTokenIssuers = operation('ListTrustedTokenIssuers', [], (call) => {
  const v = new InputValidator(call.input);
  const instanceArn = v.string('InstanceArn', { required: true, ...shapes.InstanceArn });
  const page = readPageRequest(v, { maxShape: shapes.MaxResults, defaultMax: shapes.MaxResults.max });
  v.done();
  const state = call.ic.state.read;
  const instance = findInstance(state, call, instanceArn!);
  const all = Object.values(state.trustedTokenIssuers).filter((t) => t.InstanceArn === instance.InstanceArn);
  const { items, nextToken } = paginate(all, (t) => t.TrustedTokenIssuerArn, page, `ListTrustedTokenIssuers/${instance.InstanceArn}`);
  return {
    TrustedTokenIssuers: items.map((t) => ({ TrustedTokenIssuerArn: t.TrustedTokenIssuerArn, Name: t.Name, TrustedTokenIssuerType: t.TrustedTokenIssuerType })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
});

export const trustedTokenIssuerOperations: SsoAdminOperation[] = [
  createTrustedTokenIssuer,
  describeTrustedTokenIssuer,
  updateTrustedTokenIssuer,
  deleteTrustedTokenIssuer,
  listTrustedTokenIssuers,
];
