import t from 'tap';
import { AwsError } from '../../../server/aws/aws-error.js';
import { ModelPattern } from '../../../server/aws/input-validator.js';
import type { ConstraintTable } from '../../../server/aws/model/constraint-table.js';
import { readInput } from '../../../server/aws/model/read-input.js';
import { loadServiceModels } from '../../../server/aws/model/service-models.js';
import { IDENTITY_STORE_CONSTRAINTS } from '../../../server/identity-center/identity-store/identity-store-constraints.js';
import { SSO_ADMIN_CONSTRAINTS } from '../../../server/identity-center/sso-admin/sso-admin-constraints.js';

const SERVICE_MODELS = await loadServiceModels();

/** readInput: one validator for every operation, driven by the SDK's model and a constraint table. */

const model = SERVICE_MODELS['sso-admin'];
const table: ConstraintTable = {
  source: 'test: a few rows of botocore sso-admin/2020-07-20',
  shapes: {
    InstanceArn: { min: 10, max: 1224, pattern: new ModelPattern('arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}') },
    TrustedTokenIssuerName: { min: 1, max: 255, pattern: new ModelPattern('[\\w+=,.@-]+') },
    TagList: { min: 0, max: 75 },
    TagKey: { min: 1, max: 128 },
    TagValue: { min: 0, max: 256 },
    ClientToken: { min: 1, max: 64, sensitive: true },
  },
  members: { 'CreateTrustedTokenIssuerRequest.Name': 'TrustedTokenIssuerName', 'Tag.Key': 'TagKey', 'Tag.Value': 'TagValue' },
};
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const oidc = { IssuerUrl: 'https://idp.example', ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' };
const valid = { InstanceArn: INSTANCE, Name: 'okta', TrustedTokenIssuerType: 'OIDC_JWT', TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: oidc } };
const read = (input: unknown) => readInput(model, table, 'CreateTrustedTokenIssuerRequest', input);

function refusal(input: unknown): { type: string; message: string } {
  try {
    read(input);
  } catch (err) {
    if (err instanceof AwsError) return { type: err.type, message: err.message };
    throw err;
  }
  throw new Error('accepted');
}

t.test('a valid input comes back with the model members only', async (t) => {
  t.same(read({ ...valid, Extra: 1, Tags: [{ Key: 'k', Value: 'v', Other: 2 }] }), { ...valid, Tags: [{ Key: 'k', Value: 'v' }] });
});

t.test('missing required members are collected into one ValidationException, named as Coral names them', async (t) => {
  t.same(refusal({ Name: 'okta' }), {
    type: 'ValidationException',
    message:
      "3 validation errors detected: Value null at 'instanceArn' failed to satisfy constraint: Member must not be null; Value null at 'trustedTokenIssuerType' failed to satisfy constraint: Member must not be null; Value null at 'trustedTokenIssuerConfiguration' failed to satisfy constraint: Member must not be null",
  });
});

t.test('lengths, patterns, the SDK enums, nested list entries and unions', async (t) => {
  t.same(refusal({ ...valid, Name: 'a b' }).message, "1 validation error detected: Value 'a b' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  t.same(refusal({ ...valid, TrustedTokenIssuerType: 'SAML' }).message, "1 validation error detected: Value 'SAML' at 'trustedTokenIssuerType' failed to satisfy constraint: Member must satisfy enum value set: [OIDC_JWT]");
  t.same(refusal({ ...valid, Tags: [{ Key: '', Value: 'v' }] }).message, "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1");
  t.same(refusal({ ...valid, TrustedTokenIssuerConfiguration: {} }).message, "1 validation error detected: Value '{}' at 'trustedTokenIssuerConfiguration' failed to satisfy constraint: Member must have exactly one of [OidcJwtConfiguration] set");
  t.same(
    refusal({ ...valid, TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { ...oidc, JwksRetrievalOption: 'X', IssuerUrl: undefined } } }).message,
    "2 validation errors detected: Value null at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.issuerUrl' failed to satisfy constraint: Member must not be null; Value 'X' at 'trustedTokenIssuerConfiguration.oidcJwtConfiguration.jwksRetrievalOption' failed to satisfy constraint: Member must satisfy enum value set: [OPEN_ID_DISCOVERY]",
  );
});

t.test('a sensitive value stays out of the message', async (t) => {
  t.same(refusal({ ...valid, ClientToken: 'x'.repeat(65) }).message, "1 validation error detected: Value at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 64");
});

t.test('a value of the wrong JSON type cannot be deserialised: SerializationException at once', async (t) => {
  t.same(refusal({ ...valid, Name: 7 }), { type: 'SerializationException', message: "Unexpected value type for 'name': expected string, got number" });
  t.same(refusal({ ...valid, Tags: {} }).type, 'SerializationException');
  t.same(refusal({ ...valid, TrustedTokenIssuerConfiguration: [] }).type, 'SerializationException');
});

