import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MemberModel, OperationModel, ServiceModel, ShapeModel, Traits } from '../../server/aws/model/service-model.js';

/**
 * Reads an installed AWS SDK v3 client's static schemas (`dist-es/schemas/schemas_0.js`), enums
 * (`dist-es/models/enums.js`), declared errors (`@throws` in `dist-types/commands/*Command.d.ts`)
 * and protocol settings (`dist-es/runtimeConfig.shared.js`) into the lab's `ServiceModel`.
 *
 * The schema encoding is @smithy/core's: a structure is `[3, namespace, name, traits, memberNames,
 * memberSchemas, requiredCount]` (the first `requiredCount` members are required), an error `[-3, …]`
 * with `{ error, httpError }` traits, a list `[1, …, valueSchema]`, a map `[2, …, key, value]`, a union
 * `[4, …]`, an operation `[9, ns, name, traits, input, output]`, a named simple shape
 * `[0, ns, name, traits, base]`, a member with traits `[schema, traits]`, and a simple type a number
 * (`@smithy/core/schema` `sentinels.js`: 0 string, 1 number, 2 boolean, 4–7 timestamps, 15 document,
 * 17/19 big numbers, 21/42 blobs; `64 |` a list of, `128 |` a map of).
 */

const SIMPLE: Record<number, string> = {
  0: 'String',
  1: 'Number',
  2: 'Boolean',
  4: 'Timestamp',
  5: 'Timestamp#date-time',
  6: 'Timestamp#http-date',
  7: 'Timestamp#epoch-seconds',
  15: 'Document',
  17: 'BigInteger',
  19: 'BigDecimal',
  21: 'Blob',
  42: 'StreamingBlob',
};

/** @smithy/core `translateTraits`: the bit order of a numeric trait set. */
const TRAIT_BITS = ['httpLabel', 'idempotent', 'idempotencyToken', 'sensitive', 'httpPayload', 'httpResponseCode', 'httpQueryParams'];

function traitsOf(indicator: unknown): Traits | undefined {
  if (indicator && typeof indicator === 'object') return Object.keys(indicator).length ? { ...(indicator as Traits) } : undefined;
  const n = Number(indicator) | 0;
  if (n === 0) return undefined;
  const out: Record<string, unknown> = {};
  TRAIT_BITS.forEach((name, i) => {
    if ((n >> i) & 1) out[name] = 1;
  });
  return out;
}

const SIMPLE_TYPE: Record<string, ShapeModel['type']> = {
  String: 'string',
  Number: 'number',
  Boolean: 'boolean',
  Document: 'document',
  BigInteger: 'bigInteger',
  BigDecimal: 'bigDecimal',
  Blob: 'blob',
  StreamingBlob: 'blob',
};

export interface ClientSpec {
  /** The lab's name for the service. */
  service: string;
  /** The npm package: `@aws-sdk/client-sso-admin`. */
  pkg: string;
}

