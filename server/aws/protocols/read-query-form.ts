import { type MemberModel, type ServiceModel, type ShapeModel, shapeOf } from '../model/service-model.js';

/** A form key split on its dots: `ProvidedContexts.member.1.ProviderArn` → a path in a tree. */
interface FormNode {
  value?: string;
  readonly children: Map<string, FormNode>;
}

function formTree(params: URLSearchParams): FormNode {
  const root: FormNode = { children: new Map() };
  for (const [key, value] of params) {
    let node = root;
    for (const part of key.split('.')) {
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = { children: new Map() }));
      node = next;
    }
    // A repeated key: the first one counts, as URLSearchParams.get reads it.
    if (node.value === undefined) node.value = value;
  }
  return root;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads an awsQuery form into the raw input of an operation, by its input shape in the model:
 * `Member` for a structure's members (or the member's `xmlName`), `Prefix.member.N…` for lists
 * (N from 1, up to the first missing index), `Prefix.entry.N.key` / `.value` for maps, numbers,
 * booleans and timestamps converted by the member's type. A value that does not convert stays the
 * text it was, so `readInput` refuses it by its type; keys the model does not have are ignored.
 * `Action` and `Version` are the protocol's, not the input's.
 */
export function readQueryForm(model: ServiceModel, shapeName: string, params: URLSearchParams): Record<string, unknown> {
  const reader = new QueryFormReader(model);
  return (reader.value(shapeOf(model, shapeName), formTree(params)) as Record<string, unknown> | undefined) ?? {};
}

class QueryFormReader {
  constructor(readonly model: ServiceModel) {}

  member(member: MemberModel, node: FormNode | undefined): unknown {
    return node ? this.value(shapeOf(this.model, member.target), node) : undefined;
  }

  value(shape: ShapeModel, node: FormNode): unknown {
    switch (shape.type) {
      case 'structure':
      case 'union': {
        const out: Record<string, unknown> = {};
        for (const [name, m] of Object.entries(shape.members)) {
          const v = this.member(m, node.children.get(String(m.traits?.xmlName ?? name)));
          if (v !== undefined) out[name] = v;
        }
        return out;
      }
      case 'list': {
        // `Prefix=` (empty) is an empty list, as the AWS SDKs send one.
        const entries = shape.member.traits?.xmlFlattened ? node : node.children.get('member');
        if (!entries) return node.value === '' ? [] : node.value;
        const out: unknown[] = [];
        for (let n = 1; entries.children.has(String(n)); n++) out.push(this.member(shape.member, entries.children.get(String(n))));
        return out;
      }
      case 'map': {
        const entries = node.children.get('entry');
        if (!entries) return node.value === '' ? {} : node.value;
        const out: Record<string, unknown> = {};
        for (let n = 1; entries.children.has(String(n)); n++) {
          const entry = entries.children.get(String(n))!;
          const key = entry.children.get('key')?.value;
          if (key !== undefined && !Object.hasOwn(out, key)) Object.defineProperty(out, key, { value: this.member(shape.value, entry.children.get('value')), enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      case 'number':
      case 'bigInteger':
      case 'bigDecimal':
        return node.value !== undefined && NUMBER.test(node.value) ? Number(node.value) : node.value;
      case 'boolean':
        return node.value === 'true' ? true : node.value === 'false' ? false : node.value;
      case 'timestamp': {
        const d = node.value === undefined ? undefined : new Date(NUMBER.test(node.value) ? Number(node.value) * 1000 : node.value);
        return d && !Number.isNaN(d.getTime()) ? d : node.value;
      }
      default:
        return node.value;
    }
  }
}
