import { connect } from 'node:net';
import { constants, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { base64url } from 'jose';
import type { CorpusCase, Service, SignSpec } from './corpus-case.js';
import { signRequest } from '../../aws/helpers/sign-request.js';
import { CLIENT_ID, JWT_BEARER, ROLE_ARN, startTipLab, type TipLab } from '../../exchange/helpers/tip-lab.js';
import type { MintRequest } from '../../../server/index.js';

/** What a case's request got back, from inject or from a socket. */
export interface CorpusResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

/** Per service: where its requests go, the headers it needs, and its SigV4 signing name. */
const SERVICE_DEFAULTS: Record<Service, { path: string; method: string; headers: (op?: string) => Record<string, string>; signingName?: string }> = {
  'sso-admin': { path: '/', method: 'POST', headers: (op) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `SWBExternalService.${op ?? 'ListInstances'}` }), signingName: 'sso' },
  'identity-store': { path: '/', method: 'POST', headers: (op) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSIdentityStore.${op ?? 'ListUsers'}` }), signingName: 'identitystore' },
  'sso-oidc': { path: '/token?aws_iam=t', method: 'POST', headers: () => ({ 'content-type': 'application/json' }), signingName: 'sso-oauth' },
  sts: { path: '/', method: 'POST', headers: () => ({ 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }), signingName: 'sts' },
  issuer: { path: '/issuers/okta/mint', method: 'POST', headers: () => ({ 'content-type': 'application/json' }) },
  provider: { path: '/issuers/okta/token', method: 'POST', headers: () => ({ 'content-type': 'application/x-www-form-urlencoded' }) },
  control: { path: '/_lab/requests', method: 'GET', headers: () => ({}) },
  http: { path: '/', method: 'GET', headers: () => ({}) },
};

export interface CorpusLab {
  tip: TipLab;
  vars: Record<string, string>;
  send(c: CorpusCase): Promise<CorpusResponse>;
  /** The request a case sends, materialised (for a failure message). */
  describe(c: CorpusCase): string;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The segment with the lowest bit of its last character set; the segment must leave unused bits. */
const unusedBitsSet = (seg: string) => `${seg.slice(0, -1)}${B64URL[B64URL.indexOf(seg.at(-1)!) | 1]}`;
/** A JSON segment re-encoded with trailing spaces until its length leaves unused bits in the last character. */
const withUnusedBits = (seg: string) => {
  let json = Buffer.from(seg, 'base64url').toString('utf8');
  while (Buffer.from(json).toString('base64url').length % 4 === 0) json += ' ';
  return Buffer.from(json).toString('base64url');
};

type Macro = Record<string, unknown>;
const MACROS = ['$repeat', '$nest', '$nestText', '$json', '$concat', '$base64url', '$assertion'];
const isMacro = (v: unknown): v is Macro => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).some((k) => MACROS.includes(k));

/**
 * A lab with a whole trusted-identity-propagation setup (test/exchange/helpers/tip-lab.ts), and the
 * means to turn a case into bytes: `${var}` substitution, `$repeat`, `$nest`, `$json`, `$assertion`.
 */
export async function startCorpusLab(): Promise<CorpusLab> {
  const tip = await startTipLab();
  const okta = tip.lab.issuer('okta');
  const [active] = await okta.keys();
  const url = new URL(tip.lab.url);
  const now = Math.floor(Date.now() / 1000);
  const vars: Record<string, string> = {
    applicationArn: tip.applicationArn,
    instanceArn: tip.instanceArn,
    identityStoreId: tip.identityStoreId,
    userId: tip.users.alice,
    ttiArn: tip.ttiArn,
    issuerUrl: okta.url,
    clientId: CLIENT_ID,
    roleArn: ROLE_ARN,
    jwtBearer: JWT_BEARER,
    kid: active!.kid,
    host: url.host,
    port: url.port,
    now: String(now),
    exp: String(now + 600),
  };
  const subst = (s: string) => s.replace(/\$\{([A-Za-z]+)\}/g, (m, name: string) => vars[name] ?? m);

  // The okta issuer's active key, to sign payloads mint cannot make (duplicate keys, raw bytes).
  const signing = await tip.lab.services.keys.signingKey('okta', 'RS256');
  const signRaw = async (headerText: string, payloadText: string, as?: string): Promise<string> => {
    const input = `${base64url.encode(subst(headerText))}.${base64url.encode(subst(payloadText))}`;
    if (as) {
      // The same RS256 key used with another RSA algorithm (RS384/RS512/PS256/PS384/PS512).
      const [jwk] = await tip.lab.services.keys.privateJwks('okta', 'RS256');
      const key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
      const hash = `sha${as.slice(2)}`;
      const sig = nodeSign(hash, Buffer.from(input), as.startsWith('PS') ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(as.slice(2)) / 8 } : key);
      return `${input}.${base64url.encode(sig)}`;
    }
    const sig = await crypto.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, signing.key as CryptoKey, new TextEncoder().encode(input));
    return `${input}.${base64url.encode(new Uint8Array(sig))}`;
  };

  const TRANSFORMS: Record<string, (jwt: string) => string> = {
    'two-parts': (j) => j.split('.').slice(0, 2).join('.'),
    'four-parts': (j) => `${j}.AAAA`,
    'five-parts': (j) => `${j}.AAAA.BBBB`,
    'empty-signature': (j) => `${j.split('.').slice(0, 2).join('.')}.`,
    'padded-signature': (j) => `${j}==`,
    'std-base64-signature': (j) => `${j.slice(0, -2)}+/`,
    'truncated-signature': (j) => j.slice(0, -10),
    'bearer-prefix': (j) => `Bearer ${j}`,
    'surrounding-spaces': (j) => ` ${j} `,
    'trailing-newline': (j) => `${j}\n`,
    'nul-inside': (j) => j.replace('.', '.\u0000'),
    'swapped-parts': (j) => {
      const [h, p, s] = j.split('.');
      return `${p}.${h}.${s}`;
    },
    'header-only-dots': () => '..',
    'dot': () => '.',
    'unicode-dots': (j) => j.replace(/\./g, '\u2024'),
    // Non-canonical base64url: the last character's unused bits set (a second spelling of the same bytes).
    'signature-unused-bits': (j) => j.replace(/[^.]+$/, unusedBitsSet),
    'header-unused-bits': (j) => j.replace(/^[^.]+/, (h) => unusedBitsSet(withUnusedBits(h))),
    'payload-unused-bits': (j) => {
      const [h, p, s] = j.split('.');
      return `${h}.${unusedBitsSet(withUnusedBits(p!))}.${s}`;
    },
  };

  async function materialise(v: unknown): Promise<unknown> {
    if (typeof v === 'string') return subst(v);
    if (Array.isArray(v)) return Promise.all(v.map(materialise));
    if (isMacro(v)) return expandMacro(v);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[subst(k)] = await materialise(x);
      return out;
    }
    return v;
  }

  async function expandMacro(m: Macro): Promise<unknown> {
    if ('$repeat' in m) return subst(String(m.$repeat)).repeat(Number(m.times));
    if ('$nest' in m) {
      // Nested arrays (or objects) as a value; deep ones belong in `text` parts (`$nestText`).
      let value: unknown = await materialise(m.leaf ?? 1);
      for (let i = 0; i < Number(m.$nest); i++) value = m.kind === 'object' ? { a: value } : [value];
      return value;
    }
    if ('$nestText' in m) {
      const depth = Number(m.$nestText);
      return `${String(m.open ?? '[').repeat(depth)}${String(m.leaf ?? '')}${String(m.close ?? ']').repeat(depth)}`;
    }
    if ('$json' in m) return JSON.stringify(await materialise(m.$json));
    if ('$concat' in m) return (await Promise.all((m.$concat as unknown[]).map(materialise))).join('');
    if ('$base64url' in m) return base64url.encode(String(await materialise(m.$base64url)));
    if ('$assertion' in m) return assertion(m.$assertion as Record<string, unknown>);
    throw new Error(`unknown macro ${Object.keys(m).join(',')}`);
  }

  async function assertion(spec: Record<string, unknown>): Promise<string> {
    if (spec.mint !== undefined) {
      const jwt = await tip.mint((await materialise(spec.mint)) as MintRequest);
      return spec.transform ? TRANSFORMS[String(spec.transform)]!(jwt) : jwt;
    }
    if (spec.sign) {
      const s = spec.sign as { header: unknown; payload: unknown; as?: string };
      return signRaw(String(await materialise(s.header)), String(await materialise(s.payload)), s.as);
    }
    if (spec.parts) return ((await materialise(spec.parts)) as string[]).join('.');
    if (spec.transform) return TRANSFORMS[String(spec.transform)]!(await tip.mint());
    throw new Error(`unknown assertion spec ${JSON.stringify(spec)}`);
  }

  async function bodyBytes(c: CorpusCase, b = c.body): Promise<Buffer> {
    if (b === undefined) return Buffer.alloc(0);
    if (typeof b === 'string') return Buffer.from(subst(b));
    if ('json' in b) return Buffer.from(JSON.stringify(await materialise(b.json)));
    if ('text' in b) return Buffer.from(((await materialise(b.text)) as unknown[]).map(String).join(''));
    if ('base64' in b) return Buffer.from(b.base64, 'base64');
    if ('form' in b) {
      const form = (await materialise(b.form)) as Record<string, unknown>;
      return Buffer.from(new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]]))).toString());
    }
    throw new Error(`${c.id}: unknown body spec`);
  }

  function requestHeaders(c: CorpusCase): Record<string, string> {
    const d = SERVICE_DEFAULTS[c.service];
    const headers: Record<string, string> = { host: url.host, ...d.headers(c.operation) };
    for (const [k, v] of Object.entries(c.headers ?? {})) {
      if (v === null) delete headers[k.toLowerCase()];
      else headers[k.toLowerCase()] = subst(v);
    }
    return headers;
  }

  async function signed(c: CorpusCase, method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<Record<string, string>> {
    if (!c.sign) return headers;
    const spec: SignSpec = c.sign === true ? {} : c.sign;
    const q = path.indexOf('?');
    const query = q < 0 ? {} : Object.fromEntries(new URLSearchParams(path.slice(q + 1)));
    const { host: _host, ...toSign } = headers;
    const out = await signRequest({
      // The Host signed is the one sent (a case may name another).
      baseUrl: `${url.protocol}//${headers.host ?? url.host}`,
      method,
      path: q < 0 ? path : path.slice(0, q),
      query,
      headers: toSign,
      body: spec.signedBody === undefined ? body : await bodyBytes(c, spec.signedBody),
      service: spec.service ?? SERVICE_DEFAULTS[c.service].signingName ?? 'sso',
      ...(spec.region ? { region: spec.region } : {}),
      ...(spec.accessKeyId ? { accessKeyId: spec.accessKeyId } : {}),
      ...(spec.secretAccessKey ? { secretAccessKey: spec.secretAccessKey } : {}),
      ...(spec.sessionToken ? { sessionToken: spec.sessionToken } : {}),
      ...(spec.date ? { signingDate: new Date(spec.date) } : {}),
    });
    const result: Record<string, string> = { host: headers.host!, ...out };
    switch (spec.tamper) {
      case 'signature':
        result.authorization = result.authorization!.replace(/Signature=([0-9a-f])/, (_m, ch: string) => `Signature=${ch === '0' ? '1' : '0'}`);
        break;
      case 'signed-header':
        result['x-amz-date'] = result['x-amz-date']!.replace(/\d{2}Z$/, (s) => `${String((Number(s.slice(0, 2)) + 1) % 60).padStart(2, '0')}Z`);
        break;
      case 'credential-scope-region':
        result.authorization = result.authorization!.replace('/us-east-1/', '/eu-west-1/');
        break;
      default:
        break;
    }
    for (const h of spec.drop ?? []) delete result[h];
    for (const [k, v] of Object.entries(spec.after ?? {})) result[k.toLowerCase()] = subst(v);
    return result;
  }

  async function prepare(c: CorpusCase) {
    const d = SERVICE_DEFAULTS[c.service];
    const method = c.method ?? d.method;
    const path = subst(c.path ?? d.path);
    let body = await bodyBytes(c);
    const headers = await signed(c, method, path, requestHeaders(c), body);
    if (c.sign && c.sign !== true && c.sign.tamper === 'body') body = Buffer.concat([body, Buffer.from(' ')]);
    return { method, path, headers, body };
  }

  async function viaInject(c: CorpusCase): Promise<CorpusResponse> {
    const { method, path, headers, body } = await prepare(c);
    const res = await tip.lab.app.inject({
      method: method as 'POST',
      url: path,
      headers,
      ...(body.length || method !== 'GET' ? { payload: body } : {}),
      ...(c.remoteAddress ? { remoteAddress: c.remoteAddress } : {}),
    });
    return { status: res.statusCode, headers: res.headers as Record<string, string | undefined>, body: res.rawPayload };
  }

  async function viaSocket(c: CorpusCase): Promise<CorpusResponse> {
    const { method, path, headers, body } = await prepare(c);
    const lines = c.rawHead
      ? c.rawHead.flatMap((l) =>
          l === '${signedHeaders}' ? Object.entries(headers).filter(([k]) => k !== 'host').map(([k, v]) => `${k}: ${v}`) : [subst(l).replaceAll('${contentLength}', String(body.length))],
        )
      : [`${method} ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `content-length: ${body.length}`, 'connection: close'];
    const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    return rawExchange(url.hostname, Number(url.port), Buffer.concat([head, body]));
  }

  return {
    tip,
    vars,
    send: (c) => (c.transport === 'socket' ? viaSocket(c) : viaInject(c)),
    describe: (c) => `${c.method ?? SERVICE_DEFAULTS[c.service].method} ${subst(c.path ?? SERVICE_DEFAULTS[c.service].path)}`,
  };
}

/**
 * Sends bytes on a fresh connection and reads the one response (the server closes, or the
 * Content-Length is reached). Never waits forever: a response that does not come is the server
 * hanging, and the socket's idle timeout turns it into a failed case.
 */
export function rawExchange(host: string, port: number, bytes: Buffer): Promise<CorpusResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) {
        done = true;
        socket.destroy();
        reject(new Error(`no HTTP response (got ${all.length} bytes)`));
        return;
      }
      const [statusLine, ...headerLines] = all.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of headerLines) {
        const i = l.indexOf(':');
        const k = l.slice(0, i).trim().toLowerCase();
        headers[k] = headers[k] === undefined ? l.slice(i + 1).trim() : `${headers[k]}, ${l.slice(i + 1).trim()}`;
      }
      done = true;
      socket.destroy();
      let body: Buffer = all.subarray(end + 4) as Buffer;
      if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body });
    };
    socket.setTimeout(20_000, () => finish());
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(all.subarray(0, end).toString('latin1'));
      if (m && all.length - end - 4 >= Number(m[1])) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (err) => {
      // The server may close while we are still writing (it answered early): read what came.
      if (chunks.length) finish();
      else if (!done) {
        done = true;
        reject(err);
      }
    });
    socket.write(bytes);
  });
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(b.subarray(i, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(b.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}
