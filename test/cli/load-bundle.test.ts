import t from 'tap';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// bin/load-bundle.cjs runs the CLI bundle with the V8 code cache the build made for it. V8 checks only
// the source's length against a cache, so a cache made for another bundle of the same length would
// run that other bundle's code: the loader must hand V8 a cache only for the exact bytes it was made from.
const LOADER = fileURLToPath(new URL('../../bin/load-bundle.cjs', import.meta.url));

/** Loads `bundle` through the loader in a fresh Node (as bin/tti-lab.js does) and reports what it saw. */
function load(bundle: string, env: Record<string, string> = {}): { cache: string; value: unknown } {
  const script = `const r = require(${JSON.stringify(LOADER)}).loadBundle(${JSON.stringify(bundle)}); console.log(JSON.stringify({ cache: r.cache, value: r.exports.value() }));`;
  const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, TTI_LAB_MAKE_V8_CACHE: '', ...env } });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout) as { cache: string; value: unknown };
}

t.test('a cache is made at exit, used for its bundle, and never for another one of the same length', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tti-lab-load-bundle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = join(dir, 'bundle.cjs');
  const cacheFile = `${bundle}.v8-cache`;
  // CommonJS as Node runs it: require relative to the bundle, __filename, __dirname, module.exports.
  writeFileSync(join(dir, 'helper.cjs'), 'module.exports = (s) => `${s}!`;');
  const source = (word: string) => `const shout = require('./helper.cjs');\nmodule.exports.value = () => [shout('${word}'), __filename, __dirname, typeof exports];\n`;
  writeFileSync(bundle, source('one'));

  t.same(load(bundle), { cache: 'missing', value: ['one!', bundle, dir, 'object'] }, 'no cache: compiled as usual');
  load(bundle, { TTI_LAB_MAKE_V8_CACHE: '1' });
  const made = readFileSync(cacheFile);
  t.equal(made.toString('latin1', 0, 64), createHash('sha256').update(readFileSync(bundle)).update(`\0${process.version}`).digest('hex'), 'keyed by the bundle and the Node version');
  t.same(load(bundle), { cache: 'accepted', value: ['one!', bundle, dir, 'object'] }, 'the cache is used for its bundle');

  writeFileSync(bundle, source('two'));
  t.same(load(bundle), { cache: 'stale', value: ['two!', bundle, dir, 'object'] }, 'a bundle of the same length with other code runs its own code');

  writeFileSync(cacheFile, Buffer.concat([made.subarray(0, 64), Buffer.from('not a V8 cache')]));
  writeFileSync(bundle, source('one'));
  t.same(load(bundle), { cache: 'rejected', value: ['one!', bundle, dir, 'object'] }, 'a damaged cache is refused by V8 and the bundle compiled');
});
