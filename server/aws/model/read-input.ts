import { AwsError } from '../aws-error.js';
import { InputValidator } from '../input-validator.js';
import type { ConstraintTable, ShapeConstraint } from './constraint-table.js';
import { type MemberModel, type ServiceModel, type ShapeModel, shapeOf } from './service-model.js';

/**
 * Reads an operation's input by its model: every member's type, required members, unions, enums
 * (the SDK's), and lengths, ranges and patterns (the service's constraint table), the way AWS's
 * front end does — a value of the wrong JSON type cannot be deserialised (SerializationException,
 * at once), constraint violations are collected and thrown together as one ValidationException in
 * the Coral wording (`InputValidator`). Unknown members are dropped, as awsJson deserialisers do;
 * the result holds only the model's members, with the model's names.
 *
 * `raw` is the request as a JSON value (awsJson, restJson) or as the protocol parser built it from a
 * form, query or XML body (values already converted to the model's types).
 */
export function readInput(model: ServiceModel, constraints: ConstraintTable, shapeName: string, raw: unknown, opts: ReadInputOptions = {}): Record<string, unknown> {
  const input = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const v = new InputValidator(input);
  const requiredMembers = opts.requiredMembers ?? true;
  const reader = new ModelReader(model, constraints, v, 'wire', requiredMembers);
  const out = reader.structureMembers('', shapeName, shapeOf(model, shapeName), input);
  if (opts.check) {
    const documents = new ModelReader(model, constraints, v, 'document', requiredMembers);
    opts.check(out, {
      fail: (path, value, constraint, sensitive) => v.fail(path, value, constraint, sensitive),
      document: (path, target, value) => documents.bare(path, target, value),
    });
  }
  v.done();
  return out;
}

export interface ReadInputOptions {
  /**
   * Whether a structure's required members must be present (default true). SSO OIDC reads with
   * false: its named steps answer a missing clientId, grantType … with the behaviour profile's
   * OAuth error (`client.missing` …), as the real service does, not with a ValidationException.
   */
  readonly requiredMembers?: boolean;
  /** The service's own rules on this operation's input beyond its model (`InputCheck`). */
  readonly check?: InputCheck | undefined;
}


/**
 * What a service's own input checks may do: record a problem (it joins the model's in the same
 * ValidationException, after them), and read a Smithy document (`AttributeValue` …) against a
 * model shape. A document is any JSON, so it is read in `document` mode: structure member names
 * match whatever their case (`givenName` or `GivenName`), a value of the wrong JSON type is a
 * problem (`Member must be a string`), not a SerializationException, and the value comes back
 * with the model's member names, unknown members dropped. Lengths, patterns and enums apply as
 * on the wire.
 */
export interface InputCheckContext {
  fail(path: string, value: unknown, constraint: string, sensitive?: boolean): void;
  document(path: string, target: string, value: unknown): unknown;
}

/**
 * A service's rules on an operation's input beyond its model (members the service requires though
 * the model does not, values a member may not take …), phrased like the model's constraints. It
 * gets the input as the model read it; it may replace a Document member's value with what
 * `document` read from it, so the handler gets it with the model's member names.
 */
export type InputCheck = (input: Record<string, unknown>, check: InputCheckContext) => void;

/** A shape's constraints, with the botocore shape name they were found under. */
type Constraint = ShapeConstraint & { readonly name: string; readonly enumValues?: readonly string[] };

/** A shape the SDK names only by its element types (`List<String>`, `Map<String,Document>`). */
const isAnonymous = (target: string) => target.includes('<');

/** The JSON value each kind of shape takes, as a document's content is checked against it (wording assumed). */
const JSON_TYPE: Partial<Record<ShapeModel['type'], [test: (value: unknown) => boolean, expected: string]>> = {
  string: [(x) => typeof x === 'string', 'a string'],
  blob: [(x) => typeof x === 'string', 'a string'],
  boolean: [(x) => typeof x === 'boolean', 'a boolean'],
  number: [(x) => typeof x === 'number', 'a number'],
  bigInteger: [(x) => typeof x === 'number', 'a number'],
  bigDecimal: [(x) => typeof x === 'number', 'a number'],
  list: [Array.isArray, 'a list'],
  map: [(x) => typeof x === 'object' && !Array.isArray(x), 'an object'],
  structure: [(x) => typeof x === 'object' && !Array.isArray(x), 'an object'],
  union: [(x) => typeof x === 'object' && !Array.isArray(x), 'an object'],
};

/** What reading one structure member needs that depends only on the model and the table. */
interface MemberPlan {
  readonly name: string;
  readonly member: MemberModel;
  readonly shape: ShapeModel;
  readonly constraint: Constraint;
  readonly sensitive: boolean;
  /** Whether the model requires it (a read with `requiredMembers: false` ignores this). */
  readonly required: boolean;
}

/**
 * A service model read against one constraint table, worked out once and kept: the shapes the SDK
 * names only by their element types, each shape's constraints, and each structure's member plans.
 * Every request reads the same few structures, so only the values are left to check per request.
 */