function decoder(shapes: Record<string, ShapeModel>) {
  const deref = (ref: unknown): unknown => (typeof ref === 'function' ? deref((ref as () => unknown)()) : ref);

  /** A schema reference as a shape name, registering named shapes as it meets them. */
  function nameOf(ref: unknown): string {
    const sc = deref(ref);
    if (typeof sc === 'number') {
      if (SIMPLE[sc]) return SIMPLE[sc]!;
      if (sc & 64) return `List<${SIMPLE[sc & 63] ?? 'String'}>`;
      if (sc & 128) return `Map<String,${SIMPLE[sc & 127] ?? 'String'}>`;
      throw new Error(`unknown simple schema ${sc}`);
    }
    if (sc === 'unit') return 'Unit';
    if (!Array.isArray(sc)) throw new Error(`unknown schema ${JSON.stringify(sc)}`);
    if (sc.length === 2) return nameOf(sc[0]);
    const [kind, , name] = sc as [number, string, string];
    if (shapes[name]) return name;
    const traits = traitsOf(sc[3]);
    switch (kind) {
      case 0: {
        const base = nameOf(sc[4]);
        const type = SIMPLE_TYPE[base] ?? (base.startsWith('Timestamp') ? 'timestamp' : undefined);
        if (!type) throw new Error(`${name}: unknown simple base ${base}`);
        const baseTraits = base.startsWith('Timestamp#') ? { timestampFormat: base.slice('Timestamp#'.length) } : undefined;
        shapes[name] = { type, ...(traits || baseTraits ? { traits: { ...baseTraits, ...traits } } : {}) } as ShapeModel;
        return name;
      }
      case 1:
        shapes[name] = { type: 'list', member: { target: 'String' } }; // a recursive shape finds itself
        shapes[name] = { type: 'list', member: member(sc[4]), ...(traits ? { traits } : {}) };
        return name;
      case 2:
        shapes[name] = { type: 'map', key: { target: 'String' }, value: { target: 'String' } }; // as above
        shapes[name] = { type: 'map', key: member(sc[4]), value: member(sc[5]), ...(traits ? { traits } : {}) };
        return name;
      case 3:
      case -3:
      case 4: {
        const names = sc[4] as string[];
        const placeholder: ShapeModel = { type: 'structure', members: {}, required: [] };
        shapes[name] = placeholder; // a recursive shape finds itself
        const members: Record<string, MemberModel> = {};
        names.forEach((m, i) => {
          members[m] = member((sc[5] as unknown[])[i]);
        });
        if (kind === 4) {
          shapes[name] = { type: 'union', members, ...(traits ? { traits } : {}) };
        } else {
          const required = names.slice(0, Number(sc[6] ?? 0));
          const { error, httpError, ...rest } = (traits ?? {}) as Record<string, unknown>;
          shapes[name] = {
            type: 'structure',
            members,
            required,
            ...(Object.keys(rest).length ? { traits: rest } : {}),
            ...(kind === -3 ? { error: { fault: error === 'server' ? 'server' : 'client', ...(httpError !== undefined ? { httpStatus: Number(httpError) } : {}) } } : {}),
          } as ShapeModel;
        }
        return name;
      }
      default:
        throw new Error(`${name}: unknown schema kind ${kind}`);
    }
  }

  function member(ref: unknown): MemberModel {
    const sc = deref(ref);
    if (Array.isArray(sc) && sc.length === 2) {
      const inner = member(sc[0]);
      const traits = { ...inner.traits, ...traitsOf(sc[1]) };
      return { target: inner.target, ...(Object.keys(traits).length ? { traits } : {}) };
    }
    return { target: nameOf(sc) };
  }

  return { nameOf };
}

/**
 * Each structure's members in the model's order, from the client's declaration files
 * (`export interface <Shape> { <Member>?: … }`): the schemas list required members first, and the
 * model's order is what AWS's validation walks, so what its multi-error messages follow.
 */
function memberOrder(dir: string): Map<string, string[]> {
  const order = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
      order.set(m[1]!, [...m[2]!.matchAll(/^ {4}(\w+)\??: /gm)].map((x) => x[1]!));
    }
  }
  return order;
}

/** Puts every structure's members in the order its declaration lists them (members it does not list last). */
function inModelOrder(shapes: Record<string, ShapeModel>, order: Map<string, string[]>): void {
  for (const [name, shape] of Object.entries(shapes)) {
    const names = order.get(name);
    if (shape.type !== 'structure' || !names) continue;
    const rank = (m: string) => (names.includes(m) ? names.indexOf(m) : names.length);
    const members = Object.fromEntries(Object.entries(shape.members).sort(([a], [b]) => rank(a) - rank(b)));
    shapes[name] = { ...shape, members };
  }
}

