import type { Expectation } from './corpus-case.js';
import type { CorpusResponse } from './corpus-lab.js';
import { encodeLabReason, LAB_REASON_HEADER, readLabReason } from '../../../server/aws/protocols/lab-reason-header.js';

const CORAL = 'http://internal.amazon.com/coral/com.amazonaws.sso.oidc/';
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const matches = (actual: unknown, expected: string) =>
  expected.startsWith('/') && expected.endsWith('/') ? typeof actual === 'string' && new RegExp(expected.slice(1, -1)).test(actual) : actual === expected;

function json(res: CorpusResponse, problems: string[]): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(res.body.toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    problems.push(`body is JSON but not an object: ${res.body.toString('utf8').slice(0, 200)}`);
  } catch {
    problems.push(`body is not JSON: ${res.body.toString('utf8').slice(0, 200)}`);
  }
  return undefined;
}

function keys(body: Record<string, unknown>, allowed: string[], required: string[], problems: string[]) {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) problems.push(`unexpected members ${extra.join(', ')} in ${JSON.stringify(body).slice(0, 300)}`);
  for (const k of required) if (typeof body[k] !== 'string') problems.push(`member ${k} missing or not a string`);
}

/** The lab's `x-tti-lab-reason`, decoded; a problem if it is not in the one encoding every protocol uses, or names no step. */
function labReasonOf(res: CorpusResponse, p: string[]): string {
  const raw = res.headers[LAB_REASON_HEADER];
  const reason = readLabReason(raw);
  if (raw !== undefined && raw !== encodeLabReason(reason)) p.push(`x-tti-lab-reason is not in the lab's one encoding: ${raw.slice(0, 200)}`);
  if (raw !== undefined && !/^[\w.-]+: /.test(reason)) p.push(`x-tti-lab-reason does not start with a step: ${reason.slice(0, 200)}`);
  return reason;
}

/** awsJson1_1: `{__type, Message}` (+ modelled members), x-amzn-ErrorType = __type, x-amzn-RequestId. */
function awsJson(res: CorpusResponse, e: Expectation, p: string[]) {
  if (res.headers['content-type'] !== 'application/x-amz-json-1.1') p.push(`content-type ${res.headers['content-type']}`);
  if (!REQUEST_ID.test(res.headers['x-amzn-requestid'] ?? '')) p.push('no x-amzn-RequestId');
  const body = json(res, p);
  if (!body) return;
  keys(body, ['__type', 'Message', ...(e.modelled ?? [])], ['__type', 'Message'], p);
  if (res.headers['x-amzn-errortype'] !== body.__type) p.push(`x-amzn-ErrorType ${res.headers['x-amzn-errortype']} ≠ __type ${String(body.__type)}`);
  if (e.type && body.__type !== e.type) p.push(`__type ${String(body.__type)}, expected ${e.type}`);
  if (e.message !== undefined && !matches(body.Message, e.message)) p.push(`Message ${JSON.stringify(body.Message)}, expected ${e.message}`);
  labReasonOf(res, p);
}

/** SSO OIDC (restJson1): `{error, error_description[, reason]}` (real bodies carry a description), x-amzn-ErrorType `<Exception>:<Coral namespace>`. */
function oidc(res: CorpusResponse, e: Expectation, p: string[]) {
  if (!/^application\/json(;\s*charset=utf-8)?$/.test(res.headers['content-type'] ?? '')) p.push(`content-type ${res.headers['content-type']}`);
  if (!REQUEST_ID.test(res.headers['x-amzn-requestid'] ?? '')) p.push('no x-amzn-RequestId');
  const errorType = res.headers['x-amzn-errortype'] ?? '';
  if (!errorType.endsWith(`:${CORAL}`)) p.push(`x-amzn-ErrorType ${errorType} lacks the Coral namespace`);
  if (e.type && errorType !== `${e.type}:${CORAL}`) p.push(`x-amzn-ErrorType ${errorType}, expected ${e.type}`);
  const body = json(res, p);
  if (!body) return;
  keys(body, ['error', 'error_description', 'reason'], ['error', 'error_description'], p);
  if (body.error_description === '') p.push('error_description is empty');
  if (e.error && body.error !== e.error) p.push(`error ${String(body.error)}, expected ${e.error}`);
  const reason = labReasonOf(res, p);
  if (e.step && !reason.startsWith(`${e.step}: `)) p.push(`x-tti-lab-reason "${reason.slice(0, 200)}", expected step ${e.step}`);
}

