'use strict';
/**
 * Runs a CommonJS bundle of dist/ (the CLI, dist/tti-lab.cjs) with the V8 code cache that
 * `npm run build` made for it (dist/tti-lab.cjs.v8-cache, scripts/bundle-cli.ts), as `require` would
 * run it otherwise. For Node versions without a compile cache of their own: Node 22.1 and later
 * have `module.enableCompileCache()`, which bin/tti-lab.js turns on instead.
 *
 * Why: compiling the 1.9 MB bundle, and then lazily each function a start runs, was about a quarter
 * of the CPU time from spawn to the first discovery answer; with the cache V8 deserialises the code
 * a start needs instead (docs/benchmarks.md has the figures).
 *
 * The cache is used only for the exact bundle it was made from: its first 64 bytes are the SHA-256
 * (hex) of the bundle's bytes and the Node version, compared before V8 sees it (V8 itself checks
 * only its own version, its flags and the source's length). A missing, stale or rejected cache costs
 * nothing but the time: the bundle is compiled as usual.
 *
 * The bundle holds no `import()` (scripts/bundle-cli.ts turns dynamic imports into `require`): on
 * Node 20, code from a V8 cache loses the script's dynamic-import callback.
 */
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname } = require('node:path');
const { createHash } = require('node:crypto');
const { Script } = require('node:vm');

/** The build sets this (to 1) when it runs the CLI once to make the cache; written when the process exits. */
const MAKE_CACHE_ENV = 'TTI_LAB_MAKE_V8_CACHE';
const KEY_LENGTH = 64;

/** The cache file of a bundle. */
const cacheFileOf = (file) => `${file}.v8-cache`;

/**
 * @param {string} file absolute path of the bundle
 * @returns {{ exports: Record<string, unknown>, cache: 'accepted' | 'rejected' | 'stale' | 'missing' }} its
 *   exports, and what became of its cache: used, refused by V8 (another V8 build or flags), made for
 *   another bundle or Node version (not handed to V8), or none
 */
function loadBundle(file) {
  const bytes = readFileSync(file);
  const key = createHash('sha256').update(bytes).update(`\0${process.version}`).digest('hex');
  const cacheFile = cacheFileOf(file);
  let cachedData;
  let cache = 'missing';
  try {
    const saved = readFileSync(cacheFile);
    if (saved.length > KEY_LENGTH && saved.toString('latin1', 0, KEY_LENGTH) === key) cachedData = saved.subarray(KEY_LENGTH);
    else cache = 'stale';
  } catch {
    // no cache: compiled as usual
  }
  // The wrapper Node's own CommonJS loader puts around a file, on the same first line.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${bytes.toString('utf8')}\n})`, { filename: file, cachedData });
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  if (process.env[MAKE_CACHE_ENV] === '1') {
    // Made at exit, so it holds every function this run compiled, not only the top level.
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.concat([Buffer.from(key, 'latin1'), script.createCachedData()]));
      renameSync(tmp, cacheFile);
    });
  }
  return { exports: module.exports, cache };
}

module.exports = { loadBundle, cacheFileOf, MAKE_CACHE_ENV };
