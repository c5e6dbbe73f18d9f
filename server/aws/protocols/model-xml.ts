import { escapeXml } from '../../util/xml.js';
import { type MemberModel, type ServiceModel, type ShapeModel, shapeOf } from '../model/service-model.js';

/**
 * How a protocol lays out lists and maps in XML. awsQuery (STS): every list is wrapped, its entries
 * `<member>` whatever the model says, maps `<entry><key/><value/></entry>`. restXml (S3 Control):
 * a list is wrapped unless its member is `xmlFlattened`, its entries named by the list member's
 * `xmlName` (else `member`); a flattened list or map repeats the member's own element.
 */
export type XmlFlavour = 'awsQuery' | 'restXml';

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Writes a value as XML by its shape in the service's model: one element per member the value has
 * (model order, the element named by the member's `xmlName` trait or the member's name), lists and
 * maps as `flavour` lays them out, timestamps in the shape's `timestampFormat` (ISO 8601 without
 * fractions by default, as AWS's XML protocols send them), blobs base64, `xmlAttribute` members as
 * attributes of their structure's element. Members the value lacks (undefined or null) are left out.
 * Returns the members of `shapeName` (the content of its element), indented by `depth`.
 */
export function writeModelXml(model: ServiceModel, shapeName: string, value: unknown, flavour: XmlFlavour, depth = 0): string {
  return new ModelXmlWriter(model, flavour).content(shapeOf(model, shapeName), value, depth);
}

/**
 * One element for a value of `shapeName`: `<name attrs>content</name>`, the way a structure's member
 * or a document's root is written; `xmlns` (a restXml document's root: the model's `xmlNamespace`)
 * goes on it as its namespace.
 */
export function writeModelXmlElement(model: ServiceModel, name: string, shapeName: string, value: unknown, flavour: XmlFlavour, opts: { depth?: number; xmlns?: string } = {}): string {
  const xml = new ModelXmlWriter(model, flavour).element(name, { target: shapeName }, value ?? {}, opts.depth ?? 0);
  return opts.xmlns ? xml.replace(`<${name}`, `<${name} xmlns="${escapeXml(opts.xmlns)}"`) : xml;
}

class ModelXmlWriter {
  constructor(
    readonly model: ServiceModel,
    readonly flavour: XmlFlavour,
  ) {}

  #pad(depth: number): string {
    return '  '.repeat(depth);
  }

  /** The element for one member (or several, for a flattened list or map). */
  element(name: string, member: MemberModel, value: unknown, depth: number): string {
    if (value === undefined || value === null) return '';
    const shape = shapeOf(this.model, member.target);
    const pad = this.#pad(depth);
    const flattened = this.flavour === 'restXml' && Boolean(member.traits?.xmlFlattened ?? shape.traits?.xmlFlattened);
    if (shape.type === 'list' && flattened) {
      return (value as unknown[]).map((item) => this.element(name, shape.member, item, depth)).join('');
    }
    if (shape.type === 'map' && flattened) {
      return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pad}<${name}>\n${this.#mapEntry(shape, k, v, depth + 1)}${pad}</${name}>\n`).join('');
    }
    const attrs = shape.type === 'structure' ? this.#attributes(shape, value as Record<string, unknown>) : '';
    if (shape.type === 'structure' || shape.type === 'union' || shape.type === 'list' || shape.type === 'map') {
      const content = this.content(shape, value, depth + 1);
      return content ? `${pad}<${name}${attrs}>\n${content}${pad}</${name}>\n` : `${pad}<${name}${attrs}/>\n`;
    }
    return `${pad}<${name}>${escapeXml(this.#scalar(shape, member, value))}</${name}>\n`;
  }

  /** The content of a structure, list or map element. */
  content(shape: ShapeModel, value: unknown, depth: number): string {
    switch (shape.type) {
      case 'structure':
      case 'union': {
        const v = value as Record<string, unknown>;
        return Object.entries(shape.members)
          .filter(([, m]) => !m.traits?.xmlAttribute)
          .map(([n, m]) => this.element(String(m.traits?.xmlName ?? n), m, v[n], depth))
          .join('');
      }
      case 'list': {
        const entry = this.flavour === 'restXml' ? String(shape.member.traits?.xmlName ?? 'member') : 'member';
        return (value as unknown[]).map((item) => this.element(entry, shape.member, item, depth)).join('');
      }
      case 'map': {
        const pad = this.#pad(depth);
        return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pad}<entry>\n${this.#mapEntry(shape, k, v, depth + 1)}${pad}</entry>\n`).join('');
      }
      default:
        return escapeXml(this.#scalar(shape, {}, value));
    }
  }

  #mapEntry(shape: Extract<ShapeModel, { type: 'map' }>, key: string, value: unknown, depth: number): string {
    const keyName = String(shape.key.traits?.xmlName ?? 'key');
    const valueName = String(shape.value.traits?.xmlName ?? 'value');
    return `${this.element(keyName, shape.key, key, depth)}${this.element(valueName, shape.value, value, depth)}`;
  }

  #attributes(shape: Extract<ShapeModel, { type: 'structure' }>, value: Record<string, unknown>): string {
    return Object.entries(shape.members)
      .filter(([n, m]) => m.traits?.xmlAttribute && value[n] !== undefined && value[n] !== null)
      .map(([n, m]) => ` ${String(m.traits?.xmlName ?? n)}="${escapeXml(this.#scalar(shapeOf(this.model, m.target), m, value[n]))}"`)
      .join('');
  }

  #scalar(shape: ShapeModel, member: Pick<MemberModel, 'traits'>, value: unknown): string {
    if (shape.type === 'timestamp') {
      const d = value instanceof Date ? value : new Date(value as number | string);
      const format = member.traits?.timestampFormat ?? shape.traits?.timestampFormat;
      if (format === 'epoch-seconds') return String(d.getTime() / 1000);
      if (format === 'http-date') return d.toUTCString();
      return iso(d);
    }
    if (shape.type === 'blob' && value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    return String(value);
  }
}