/** awsQuery: the `<ErrorResponse>` document, RequestId in body and header. */
function awsQuery(res: CorpusResponse, e: Expectation, p: string[]) {
  if (!/^text\/xml/.test(res.headers['content-type'] ?? '')) p.push(`content-type ${res.headers['content-type']}`);
  const id = res.headers['x-amzn-requestid'] ?? '';
  if (!REQUEST_ID.test(id)) p.push('no x-amzn-RequestId');
  const xml = res.body.toString('utf8');
  const m = /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<Error>\s*<Type>(Sender|Receiver)<\/Type>\s*<Code>([^<]*)<\/Code>\s*<Message>([^<]*)<\/Message>\s*<\/Error>\s*<RequestId>([^<]*)<\/RequestId>\s*<\/ErrorResponse>\s*$/.exec(xml);
  if (!m) {
    p.push(`not an awsQuery ErrorResponse: ${xml.slice(0, 300)}`);
    return;
  }
  if (m[4] !== id) p.push('RequestId in the body ≠ x-amzn-RequestId');
  if (m[1] !== (e.status >= 500 ? 'Receiver' : 'Sender')) p.push(`Type ${m[1]}`);
  if (e.type && m[2] !== e.type) p.push(`Code ${m[2]}, expected ${e.type}`);
  if (e.message !== undefined && !matches(m[3], e.message)) p.push(`Message ${m[3]}, expected ${e.message}`);
  labReasonOf(res, p);
}

/** The lab's own routes: exactly `{error, message}`. */
function lab(res: CorpusResponse, e: Expectation, p: string[]) {
  if (!/^application\/json/.test(res.headers['content-type'] ?? '')) p.push(`content-type ${res.headers['content-type']}`);
  const body = json(res, p);
  if (!body) return;
  keys(body, ['error', 'message'], ['error', 'message'], p);
  if (e.error && body.error !== e.error) p.push(`error ${String(body.error)}, expected ${e.error}`);
  if (e.message !== undefined && !matches(body.message, e.message)) p.push(`message ${JSON.stringify(body.message)}, expected ${e.message}`);
}

/** oidc-provider's OAuth 2.0 error (RFC 6749 §5.2): `{error, error_description}`. */
function oauth(res: CorpusResponse, e: Expectation, p: string[]) {
  if (!/^application\/json/.test(res.headers['content-type'] ?? '')) p.push(`content-type ${res.headers['content-type']}`);
  const body = json(res, p);
  if (!body) return;
  keys(body, ['error', 'error_description', 'iss'], ['error'], p);
  if (e.error && body.error !== e.error) p.push(`error ${String(body.error)}, expected ${e.error}`);
}

/** Every way the response differs from the expected one; empty when it is right. */
export function shapeProblems(res: CorpusResponse, e: Expectation): string[] {
  const p: string[] = [];
  if (res.status !== e.status) p.push(`status ${res.status}, expected ${e.status}`);
  switch (e.shape) {
    case 'awsJson':
      awsJson(res, e, p);
      break;
    case 'oidc':
      oidc(res, e, p);
      break;
    case 'awsQuery':
      awsQuery(res, e, p);
      break;
    case 'lab':
      lab(res, e, p);
      break;
    case 'oauth':
      oauth(res, e, p);
      break;
    case 'none':
      break;
  }
  return p;
}