t.test('entries of an anonymous list find their constraints under the list\'s shape; `*.Member` names one shape wherever the member appears', async (t) => {
  const untag = (input: unknown) => readInput(model, SSO_ADMIN_CONSTRAINTS, 'UntagResourceRequest', input);
  const err = (() => {
    try {
      untag({ ResourceArn: 'arn:aws:iam::000000000000:role/x', TagKeys: ['', 'ok'] });
    } catch (e) {
      return e as AwsError;
    }
    throw new Error('accepted');
  })();
  t.match(err.message, /^2 validation errors detected: Value 'arn:aws:iam::000000000000:role\/x' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws/);
  t.match(err.message, /; Value '' at 'tagKeys\.1\.member' failed to satisfy constraint: Member must have length greater than or equal to 1$/);
});

t.test('a union that holds sensitive members is left out of the message whole', async (t) => {
  const store = SERVICE_MODELS.identitystore;
  try {
    readInput(store, IDENTITY_STORE_CONSTRAINTS, 'GetUserIdRequest', {
      IdentityStoreId: 'd-1234567890',
      AlternateIdentifier: { ExternalId: { Issuer: 'i', Id: 'secret' }, UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'x' } },
    });
    t.fail('accepted');
  } catch (err) {
    t.equal((err as AwsError).message, "1 validation error detected: Value at 'alternateIdentifier' failed to satisfy constraint: Member must have exactly one of [ExternalId, UniqueAttribute] set");
  }
});

t.test('a check adds its problems after the model\'s, in one ValidationException; a document is read against a shape, ignoring case', async (t) => {
  const store = SERVICE_MODELS.identitystore;
  const read = (value: unknown, extra = false) =>
    readInput(store, IDENTITY_STORE_CONSTRAINTS, 'UpdateUserRequest', { IdentityStoreId: 'd-1234567890', UserId: 'not-an-id', Operations: [{ AttributePath: 'name', AttributeValue: value }] }, { check: (input, check) => {
      const op = (input.Operations as { AttributeValue?: unknown }[])[0]!;
      op.AttributeValue = check.document('Operations.1.member.AttributeValue', 'Name', op.AttributeValue);
      if (extra) check.fail('Operations.1.member.AttributePath', 'name', 'Member must be something else');
    } });
  const message = (value: unknown, extra?: boolean) => {
    try {
      read(value, extra);
    } catch (err) {
      return (err as AwsError).message;
    }
    return 'accepted';
  };
  const PATTERN = "Member must satisfy regular expression pattern: ([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}";
  t.equal(
    message({ givenName: 7, FAMILYNAME: '' }, true),
    `4 validation errors detected: Value 'not-an-id' at 'userId' failed to satisfy constraint: ${PATTERN}; ` +
      "Value at 'operations.1.member.attributeValue.familyName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value at 'operations.1.member.attributeValue.givenName' failed to satisfy constraint: Member must be a string; " +
      "Value 'name' at 'operations.1.member.attributePath' failed to satisfy constraint: Member must be something else",
    'model problems first (userId), then what the check found, document members by the model\'s names',
  );
  t.equal(message([]), `2 validation errors detected: Value 'not-an-id' at 'userId' failed to satisfy constraint: ${PATTERN}; Value '[]' at 'operations.1.member.attributeValue' failed to satisfy constraint: Member must be an object`);
  const ok = readInput(store, IDENTITY_STORE_CONSTRAINTS, 'UpdateUserRequest', { IdentityStoreId: 'd-1234567890', UserId: '12345678-1234-1234-1234-123456789012', Operations: [{ AttributePath: 'name', AttributeValue: { givenname: 'Ada', other: 1 } }] }, { check: (input, check) => {
    const op = (input.Operations as { AttributeValue?: unknown }[])[0]!;
    op.AttributeValue = check.document('Operations.1.member.AttributeValue', 'Name', op.AttributeValue);
  } });
  t.same(ok.Operations, [{ AttributePath: 'name', AttributeValue: { GivenName: 'Ada' } }], 'the value the handler gets: model names, unknown members dropped');
});

t.test('members are walked in the model\'s order (the SDK schema lists required members first)', async (t) => {
  try {
    readInput(model, SSO_ADMIN_CONSTRAINTS, 'TagResourceRequest', { InstanceArn: 'x' });
    t.fail('accepted');
  } catch (err) {
    t.equal(
      (err as AwsError).message,
      "3 validation errors detected: Value 'x' at 'instanceArn' failed to satisfy constraint: Member must have length greater than or equal to 10; " +
        "Value null at 'resourceArn' failed to satisfy constraint: Member must not be null; Value null at 'tags' failed to satisfy constraint: Member must not be null",
    );
  }
});