/** Extracts one client's model from what is installed under node_modules. */
export async function extractServiceModel(spec: ClientSpec): Promise<ServiceModel> {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve(`${spec.pkg}/package.json`));
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
  // The package's CommonJS entry exports the schemas (`<Shape>$`) and the enums; `dist-es` names them.
  const client = require(spec.pkg) as Record<string, unknown>;
  const schemaNames = [...readFileSync(join(root, 'dist-es/schemas/schemas_0.js'), 'utf8').matchAll(/^export var (\w+\$) =/gm)].map((m) => m[1]!);
  const schemas = Object.fromEntries(schemaNames.map((n) => [n, client[n]]));
  const enumNames = [...readFileSync(join(root, 'dist-es/models/enums.js'), 'utf8').matchAll(/^export const (\w+) = \{/gm)].map((m) => m[1]!);
  const enumsModule = Object.fromEntries(enumNames.map((n) => [n, client[n] as Record<string, string>]));
  const runtime = readFileSync(join(root, 'dist-es/runtimeConfig.shared.js'), 'utf8');
  const auth = readFileSync(join(root, 'dist-es/auth/httpAuthSchemeProvider.js'), 'utf8');
  const setting = (key: string) => new RegExp(`${key}: "([^"]+)"`).exec(runtime)?.[1];
  const protocolClass = /protocol: config\?\.protocol \?\? (\w+)/.exec(runtime)?.[1];
  const protocol = ({ AwsJson1_1Protocol: 'awsJson1_1', AwsQueryProtocol: 'awsQuery', AwsRestJsonProtocol: 'restJson1', AwsRestXmlProtocol: 'restXml' } as const)[protocolClass as 'AwsJson1_1Protocol'];
  if (!protocol) throw new Error(`${spec.pkg}: unknown protocol ${protocolClass}`);

  const shapes: Record<string, ShapeModel> = {};
  const { nameOf } = decoder(shapes);
  const operations: Record<string, OperationModel> = {};
  const commands = join(root, 'dist-types/commands');
  const base = readdirSync(join(root, 'dist-es/models')).find((f) => f.endsWith('ServiceException.js'))?.replace(/\.js$/, '');
  for (const [exported, value] of Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) {
    if (!exported.endsWith('$') || !Array.isArray(value)) continue;
    if (value[0] === -3 && value[2] === base) continue;
    if (value[0] !== 9) {
      nameOf(value);
      continue;
    }
    const name = value[2] as string;
    const traits = traitsOf(value[3]) as Record<string, unknown> | undefined;
    const declared = readFileSync(join(commands, `${name}Command.d.ts`), 'utf8');
    const errors = [...new Set([...declared.matchAll(/@throws \{@link (\w+)\}/g)].map((m) => m[1]!))].filter((e) => e !== base).sort();
    const { http, ...otherTraits } = traits ?? {};
    operations[name] = {
      name,
      input: nameOf(value[4]),
      output: nameOf(value[5]),
      errors,
      ...(http ? { http: http as [string, string, number] } : {}),
      ...(Object.keys(otherTraits).length ? { traits: otherTraits } : {}),
    };
  }
  const enums: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(enumsModule).sort(([a], [b]) => a.localeCompare(b))) {
    if (values && typeof values === 'object') enums[name] = Object.values(values).map(String);
  }
  inModelOrder(shapes, memberOrder(join(root, 'dist-types/models')));
  const sortedShapes = Object.fromEntries(Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b)));
  const xmlNamespace = setting('xmlNamespace');
  return {
    service: spec.service,
    source: `${spec.pkg}@${version}`,
    namespace: setting('defaultNamespace') ?? '',
    protocol,
    version: setting('version') ?? '',
    serviceTarget: setting('serviceTarget') ?? '',
    signingName: /name: "([^"]+)"/.exec(auth)?.[1] ?? '',
    ...(xmlNamespace ? { xmlNamespace } : {}),
    operations: Object.fromEntries(Object.entries(operations).sort(([a], [b]) => a.localeCompare(b))),
    shapes: sortedShapes,
    enums,
  };
}

/** The clients the lab emulates, and the file each model is written to. */
export const CLIENTS: readonly ClientSpec[] = [
  { service: 'sso-admin', pkg: '@aws-sdk/client-sso-admin' },
  { service: 'identitystore', pkg: '@aws-sdk/client-identitystore' },
  { service: 'sts', pkg: '@aws-sdk/client-sts' },
  { service: 'sso-oidc', pkg: '@aws-sdk/client-sso-oidc' },
  { service: 's3-control', pkg: '@aws-sdk/client-s3-control' },
];
