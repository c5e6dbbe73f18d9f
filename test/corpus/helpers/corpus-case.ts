import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * One malformed request and the answer it must get. Case files (`test/corpus/cases/*.json|yaml`)
 * hold a list of these, or of matrices that expand into them (`matrix` below).
 */
export interface CorpusCase {
  id: string;
  /** Which protocol family the request is for; sets the default path, headers and signing name. */
  service: Service;
  /** awsJson operation (X-Amz-Target suffix) or awsQuery action; informational for the others. */
  operation?: string;
  method?: string;
  /** Path and query as sent; default per service. */
  path?: string;
  headers?: Record<string, string | null>;
  body?: BodySpec;
  /** Sign with SigV4 (as the SDK would), or sign and then break one thing. Default false. */
  sign?: boolean | SignSpec;
  /** `inject` (default, in-process) or `socket` (a real TCP connection, for header-level cases). */
  transport?: 'inject' | 'socket';
  /** Socket cases: the whole request head as sent (CRLF added between lines), body from `body`. */
  rawHead?: string[];
  /** The client's address (inject only), e.g. to be a non-loopback client. */
  remoteAddress?: string;
  expect: Expectation;
  /** Why this case is in the corpus, when the id does not say it. */
  note?: string;
}

export type Service = 'sso-admin' | 'identity-store' | 'sso-oidc' | 'sts' | 'issuer' | 'provider' | 'control' | 'http';

export interface SignSpec {
  service?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** ISO date to sign at (default now). */
  date?: string;
  /** Region of the credential scope (default us-east-1, the lab's). */
  region?: string;
  /** The body the signature is computed over, when it is not the one sent (a body swapped after signing). */
  signedBody?: BodySpec;
  /** What to change after signing: a signature character, the body, or a signed header. */
  tamper?: 'signature' | 'body' | 'signed-header' | 'credential-scope-region';
  /** Headers added after signing (so they are not signed). */
  after?: Record<string, string>;
  /** Signed headers removed after signing. */
  drop?: string[];
}

/** A body: raw text, JSON of a value (with `$` macros), concatenated parts, bytes, or a form. */
export type BodySpec = string | { json: unknown } | { text: unknown[] } | { base64: string } | { form: Record<string, unknown> };

export type Shape = 'awsJson' | 'oidc' | 'awsQuery' | 'lab' | 'oauth' | 'none';

export interface Expectation {
  shape: Shape;
  status: number;
  /** awsJson `__type` / x-amzn-ErrorType; awsQuery `<Code>`; SSO OIDC exception (before the Coral namespace). */
  type?: string;
  /** awsJson `Message`, awsQuery `<Message>`, lab `message`: exact, or `/regex/`. */
  message?: string;
  /** SSO OIDC, oauth and lab `error`. */
  error?: string;
  /** awsJson members beyond `__type` and `Message` that the model declares (RequestId, Reason …). */
  modelled?: string[];
  /** SSO OIDC: the pipeline step named by x-tti-lab-reason. */
  step?: string;
}

export interface CorpusMatrix {
  /** Each id is `<id>/<row id>`; each row is merged over `base`. */
  matrix: { id: string; base: Omit<CorpusCase, 'id'>; rows: (Partial<CorpusCase> & { id: string })[] };
}

export type CorpusEntry = CorpusCase | CorpusMatrix;

const isMatrix = (e: CorpusEntry): e is CorpusMatrix => 'matrix' in e;

/** A row's fields win over the base's; `headers` and `expect` are merged member by member. */
function expand(entry: CorpusEntry): CorpusCase[] {
  if (!isMatrix(entry)) return [entry];
  const { id, base, rows } = entry.matrix;
  return rows.map((row) => ({
    ...base,
    ...row,
    id: `${id}/${row.id}`,
    headers: base.headers || row.headers ? { ...(base.headers ?? {}), ...(row.headers ?? {}) } : undefined,
    expect: { ...base.expect, ...(row.expect ?? {}) },
  }));
}

export interface LoadedCorpus {
  files: { file: string; entries: number; cases: number }[];
  cases: (CorpusCase & { file: string })[];
}

/** Reads every case file of the folder, expands matrices, and checks ids are unique. */
export async function loadCorpus(dir: string): Promise<LoadedCorpus> {
  const names = (await readdir(dir)).filter((n) => /\.(json|ya?ml)$/.test(n)).sort();
  const files: LoadedCorpus['files'] = [];
  const cases: LoadedCorpus['cases'] = [];
  const seen = new Set<string>();
  for (const file of names) {
    const text = await readFile(join(dir, file), 'utf8');
    const entries = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true })) as CorpusEntry[];
    if (!Array.isArray(entries)) throw new Error(`${file}: expected a list of cases`);
    let count = 0;
    for (const entry of entries) {
      for (const c of expand(entry)) {
        if (seen.has(c.id)) throw new Error(`${file}: duplicate case id ${c.id}`);
        if (!c.service || !c.expect) throw new Error(`${file}: case ${c.id} needs a service and an expect`);
        seen.add(c.id);
        cases.push({ ...c, file });
        count++;
      }
    }
    files.push({ file, entries: entries.length, cases: count });
  }
  return { files, cases };
}