class ModelPlans {
  readonly #shapes = new Map<string, ShapeModel>();
  readonly #constraints = new Map<string, Constraint>();
  readonly #members = new Map<string, readonly MemberPlan[]>();

  constructor(
    readonly model: ServiceModel,
    readonly table: ConstraintTable,
  ) {}

  static readonly #byModel = new WeakMap<ServiceModel, Map<ConstraintTable, ModelPlans>>();

  static of(model: ServiceModel, table: ConstraintTable): ModelPlans {
    let byTable = ModelPlans.#byModel.get(model);
    if (!byTable) ModelPlans.#byModel.set(model, (byTable = new Map()));
    let plans = byTable.get(table);
    if (!plans) byTable.set(table, (plans = new ModelPlans(model, table)));
    return plans;
  }

  shape(target: string): ShapeModel {
    let shape = this.#shapes.get(target);
    if (!shape) this.#shapes.set(target, (shape = shapeOf(this.model, target)));
    return shape;
  }

  /** The constraints of the botocore shape `name` (none when the table and the model have none). */
  constraint(name: string): Constraint {
    let c = this.#constraints.get(name);
    if (!c) {
      const found = this.table.shapes[name] ?? {};
      const enumValues = found.enum ?? this.model.enums[name];
      c = enumValues ? { ...found, name, enumValues } : { ...found, name };
      this.#constraints.set(name, c);
    }
    return c;
  }

  /**
   * The constraints of a member: found under an explicit `Owner.Member` entry, a `*.Member` entry
   * (a member name that means one shape wherever it appears), a named target with constraints, or
   * the member's name.
   */
  memberConstraint(owner: string, memberName: string, member: MemberModel): Constraint {
    const explicit = this.table.members?.[`${owner}.${memberName}`] ?? this.table.members?.[`*.${memberName}`];
    if (explicit) return this.constraint(explicit);
    if (this.table.shapes[member.target] || this.model.enums[member.target]) return this.constraint(member.target);
    return this.constraint(memberName);
  }

  /** The member plans of structure (or union) `name`, in the model's order. */
  members(name: string, shape: ShapeModel & { type: 'structure' | 'union' }): readonly MemberPlan[] {
    let plans = this.#members.get(name);
    if (!plans) {
      const required = new Set(shape.type === 'structure' ? shape.required : []);
      plans = Object.entries(shape.members).map(([memberName, member]) => {
        const memberShape = this.shape(member.target);
        const constraint = this.memberConstraint(name, memberName, member);
        return { name: memberName, member, shape: memberShape, constraint, sensitive: isSensitive(member, memberShape, constraint), required: required.has(memberName) };
      });
      this.#members.set(name, plans);
    }
    return plans;
  }
}

const isSensitive = (member: MemberModel, shape: ShapeModel, c: ShapeConstraint): boolean => Boolean(c.sensitive || member.traits?.sensitive || shape.traits?.sensitive);

class ModelReader {
  readonly #sensitiveShapes = new Map<string, boolean>();
  readonly #plans: ModelPlans;

  constructor(
    readonly model: ServiceModel,
    readonly table: ConstraintTable,
    readonly v: InputValidator,
    /** `wire`: the request's own members; `document`: a Document's content (see InputCheckContext). */
    readonly mode: 'wire' | 'document',
    readonly requiredMembers: boolean = true,
  ) {
    this.#plans = ModelPlans.of(model, table);
  }

  /** Whether a value of this shape holds a sensitive member somewhere: then a message leaves it out whole. */
  #holdsSensitive(target: string): boolean {
    const known = this.#sensitiveShapes.get(target);
    if (known !== undefined) return known;
    this.#sensitiveShapes.set(target, false);
    const shape = this.#plans.shape(target);
    const members = shape.type === 'structure' || shape.type === 'union' ? Object.values(shape.members) : shape.type === 'list' ? [shape.member] : shape.type === 'map' ? [shape.value] : [];
    const held = Boolean(shape.traits?.sensitive) || members.some((m) => m.traits?.sensitive || this.#holdsSensitive(m.target));
    this.#sensitiveShapes.set(target, held);
    return held;
  }

  /** A value of shape `target` with no member around it (a document's content). */
  bare(path: string, target: string, value: unknown): unknown {
    const shape = this.#plans.shape(target);
    const c = this.#plans.constraint(this.table.shapes[target] || this.model.enums[target] ? target : '');
    return this.value(path, target, shape, c, isSensitive({ target }, shape, c), value, false);
  }

