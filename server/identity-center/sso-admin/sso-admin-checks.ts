import type { InputCheck } from '../../aws/model/read-input.js';

/**
 * SSO Admin's rules on input beyond its model, phrased like the model's constraints: their problems
 * join the model's in one ValidationException (model-service.ts, `checks`). Wording assumed.
 */

type Tag = { Key?: string; Value?: string };
type AuthorizedTokenIssuer = { TrustedTokenIssuerArn?: string; AuthorizedAudiences?: string[] };

/** A TagList names each key once (assumed: which of two values would win is not defined). */
export const noDuplicateTagKeys: InputCheck = (input, check) => {
  const tags = input.Tags as Tag[] | undefined;
  const keys = (tags ?? []).map((t) => t.Key ?? '');
  if (new Set(keys).size !== keys.length) check.fail('Tags', keys, 'Member must not contain duplicate tag keys');
};

/**
 * A JwtBearer grant names its issuers, each with its ARN and audiences, each issuer once. The model
 * leaves them optional, but a grant without them could never accept a token (assumed).
 */
export const jwtBearerNamesItsIssuers: InputCheck = (input, check) => {
  const jwtBearer = (input.Grant as { JwtBearer?: { AuthorizedTokenIssuers?: AuthorizedTokenIssuer[] } } | undefined)?.JwtBearer;
  if (!jwtBearer) return;
  const path = 'Grant.JwtBearer.AuthorizedTokenIssuers';
  const issuers = jwtBearer.AuthorizedTokenIssuers;
  if (!issuers) return check.fail(path, null, 'Member must not be null');
  issuers.forEach((issuer, i) => {
    if (issuer.TrustedTokenIssuerArn === undefined) check.fail(`${path}.${i + 1}.member.TrustedTokenIssuerArn`, null, 'Member must not be null');
    if (issuer.AuthorizedAudiences === undefined) check.fail(`${path}.${i + 1}.member.AuthorizedAudiences`, null, 'Member must not be null');
  });
  const arns = issuers.map((i) => i.TrustedTokenIssuerArn ?? '');
  if (new Set(arns).size !== arns.length) check.fail(path, arns, 'Member must not name the same TrustedTokenIssuerArn twice');
};

/** The checks by operation. */
export const SSO_ADMIN_CHECKS: Record<string, InputCheck> = {
  CreateInstance: noDuplicateTagKeys,
  CreateTrustedTokenIssuer: noDuplicateTagKeys,
  CreateApplication: noDuplicateTagKeys,
  TagResource: noDuplicateTagKeys,
  PutApplicationGrant: jwtBearerNamesItsIssuers,
};
