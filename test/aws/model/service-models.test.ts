import { readFileSync } from 'node:fs';
import t from 'tap';
import { CLIENTS, extractServiceModel } from '../../../scripts/aws-model/extract-service-model.js';
import { loadServiceModels } from '../../../server/aws/model/service-models.js';
import { shapeOf } from '../../../server/aws/model/service-model.js';

const SERVICE_MODELS = await loadServiceModels();

/** The checked-in models are what the installed SDK clients say, and what the lab relies on is in them. */

for (const spec of CLIENTS) {
  t.test(`${spec.service}: the checked-in model is the installed ${spec.pkg}'s (npm run model:update)`, async (t) => {
    const fresh = await extractServiceModel(spec);
    const stored = JSON.parse(readFileSync(new URL(`../../../server/aws/model/services/${spec.service}.json`, import.meta.url), 'utf8'));
    t.same(stored, JSON.parse(JSON.stringify(fresh)));
  });
}

t.test('every member of every model targets a shape the model can resolve', async (t) => {
  for (const model of Object.values(SERVICE_MODELS)) {
    for (const [name, shape] of Object.entries(model.shapes)) {
      const targets = shape.type === 'structure' || shape.type === 'union' ? Object.values(shape.members).map((m) => m.target) : shape.type === 'list' ? [shape.member.target] : shape.type === 'map' ? [shape.key.target, shape.value.target] : [];
      for (const target of targets) t.doesNotThrow(() => shapeOf(model, target), `${model.service} ${name} → ${target}`);
    }
    for (const op of Object.values(model.operations)) {
      t.doesNotThrow(() => shapeOf(model, op.input), `${model.service} ${op.name} input`);
      for (const e of op.errors) t.equal(model.shapes[e]?.type === 'structure' && 'error' in model.shapes[e]!, true, `${model.service} ${op.name} declares ${e}, an error shape`);
    }
  }
});

t.test('what the SDK schemas say, as the lab reads it', async (t) => {
  const ssoAdmin = SERVICE_MODELS['sso-admin'];
  t.same(
    { protocol: ssoAdmin.protocol, target: ssoAdmin.serviceTarget, signing: ssoAdmin.signingName, version: ssoAdmin.version },
    { protocol: 'awsJson1_1', target: 'SWBExternalService', signing: 'sso', version: '2020-07-20' },
  );
  const create = shapeOf(ssoAdmin, 'CreateTrustedTokenIssuerRequest');
  t.same(create.type === 'structure' && create.required, ['InstanceArn', 'Name', 'TrustedTokenIssuerType', 'TrustedTokenIssuerConfiguration']);
  t.same(create.type === 'structure' && create.members.ClientToken, { target: 'String', traits: { idempotencyToken: 1 } });
  t.equal(shapeOf(ssoAdmin, 'TrustedTokenIssuerConfiguration').type, 'union');
  const scope = shapeOf(ssoAdmin, 'PutApplicationAccessScopeRequest');
  t.same(scope.type === 'structure' && [Object.keys(scope.members), scope.required], [['Scope', 'AuthorizedTargets', 'ApplicationArn'], ['Scope', 'ApplicationArn']], 'members in the model\'s order (the declarations\'), not the schema\'s required-first');
  t.same(ssoAdmin.enums.TrustedTokenIssuerType, ['OIDC_JWT']);
  t.same(ssoAdmin.operations.DescribeTrustedTokenIssuer!.errors, ['AccessDeniedException', 'InternalServerException', 'ResourceNotFoundException', 'ThrottlingException', 'ValidationException']);
  t.same(shapeOf(ssoAdmin, 'ConflictException'), { type: 'structure', members: { Message: { target: 'String' } }, required: [], error: { fault: 'client', httpStatus: 409 } });

  const sts = SERVICE_MODELS.sts;
  t.equal(sts.protocol, 'awsQuery');
  t.equal(sts.xmlNamespace, 'https://sts.amazonaws.com/doc/2011-06-15/');
  const icae = shapeOf(sts, 'InvalidContextAssertionException');
  t.same(icae.traits?.awsQueryError, ['InvalidContextAssertion', 400], 'the wire code differs from the SDK name');

  const s3 = SERVICE_MODELS['s3-control'];
  t.equal(s3.protocol, 'restXml');
  t.same(s3.operations.GetDataAccess!.http, ['GET', '/v20180820/accessgrantsinstance/dataaccess', 200]);
  const gda = shapeOf(s3, 'GetDataAccessRequest');
  t.same(gda.type === 'structure' && gda.members.AccountId, { target: 'String', traits: { hostLabel: 1, httpHeader: 'x-amz-account-id' } });
  t.same(gda.type === 'structure' && gda.members.DurationSeconds, { target: 'Number', traits: { httpQuery: 'durationSeconds' } });

  const oidc = SERVICE_MODELS['sso-oidc'];
  t.same(oidc.operations.CreateTokenWithIAM!.http, ['POST', '/token?aws_iam=t', 200]);
});
