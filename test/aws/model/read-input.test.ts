import t from 'tap';
import { AwsError } from '../../../server/aws/aws-error.js';
import { ModelPattern } from '../../../server/aws/input-validator.js';
import type { ConstraintTable } from '../../../server/aws/model/constraint-table.js';
import { readInput } from '../../../server/aws/model/read-input.js';
import { SERVICE_MODELS } from '../../../server/aws/model/service-models.js';

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
