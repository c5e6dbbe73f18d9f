import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folders depend in one direction: shared/ ← keys/ ← server/ ← harness/. shared/ (clock, atomic
 * writes, signing algorithms) imports none of the others; keys/ imports only shared/; server/ never
 * imports harness/ — except server/cli/, the CLI's composition root, whose `harness` and
 * `publish-issuer` commands load the harness lazily to run it.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every relative module specifier in a source (static imports, re-exports, dynamic import()). */
export function specifiersOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.[^'"]+)['"]/gm)) out.push(m[1]!);
  return out;
}

/** The top folder (server, keys, harness, shared …) each relative import of `file` lands in. */
function foldersImportedBy(file: string, source: string): { specifier: string; folder: string }[] {
  return specifiersOf(source).map((specifier) => ({ specifier, folder: relative(root, resolve(dirname(file), specifier)).split(/[\\/]/)[0]! }));
}

async function sources(folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && /\.(ts|mts|js|mjs)$/.test(e.name)).map((e) => join(e.parentPath, e.name));
}

async function violations(folder: string, forbidden: string[], exempt: (rel: string) => boolean = () => false): Promise<string[]> {
  const found: string[] = [];
  const files = await sources(folder);
  for (const file of files) {
    const rel = relative(root, file);
    if (exempt(rel)) continue;
    for (const { specifier, folder: to } of foldersImportedBy(file, await readFile(file, 'utf8'))) {
      if (forbidden.includes(to)) found.push(`${rel} imports ${specifier}`);
    }
  }
  return found;
}

t.test('the scanner sees static, re-exported and dynamic imports', async (t) => {
  const src = [
    "import { a } from '../server/x.js';",
    "import type { B } from \"../../server/y.js\";",
    "export { c } from '../server/z.js';",
    "const { d } = await import('../../harness/h.js');",
    "import '../server/side-effect.js';",
    "import { e } from 'node:fs';",
  ].join('\n');
  t.same(specifiersOf(src), ['../server/x.js', '../../server/y.js', '../server/z.js', '../../harness/h.js', '../server/side-effect.js']);
  t.same(foldersImportedBy(join(root, 'keys/k.ts'), "import { a } from '../server/x.js';"), [{ specifier: '../server/x.js', folder: 'server' }]);
});

t.test('keys/ imports nothing from server/ or harness/', async (t) => {
  t.ok((await sources('keys')).length >= 5, 'the folder was read');
  t.same(await violations('keys', ['server', 'harness']), []);
});

t.test('shared/ imports nothing from server/, keys/ or harness/', async (t) => {
  t.same(await violations('shared', ['server', 'keys', 'harness']), []);
});

t.test('server/ imports nothing from harness/ (the CLI, which runs it, aside)', async (t) => {
  t.ok((await sources('server')).length > 100, 'the folder was read');
  t.same(await violations('server', ['harness'], (rel) => rel.startsWith(join('server', 'cli') + '/')), []);
});
