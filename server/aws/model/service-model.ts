/**
 * An AWS service's API model as the lab reads it: the members, types, required members, unions,
 * enums, error shapes and HTTP bindings of its operations, extracted from the installed AWS SDK v3
 * client's schemas (`scripts/aws-model/extract-service-model.ts`, `npm run model:update`) into
 * `server/aws/model/services/<service>.json`. What the SDK's schemas leave out — patterns, lengths
 * and ranges — is in the service's constraint table beside it (`constraints/`), with its source.
 *
 * Shapes are named. A member's `target` names a shape in `shapes`, or one of the simple types
 * (`String`, `Boolean`, `Number`, `BigInteger`, `BigDecimal`, `Blob`, `Document`, `Timestamp`,
 * `Timestamp#date-time`, `Timestamp#http-date`, `Timestamp#epoch-seconds`), or an anonymous
 * collection of them (`List<String>`, `Map<String,String>`).
 */

/** A member's traits: the SDK's names (`httpLabel`, `httpQuery`, `httpHeader`, `hostLabel`, `xmlName`, `xmlFlattened`, `idempotencyToken`, `sensitive` …). */
export type Traits = Readonly<Record<string, unknown>>;

export interface MemberModel {
  readonly target: string;
  readonly traits?: Traits;
}

export type SimpleType = 'string' | 'boolean' | 'number' | 'bigInteger' | 'bigDecimal' | 'blob' | 'document' | 'timestamp';

export type ShapeModel =
  | { readonly type: 'structure'; readonly members: Readonly<Record<string, MemberModel>>; readonly required: readonly string[]; readonly traits?: Traits; readonly error?: { readonly fault: 'client' | 'server'; readonly httpStatus?: number } }
  | { readonly type: 'union'; readonly members: Readonly<Record<string, MemberModel>>; readonly traits?: Traits }
  | { readonly type: 'list'; readonly member: MemberModel; readonly traits?: Traits }
  | { readonly type: 'map'; readonly key: MemberModel; readonly value: MemberModel; readonly traits?: Traits }
  | { readonly type: SimpleType; readonly traits?: Traits };

export interface OperationModel {
  readonly name: string;
  /** Input and output structure names; `Unit` when the operation has none. */
  readonly input: string;
  readonly output: string;
  /** The errors the operation declares (from the SDK's `@throws`), the service's base exception left out. */
  readonly errors: readonly string[];
  /** restJson1 / restXml: method, path template (`{Label}`, `{Label+}`) and success status. */
  readonly http?: readonly [string, string, number];
  readonly traits?: Traits;
}

export interface ServiceModel {
  /** The lab's name for the service (`sso-admin`, `identitystore`, `sts`, `sso-oidc`, `s3-control`). */
  readonly service: string;
  /** Where it was extracted from: `@aws-sdk/client-sso-admin@3.1138.0`. */
  readonly source: string;
  readonly namespace: string;
  readonly protocol: 'awsJson1_1' | 'awsQuery' | 'restJson1' | 'restXml';
  readonly version: string;
  /** X-Amz-Target prefix (awsJson1_1). */
  readonly serviceTarget: string;
  readonly signingName: string;
  readonly xmlNamespace?: string;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, ShapeModel>>;
  /** Enum shapes by name, from the SDK's `models/enums.js`: the allowed values. */
  readonly enums: Readonly<Record<string, readonly string[]>>;
}

/** The simple types every model shares (never listed in `shapes`). */
export const SIMPLE_SHAPES: Readonly<Record<string, ShapeModel>> = {
  String: { type: 'string' },
  Boolean: { type: 'boolean' },
  Number: { type: 'number' },
  BigInteger: { type: 'bigInteger' },
  BigDecimal: { type: 'bigDecimal' },
  Blob: { type: 'blob' },
  StreamingBlob: { type: 'blob', traits: { streaming: 1 } },
  Document: { type: 'document' },
  Timestamp: { type: 'timestamp' },
  'Timestamp#date-time': { type: 'timestamp', traits: { timestampFormat: 'date-time' } },
  'Timestamp#http-date': { type: 'timestamp', traits: { timestampFormat: 'http-date' } },
  'Timestamp#epoch-seconds': { type: 'timestamp', traits: { timestampFormat: 'epoch-seconds' } },
  Unit: { type: 'structure', members: {}, required: [] },
};

/** A shape by name, simple types and anonymous `List<…>` / `Map<…,…>` included. */
export function shapeOf(model: ServiceModel, name: string): ShapeModel {
  const named = model.shapes[name] ?? SIMPLE_SHAPES[name];
  if (named) return named;
  const list = /^List<(.+)>$/.exec(name);
  if (list) return { type: 'list', member: { target: list[1]! } };
  const map = /^Map<([^,]+),(.+)>$/.exec(name);
  if (map) return { type: 'map', key: { target: map[1]! }, value: { target: map[2]! } };
  throw new Error(`${model.service} model: no shape named ${name}`);
}
