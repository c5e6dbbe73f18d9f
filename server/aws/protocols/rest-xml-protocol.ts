import type { FastifyReply } from 'fastify';
import { AwsError } from '../aws-error.js';
import { escapeXml } from '../../util/xml.js';
import { type MemberModel, type OperationModel, type ServiceModel, type ShapeModel, shapeOf } from '../model/service-model.js';
import { SigV4Error, type SigV4Failure } from '../sigv4/verify-sigv4.js';
import { writeLabReason } from './lab-reason-header.js';
import { parseXmlElements, XmlSyntaxError, type XmlElement } from './xml-elements.js';
import { writeModelXmlElement } from './model-xml.js';

/**
 * The restXml protocol (S3 Control), driven by the service's model: dispatch by method and path
 * template, the request's HTTP bindings (path labels, query, headers) and XML body read into the raw
 * input `readInput` validates, and the output and errors written back as restXml clients read them.
 */

export interface RestXmlRequest {
  method: string;
  /** The path as sent (percent-encoded), without the query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

interface CompiledRoute {
  operation: OperationModel;
  method: string;
  regex: RegExp;
  labels: string[];
  /** Literal query parameters the template requires (`?x-id=GetObject`). */
  query: [string, string][];
  /** More literal characters first: `/grants` before `/grant/{Id}` never clash, but a literal segment wins over a label. */
  weight: number;
}

const routeCache = new WeakMap<ServiceModel, CompiledRoute[]>();

function compileRoutes(model: ServiceModel): CompiledRoute[] {
  const cached = routeCache.get(model);
  if (cached) return cached;
  const routes: CompiledRoute[] = [];
  for (const operation of Object.values(model.operations)) {
    if (!operation.http) continue;
    const [method, template] = operation.http;
    const [pathPart, queryPart] = template.split('?', 2) as [string, string | undefined];
    const labels: string[] = [];
    const source = pathPart.replace(/\{(\w+)(\+?)\}|[^{]+/g, (whole, label: string | undefined, greedy: string) => {
      if (!label) return whole.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      labels.push(label);
      return greedy ? '(.+)' : '([^/]+)';
    });
    const query = queryPart ? [...new URLSearchParams(queryPart).entries()] : [];
    routes.push({ operation, method, regex: new RegExp(`^${source}$`), labels, query, weight: pathPart.replace(/\{[^}]+\}/g, '').length + query.length });
  }
  routes.sort((a, b) => b.weight - a.weight);
  routeCache.set(model, routes);
  return routes;
}

export interface RestXmlMatch {
  operation: OperationModel;
  labels: Record<string, string>;
}

