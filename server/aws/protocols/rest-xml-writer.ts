import { escapeXml } from '../../util/xml.js';
import { type MemberModel, type ServiceModel, type ShapeModel, shapeOf } from '../model/service-model.js';

/**
 * The restXml body writer, driven by the model: a structure (model member names) → its XML, as the
 * restXml protocol lays it out — an element per member named by its `xmlName` or the member's name,
 * lists wrapped (entries named by the list member's `xmlName`, else `member`) unless `xmlFlattened`,
 * maps as `<entry><key/><value/></entry>`, timestamps as ISO 8601 date-time, booleans and numbers as
 * text. Members bound to the HTTP message (headers, query, labels, status) are left out: the
 * protocol adapter writes those. Generic "shape → XML": the awsQuery writer (model-xml.ts, branch
 * `protocols`) lays out the same shapes the query way; the two can share this walk later.
 */
const HTTP_TRAITS = ['httpHeader', 'httpQuery', 'httpLabel', 'httpPrefixHeaders', 'httpResponseCode', 'httpQueryParams', 'hostLabel'];

const isHttpBound = (member: MemberModel) => HTTP_TRAITS.some((t) => member.traits?.[t] !== undefined);

/** `2026-06-01T12:00:00Z`: a Date, or epoch seconds as the state keeps them. */
export function restXmlTimestamp(value: unknown): string {
  const date = value instanceof Date ? value : new Date(Number(value) * 1000);
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

export function writeRestXmlBody(model: ServiceModel, shapeName: string, value: Record<string, unknown>): string {
  const shape = shapeOf(model, shapeName);
  const root = (shape.traits?.xmlName as string | undefined) ?? shapeName;
  const ns = model.xmlNamespace ? ` xmlns="${escapeXml(model.xmlNamespace)}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${structureXml(model, shape, value, true)}</${root}>`;
}

function structureXml(model: ServiceModel, shape: ShapeModel, value: Record<string, unknown>, top: boolean): string {
  if (shape.type !== 'structure' && shape.type !== 'union') return '';
  let out = '';
  for (const [name, member] of Object.entries(shape.members)) {
    const v = value[name];
    if (v === undefined || v === null || (top && isHttpBound(member))) continue;
    out += memberXml(model, (member.traits?.xmlName as string | undefined) ?? name, member, v);
  }
  return out;
}

function memberXml(model: ServiceModel, element: string, member: MemberModel, value: unknown): string {
  const shape = shapeOf(model, member.target);
  if (shape.type === 'list') {
    const items = Array.isArray(value) ? value : [];
    if (member.traits?.xmlFlattened !== undefined) return items.map((item) => memberXml(model, element, { ...shape.member, traits: { ...shape.member.traits, xmlFlattened: undefined } }, item)).join('');
    const entry = (shape.member.traits?.xmlName as string | undefined) ?? 'member';
    return `<${element}>${items.map((item) => memberXml(model, entry, shape.member, item)).join('')}</${element}>`;
  }
  if (shape.type === 'map') {
    const entries = Object.entries((value ?? {}) as Record<string, unknown>);
    return `<${element}>${entries.map(([k, v]) => `<entry><key>${escapeXml(k)}</key>${memberXml(model, 'value', shape.value, v)}</entry>`).join('')}</${element}>`;
  }
  return `<${element}>${scalarXml(model, shape, value)}</${element}>`;
}

function scalarXml(model: ServiceModel, shape: ShapeModel, value: unknown): string {
  switch (shape.type) {
    case 'structure':
    case 'union':
      return structureXml(model, shape, value as Record<string, unknown>, false);
    case 'timestamp':
      return restXmlTimestamp(value);
    case 'blob':
      return Buffer.isBuffer(value) ? value.toString('base64') : escapeXml(value);
    default:
      return escapeXml(value);
  }
}
