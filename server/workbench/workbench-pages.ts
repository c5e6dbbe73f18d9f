import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LabError } from '../lab/lab-error.js';
import { localOnly } from '../lab/local-only.js';

/** Every file the workbench serves, by URL path: nothing else under /workbench is answered. */
const PAGES: Record<string, string> = {
  '/workbench/': 'index.html',
  '/workbench/token': 'token.html',
  '/workbench/exchanges': 'exchanges.html',
  '/workbench/aud': 'aud.html',
};
const ASSETS = ['workbench.css', 'common.js', 'overview.js', 'token.js', 'exchanges.js', 'aud.js'];
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/**
 * The pages may run scripts and styles from the lab only, and talk to the lab only: no CDN, no
 * inline script, nothing from the network.
 */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The assets' folder: beside this module when run from source (tsx, tests), or in the source tree
 * when run from `dist/server/workbench/` (tsc copies no assets) or from the CLI bundle `dist/tti-lab.cjs`.
 */
function assetsDir(): string | null {
  for (const rel of ['./assets/', '../../../server/workbench/assets/', '../server/workbench/assets/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return null;
}

/** A file's bytes with the workbench's headers: its type, no caching, the CSP, no sniffing, no referrer. */
const sendFile = (reply: FastifyReply, type: string, body: Buffer) =>
  reply.header('content-type', type).header('cache-control', 'no-store').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').send(body);

/** Whether `file` is tti-lab's package.json (so a folder above the lab with its own docs/ is never taken for it). */
function isTtiLab(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'tti-lab';
  } catch {
    return false;
  }
}

/**
 * The lab's folder (README.md and docs/): two levels up from this module in the source tree
 * (`server/workbench/`), three from `dist/server/workbench/`, one from the CLI bundle
 * `dist/tti-lab.cjs`; an installed package has both (package.json names no `files`, so npm packs them).
 */
function docsRoot(): string | null {
  for (const rel of ['../../', '../../../', '../']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}docs/exchange.md`) && existsSync(`${dir}README.md`) && isTtiLab(`${dir}package.json`)) return dir;
  }
  return null;
}

/** A document's name as the docs route takes it: a plain file name, no folder, no dot first. */
const DOC_NAME = /^[A-Za-z0-9][\w.-]*\.md$/;

/** The workbench's pages and their scripts and styles, plain files, local-only. */
export async function workbenchPages(app: FastifyInstance): Promise<void> {
  const dir = assetsDir();
  const cache = new Map<string, Buffer>();

  const send = async (reply: FastifyReply, file: string) => {
    if (!dir) throw new LabError(503, 'workbench_missing', 'the workbench files (server/workbench/assets/) are not installed beside this lab');
    let body = cache.get(file);
    if (!body) {
      body = await readFile(`${dir}${file}`);
      cache.set(file, body);
    }
    return sendFile(reply, TYPES[file.split('.').pop()!]!, body);
  };

  app.get('/workbench', { preHandler: localOnly }, async (_req, reply) => reply.redirect('/workbench/', 302));
  for (const [path, file] of Object.entries(PAGES)) {
    app.get(path, { preHandler: localOnly }, async (_req, reply) => send(reply, file));
  }
  // The documentation the pages link to: README.md and docs/*.md, by name only (the list is read
  // from the folder; anything else, `../` and absolute paths included, is a 404), as plain text.
  const root = docsRoot();
  app.get<{ Params: { name: string } }>('/workbench/docs/:name', { preHandler: localOnly }, async (req, reply) => {
    const name = req.params.name;
    if (!root) throw new LabError(503, 'docs_missing', 'the documentation (README.md, docs/) is not installed beside this lab');
    const docs = (await readdir(`${root}docs`)).filter((f) => DOC_NAME.test(f));
    const file = name === 'README.md' ? `${root}README.md` : DOC_NAME.test(name) && docs.includes(name) ? `${root}docs/${name}` : null;
    if (!file) throw new LabError(404, 'not_found', `no document ${JSON.stringify(name)}: the workbench serves README.md and ${docs.join(', ')}`);
    return sendFile(reply, 'text/plain; charset=utf-8', await readFile(file));
  });
  app.get<{ Params: { file: string } }>('/workbench/assets/:file', { preHandler: localOnly }, async (req, reply) => {
    if (!ASSETS.includes(req.params.file)) throw new LabError(404, 'not_found', `no workbench asset ${req.params.file}`);
    return send(reply, req.params.file);
  });
}
