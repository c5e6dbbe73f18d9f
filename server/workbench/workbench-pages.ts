import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
    return reply
      .header('content-type', TYPES[file.split('.').pop()!]!)
      .header('cache-control', 'no-store')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(body);
  };

  app.get('/workbench', { preHandler: localOnly }, async (_req, reply) => reply.redirect('/workbench/', 302));
  for (const [path, file] of Object.entries(PAGES)) {
    app.get(path, { preHandler: localOnly }, async (_req, reply) => send(reply, file));
  }
  app.get<{ Params: { file: string } }>('/workbench/assets/:file', { preHandler: localOnly }, async (req, reply) => {
    if (!ASSETS.includes(req.params.file)) throw new LabError(404, 'not_found', `no workbench asset ${req.params.file}`);
    return send(reply, req.params.file);
  });
}