  structureMembers(path: string, name: string, shape: ShapeModel, value: Record<string, unknown>): Record<string, unknown> {
    if (shape.type !== 'structure' && shape.type !== 'union') throw new Error(`${name} is not a structure`);
    const out: Record<string, unknown> = {};
    const keys = this.mode === 'document' ? Object.keys(value) : [];
    for (const plan of this.#plans.members(name, shape)) {
      const memberName = plan.name;
      const key = this.mode === 'document' ? (keys.find((k) => k.toLowerCase() === memberName.toLowerCase()) ?? memberName) : memberName;
      const present = Object.hasOwn(value, key) ? value[key] : undefined;
      const required = this.requiredMembers && plan.required;
      // An absent optional member needs no check (and no path for a message).
      if (present === undefined && !required) continue;
      const read = this.value(path ? `${path}.${memberName}` : memberName, plan.member.target, plan.shape, plan.constraint, plan.sensitive, present, required);
      if (read !== undefined) out[memberName] = read;
    }
    if (shape.type === 'union' && path) {
      const set = Object.keys(shape.members).filter((m) => out[m] !== undefined);
      if (set.length !== 1) this.v.fail(path, value, `Member must have exactly one of [${Object.keys(shape.members).join(', ')}] set`, this.#holdsSensitive(name));
    }
    return out;
  }

  value(path: string, target: string, shape: ShapeModel, c: Constraint, sensitive: boolean, value: unknown, required: boolean): unknown {
    const v = this.v;
    const jsonType = JSON_TYPE[shape.type];
    if (this.mode === 'document' && jsonType && value !== undefined && value !== null && !jsonType[0](value)) {
      v.fail(path, value, `Member must be ${jsonType[1]}`, sensitive);
      return undefined;
    }
    // Entries of an anonymous list or map find their constraints under the list's own shape name.
    const owner = isAnonymous(target) ? c.name : target;
    switch (shape.type) {
      case 'string':
        return v.string(path, { required, min: c.min, max: c.max, pattern: c.pattern, enum: c.enumValues, sensitive }, value);
      case 'number':
      case 'bigInteger':
        return v.integer(path, { required, min: c.min, max: c.max }, value);
      case 'bigDecimal':
        return this.#number(path, value, required, c);
      case 'boolean':
        return v.boolean(path, { required }, value);
      case 'timestamp':
        return this.#timestamp(path, value, required);
      case 'blob':
        return v.string(path, { required, sensitive }, value);
      case 'document':
        if ((value === undefined || value === null) && required) v.fail(path, null, 'Member must not be null');
        return value ?? undefined;
      case 'list': {
        const list = v.list(path, { required, min: c.min, max: c.max }, value);
        if (!list) return undefined;
        const entry = shape.member;
        const entryShape = this.#plans.shape(entry.target);
        const ec = this.#plans.memberConstraint(owner, 'member', entry);
        const sensitiveEntry = isSensitive(entry, entryShape, ec);
        return list.map((item, i) => this.value(`${path}.${i + 1}.member`, entry.target, entryShape, ec, sensitiveEntry, item, true));
      }
      case 'map': {
        const map = v.structure(path, { required }, value);
        if (!map) return undefined;
        const size = Object.keys(map).length;
        if (c.min !== undefined && size < c.min) v.fail(path, map, `Member must have length greater than or equal to ${c.min}`, sensitive);
        else if (c.max !== undefined && size > c.max) v.fail(path, map, `Member must have length less than or equal to ${c.max}`, sensitive);
        const keyShape = this.#plans.shape(shape.key.target);
        const valueShape = this.#plans.shape(shape.value.target);
        const kc = this.#plans.memberConstraint(owner, 'key', shape.key);
        const vc = this.#plans.memberConstraint(owner, 'value', shape.value);
        const sensitiveValue = isSensitive(shape.value, valueShape, vc);
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(map)) {
          this.value(`${path}.${k}.key`, shape.key.target, keyShape, kc, false, k, true);
          const read = this.value(`${path}.${k}.value`, shape.value.target, valueShape, vc, sensitiveValue, item, true);
          if (read !== undefined) out[k] = read;
        }
        return out;
      }
      case 'structure':
      case 'union': {
        const struct = v.structure(path, { required }, value);
        if (!struct) return undefined;
        return this.structureMembers(path, target, shape, struct);
      }
    }
  }

  #number(path: string, value: unknown, required: boolean, c: ShapeConstraint): number | undefined {
    if (value === undefined || value === null) {
      if (required) this.v.fail(path, null, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'number') throw new AwsError('SerializationException', 400, `Unexpected value type for '${path}': expected number, got ${typeof value}`);
    if (c.min !== undefined && value < c.min) this.v.fail(path, value, `Member must have value greater than or equal to ${c.min}`);
    else if (c.max !== undefined && value > c.max) this.v.fail(path, value, `Member must have value less than or equal to ${c.max}`);
    return value;
  }

  /** awsJson timestamps are epoch seconds (a number); a parser for another protocol hands over a Date. */
  #timestamp(path: string, value: unknown, required: boolean): Date | undefined {
    if (value === undefined || value === null) {
      if (required) this.v.fail(path, null, 'Member must not be null');
      return undefined;
    }
    if (value instanceof Date) return value;
    if (typeof value !== 'number') throw new AwsError('SerializationException', 400, `Unexpected value type for '${path}': expected timestamp, got ${typeof value}`);
    return new Date(value * 1000);
  }
}
