import { escapeXml } from '../../util/xml.js';
import { type MemberModel, type ServiceModel, type ShapeModel, shapeOf } from '../model/service-model.js';

/**
 * How a protocol lays out lists and maps in XML. awsQuery (STS): every list is wrapped, its entries
 * `<member>` whatever the model says, maps `<entry><key/><value/></entry>`. restXml (S3 Control):
 * a list is wrapped unless its member is `xmlFlattened`, its entries named by the list member's
 * `xmlName` (else `member`); a flattened list or map repeats the member's own element.
 */
export type XmlFlavour = 'awsQuery' | 'restXml';

/**
 * How the document is laid out: `indented` (STS's answers, as STS sends them) puts each element on
 * its own line, two spaces a level, an empty one as `<X/>`; `compact` (S3 Control's bodies) writes
 * no whitespace between elements, an empty one as `<X></X>`.
 */
export type XmlLayout = 'indented' | 'compact';

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Writes a value as XML by its shape in the service's model: one element per member the value has
 * (model order, the element named by the member's `xmlName` trait or the member's name), lists and
 * maps as `flavour` lays them out, timestamps in the shape's `timestampFormat` (ISO 8601 without
 * fractions by default, as AWS's XML protocols send them; a Date, an ISO string, or a number of epoch
 * seconds as the state keeps them), blobs base64, `xmlAttribute` members as
 * attributes of their structure's element. Members the value lacks (undefined or null) are left out.
 * Returns the members of `shapeName` (the content of its element), indented by `depth`.
 */
export function writeModelXml(model: ServiceModel, shapeName: string, value: unknown, flavour: XmlFlavour, depth = 0): string {
  return new ModelXmlWriter(model, flavour, 'indented').content(shapeOf(model, shapeName), value, depth);
}

/**
 * One element for a value of `shapeName`: `<name attrs>content</name>`, the way a structure's member
 * or a document's root is written; `xmlns` (a restXml document's root: the model's `xmlNamespace`)
 * goes on it as its namespace; `layout` (default `indented`) as {@link XmlLayout} says.
 */
export function writeModelXmlElement(model: ServiceModel, name: string, shapeName: string, value: unknown, flavour: XmlFlavour, opts: { depth?: number; xmlns?: string; layout?: XmlLayout } = {}): string {
  const xml = new ModelXmlWriter(model, flavour, opts.layout ?? 'indented').element(name, { target: shapeName }, value ?? {}, opts.depth ?? 0);
  return opts.xmlns ? xml.replace(`<${name}`, `<${name} xmlns="${escapeXml(opts.xmlns)}"`) : xml;
}

class ModelXmlWriter {
  constructor(
    readonly model: ServiceModel,
    readonly flavour: XmlFlavour,
    readonly layout: XmlLayout,
  ) {}

  #pad(depth: number): string {
    return this.layout === 'indented' ? '  '.repeat(depth) : '';
  }

  get #nl(): string {
    return this.layout === 'indented' ? '\n' : '';
  }

  #empty(name: string, attrs: string): string {
    return this.layout === 'indented' ? `<${name}${attrs}/>` : `<${name}${attrs}></${name}>`;
  }

  /** The element for one member (or several, for a flattened list or map). */
  element(name: string, member: MemberModel, value: unknown, depth: number): string {
    if (value === undefined || value === null) return '';
    const shape = shapeOf(this.model, member.target);
    const pad = this.#pad(depth);
    const nl = this.#nl;
    const flattened = this.flavour === 'restXml' && Boolean(member.traits?.xmlFlattened ?? shape.traits?.xmlFlattened);
    if (shape.type === 'list' && flattened) {
      return (value as unknown[]).map((item) => this.element(name, shape.member, item, depth)).join('');
    }
    if (shape.type === 'map' && flattened) {
      return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pad}<${name}>${nl}${this.#mapEntry(shape, k, v, depth + 1)}${pad}</${name}>${nl}`).join('');
    }
    const attrs = shape.type === 'structure' ? this.#attributes(shape, value as Record<string, unknown>) : '';
    if (shape.type === 'structure' || shape.type === 'union' || shape.type === 'list' || shape.type === 'map') {
      const content = this.content(shape, value, depth + 1);
      return content ? `${pad}<${name}${attrs}>${nl}${content}${pad}</${name}>${nl}` : `${pad}${this.#empty(name, attrs)}${nl}`;
    }
    return `${pad}<${name}>${escapeXml(this.#scalar(shape, member, value))}</${name}>${nl}`;
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
        return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pad}<entry>${this.#nl}${this.#mapEntry(shape, k, v, depth + 1)}${pad}</entry>${this.#nl}`).join('');
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
      const d = value instanceof Date ? value : new Date(typeof value === 'number' ? value * 1000 : String(value));
      const format = member.traits?.timestampFormat ?? shape.traits?.timestampFormat;
      if (format === 'epoch-seconds') return String(d.getTime() / 1000);
      if (format === 'http-date') return d.toUTCString();
      return iso(d);
    }
    if (shape.type === 'blob' && value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    return String(value);
  }
}