/** The operation a request names by its method and path, with its path labels decoded; undefined when none does. */
export function matchRestXmlOperation(model: ServiceModel, method: string, path: string, query: URLSearchParams): RestXmlMatch | undefined {
  for (const route of compileRoutes(model)) {
    if (route.method !== method) continue;
    const m = route.regex.exec(path);
    if (!m || !route.query.every(([k, v]) => query.get(k) === v)) continue;
    const labels: Record<string, string> = {};
    route.labels.forEach((name, i) => {
      labels[name] = decodeURIComponentSafe(m[i + 1]!);
    });
    return { operation: route.operation, labels };
  }
  return undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A request the protocol cannot read (an XML body that does not parse, a number that is not one): S3's MalformedXML / InvalidArgument family. */
export class RestXmlReadError extends AwsError {}

const header = (headers: RestXmlRequest['headers'], name: string): string | undefined => {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
};

/**
 * Reads the raw input of `match.operation` from the request by its HTTP bindings: `httpLabel` from
 * the path, `httpQuery` from the query string, `httpHeader` from the headers, the rest from the XML
 * body (an `httpPayload` structure is the whole body). Scalars are converted to the model's types;
 * `readInput` then validates the whole.
 */
export function readRestXmlInput(model: ServiceModel, match: RestXmlMatch, req: RestXmlRequest): Record<string, unknown> {
  const shape = shapeOf(model, match.operation.input);
  if (shape.type !== 'structure') return {};
  const raw: Record<string, unknown> = {};
  const bodyMembers: [string, MemberModel][] = [];
  let payload: [string, MemberModel] | undefined;
  for (const [name, member] of Object.entries(shape.members)) {
    const t = member.traits ?? {};
    let text: string | undefined;
    if (t.httpLabel !== undefined) text = match.labels[name];
    else if (typeof t.httpQuery === 'string') text = req.query.get(t.httpQuery) ?? undefined;
    else if (typeof t.httpHeader === 'string') text = header(req.headers, t.httpHeader);
    else if (t.httpPayload !== undefined) {
      payload = [name, member];
      continue;
    } else {
      bodyMembers.push([name, member]);
      continue;
    }
    if (text !== undefined) raw[name] = scalarOf(model, member, text, name);
  }
  const text = req.body.toString('utf8');
  if ((bodyMembers.length === 0 && !payload) || text.trim() === '') return raw;
  let root: XmlElement;
  try {
    root = parseXmlElements(text);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new RestXmlReadError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema', {}, `the body is not well-formed XML: ${err.message}`);
    throw err;
  }
  if (payload) {
    raw[payload[0]] = elementValue(model, payload[1], root, payload[0]);
    return raw;
  }
  Object.assign(raw, structureOf(model, shape, root, ''));
  return raw;
}

function structureOf(model: ServiceModel, shape: ShapeModel, el: XmlElement, path: string): Record<string, unknown> {
  if (shape.type !== 'structure' && shape.type !== 'union') return {};
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members)) {
    if (member.traits?.httpHeader !== undefined || member.traits?.httpQuery !== undefined || member.traits?.httpLabel !== undefined) continue;
    const element = (member.traits?.xmlName as string | undefined) ?? name;
    const target = shapeOf(model, member.target);
    const memberPath = path ? `${path}.${name}` : name;
    if (target.type === 'list' && member.traits?.xmlFlattened !== undefined) {
      const items = el.children.filter((c) => c.name === element);
      if (items.length) out[name] = items.map((c) => elementValue(model, target.member, c, memberPath));
      continue;
    }
    const child = el.children.find((c) => c.name === element);
    if (child) out[name] = elementValue(model, member, child, memberPath);
  }
  return out;
}

function elementValue(model: ServiceModel, member: MemberModel, el: XmlElement, path: string): unknown {
  const shape = shapeOf(model, member.target);
  switch (shape.type) {
    case 'structure':
    case 'union':
      return structureOf(model, shape, el, path);
    case 'list': {
      const entry = (shape.member.traits?.xmlName as string | undefined) ?? 'member';
      return el.children.filter((c) => c.name === entry).map((c) => elementValue(model, shape.member, c, path));
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const entry of el.children.filter((c) => c.name === 'entry')) {
        const key = entry.children.find((c) => c.name === 'key')?.text;
        const value = entry.children.find((c) => c.name === 'value');
        if (key !== undefined && value) out[key] = elementValue(model, shape.value, value, path);
      }
      return out;
    }
    default:
      return scalarOf(model, member, el.text, path);
  }
}

