import { base64url } from 'jose';
import { signRequest } from '../../aws/helpers/sign-request.js';
import { startTipLab, type TipLab } from '../../exchange/helpers/tip-lab.js';
import { LAB_REASON_HEADER, readLabReason } from '../../../server/aws/protocols/lab-reason-header.js';
import { COMMON_STEPS, GRANT_STEPS } from '../../../server/identity-center/sso-oidc/grants/grant-pipelines.js';

/** Every step name a CreateTokenWithIAM refusal may name, and `request` for a body that does not parse. */
export const KNOWN_STEPS = new Set(['request', ...COMMON_STEPS.map((s) => s.name), ...Object.values(GRANT_STEPS).flatMap((steps) => steps.map((s) => s.name))]);

export interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
  json: Record<string, unknown> | undefined;
  /** The failed step named by x-tti-lab-reason (before the first colon). */
  step: string | undefined;
}

export interface PropertyLab {
  tip: TipLab;
  /** Signs `header.payload` (given as JSON text) with the okta issuer's active RS256 key. */
  signJwt(headerJson: string, payloadJson: string): Promise<string>;
  /** A SigV4-signed CreateTokenWithIAM through inject(); `body` is sent as is when a string. */
  createTokenWithIam(body: unknown): Promise<Answer>;
  /** A SigV4-signed awsJson call through inject(). */
  awsJson(target: string, signingName: string, body: string): Promise<Answer>;
}

export async function startPropertyLab(): Promise<PropertyLab> {
  const tip = await startTipLab();
  const key = await tip.lab.services.keys.signingKey('okta', 'RS256');
  const host = new URL(tip.lab.url).host;

  async function send(path: string, query: Record<string, string>, headers: Record<string, string>, body: string, service: string): Promise<Answer> {
    const signed = await signRequest({ baseUrl: tip.lab.url, path, query, headers, body, service });
    const qs = new URLSearchParams(query).toString();
    const res = await tip.lab.app.inject({ method: 'POST', url: `${path}${qs ? `?${qs}` : ''}`, headers: { ...signed, host }, payload: body });
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(res.payload) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    const reason = readLabReason(res.headers[LAB_REASON_HEADER] as string | undefined);
    return { status: res.statusCode, headers: res.headers as Record<string, string | undefined>, body: res.payload, json, step: reason ? reason.split(':')[0] : undefined };
  }

  return {
    tip,
    async signJwt(headerJson, payloadJson) {
      const input = `${base64url.encode(headerJson)}.${base64url.encode(payloadJson)}`;
      const sig = await crypto.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, key.key as CryptoKey, new TextEncoder().encode(input));
      return `${input}.${base64url.encode(new Uint8Array(sig))}`;
    },
    createTokenWithIam: (body) => send('/token', { aws_iam: 't' }, { 'content-type': 'application/json' }, typeof body === 'string' ? body : JSON.stringify(body), 'sso-oauth'),
    awsJson: (target, signingName, body) => send('/', {}, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body, signingName),
  };
}

const CORAL = /^[A-Za-z]+Exception:http:\/\/internal\.amazon\.com\/coral\/com\.amazonaws\.sso\.oidc\/$/;

/**
 * What every CreateTokenWithIAM answer must be: a success with tokens, or a defined SSO OIDC error
 * (4xx, `{error}`, Coral x-amzn-ErrorType, a known step in x-tti-lab-reason). Returns the problems.
 */
export function definedOutcome(a: Answer): string[] {
  if (a.status === 200) return typeof a.json?.accessToken === 'string' ? [] : [`200 without an accessToken: ${a.body.slice(0, 200)}`];
  const p: string[] = [];
  if (a.status < 400 || a.status >= 500) p.push(`status ${a.status}`);
  if (!CORAL.test(a.headers['x-amzn-errortype'] ?? '')) p.push(`x-amzn-ErrorType ${a.headers['x-amzn-errortype']}`);
  if (typeof a.json?.error !== 'string') p.push(`body ${a.body.slice(0, 200)}`);
  if (!a.step || !KNOWN_STEPS.has(a.step)) p.push(`x-tti-lab-reason names no known step: ${a.step}`);
  return p;
}