function scalarOf(model: ServiceModel, member: MemberModel, text: string, path: string): unknown {
  const shape = shapeOf(model, member.target);
  switch (shape.type) {
    case 'number':
    case 'bigInteger':
    case 'bigDecimal': {
      const n = /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : NaN;
      if (!Number.isFinite(n)) throw new RestXmlReadError('InvalidArgument', 400, `Invalid value for ${path}: ${text.slice(0, 64)} is not a number`, {}, `${path} = ${JSON.stringify(text.slice(0, 64))} is not a number`);
      return n;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new RestXmlReadError('InvalidArgument', 400, `Invalid value for ${path}: expected true or false`, {}, `${path} = ${JSON.stringify(text.slice(0, 64))} is not a boolean`);
      return text === 'true';
    case 'timestamp': {
      const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
      if (!Number.isFinite(ms)) throw new RestXmlReadError('InvalidArgument', 400, `Invalid value for ${path}: not a timestamp`, {}, `${path} = ${JSON.stringify(text.slice(0, 64))} is not a timestamp`);
      return new Date(ms);
    }
    default:
      return text;
  }
}

export const REST_XML_CONTENT_TYPE = 'application/xml';

/** Members bound to the HTTP message rather than the body: the protocol adapter reads and writes those. */
const HTTP_TRAITS = ['httpHeader', 'httpQuery', 'httpLabel', 'httpPrefixHeaders', 'httpResponseCode', 'httpQueryParams', 'hostLabel'];

const isHttpBound = (member: MemberModel | undefined) => member !== undefined && HTTP_TRAITS.some((t) => member.traits?.[t] !== undefined);

/**
 * The restXml body of an output (model member names → XML): the XML declaration, then the output
 * shape's element (named by its `xmlName`, else the shape's name) in the model's namespace, written by
 * the one model-driven writer (`model-xml.ts`, restXml flavour, compact), without the members bound to
 * the HTTP message.
 */
export function writeRestXmlBody(model: ServiceModel, shapeName: string, value: Record<string, unknown>): string {
  const shape = shapeOf(model, shapeName);
  const root = String(shape.traits?.xmlName ?? shapeName);
  const members = shape.type === 'structure' ? shape.members : {};
  const body = Object.fromEntries(Object.entries(value).filter(([name]) => !isHttpBound(members[name])));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${writeModelXmlElement(model, root, shapeName, body, 'restXml', { xmlns: model.xmlNamespace, layout: 'compact' })}`;
}

/** Sends an operation's output: header-bound members as headers, the rest as the restXml body (none when the output is Unit). */
export function sendRestXml(reply: FastifyReply, model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): FastifyReply {
  reply.code(operation.http?.[2] ?? 200).header('x-amz-request-id', requestId).header('x-amz-id-2', hostId(requestId));
  const shape = shapeOf(model, operation.output);
  const value = (output ?? {}) as Record<string, unknown>;
  if (shape.type !== 'structure' || Object.keys(shape.members).length === 0) return reply.send(Buffer.alloc(0));
  for (const [name, member] of Object.entries(shape.members)) {
    if (typeof member.traits?.httpHeader === 'string' && value[name] !== undefined) reply.header(member.traits.httpHeader, String(value[name]));
  }
  return reply.header('content-type', REST_XML_CONTENT_TYPE).send(Buffer.from(writeRestXmlBody(model, operation.output, value)));
}

/**
 * S3 Control's error document, as captured from AWS (getmoto/moto#9716 quotes GetPublicAccessBlock's
 * 404): `<ErrorResponse><Error><Code/><Message/>…</Error><RequestId/><HostId/></ErrorResponse>`, the
 * error's extra members inside `<Error>`. The lab's reason, when there is one, goes in
 * `x-tti-lab-reason` under `step`.
 */
export function sendRestXmlError(reply: FastifyReply, err: AwsError, requestId: string, step = 'request'): FastifyReply {
  const extra = Object.entries(err.fields)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Code>${escapeXml(err.type)}</Code><Message>${escapeXml(err.message)}</Message>${extra}</Error><RequestId>${requestId}</RequestId><HostId>${hostId(requestId)}</HostId></ErrorResponse>`;
  reply.code(err.status).header('content-type', REST_XML_CONTENT_TYPE).header('x-amz-request-id', requestId).header('x-amz-id-2', hostId(requestId));
  if (err.detail) writeLabReason(reply, { step, reason: err.detail });
  return reply.send(Buffer.from(xml));
}

/** S3's extended request id (x-amz-id-2, HostId): opaque base64; the lab derives it from the request id. */
const hostId = (requestId: string) => Buffer.from(`tti-lab/${requestId}`).toString('base64');

/**
 * How S3 (and S3 Control) answers a failed signature check: the codes and messages of the S3 API
 * Reference's "Error responses" list (documented). A token that names no session the lab issued is
 * InvalidToken; a scope naming another region, AuthorizationHeaderMalformed.
 */
const SIGV4_ERRORS: Record<SigV4Failure, [code: string, status: number, message: string]> = {
  missing: ['AccessDenied', 403, 'Access Denied'],
  incomplete: ['AccessDenied', 403, 'Access Denied'],
  unknown_key: ['InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'],
  token_invalid: ['InvalidToken', 400, 'The provided token is malformed or otherwise invalid.'],
  token_expired: ['ExpiredToken', 400, 'The provided token has expired.'],
  mismatch: ['SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
  expired: ['RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.'],
  wrong_service: ['SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
  wrong_region: ['AuthorizationHeaderMalformed', 400, 'The authorization header is malformed; the region is wrong.'],
};

export function restXmlSigV4Error(err: SigV4Error): AwsError {
  const [code, status, message] = SIGV4_ERRORS[err.failure];
  return new AwsError(code, status, message, {}, err.detail ?? err.message);
}
