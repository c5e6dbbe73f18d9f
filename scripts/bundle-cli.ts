/**
 * Bundles the compiled CLI (`dist/server/cli/main.js` and everything it imports) into one CommonJS
 * file, `dist/tti-lab.cjs`, which `bin/tti-lab.js` runs. Part of `npm run build`, after tsc.
 *
 * Why: the unbundled CLI loads about 740 files at start (oidc-provider alone is 185), and on a small
 * machine resolving, reading and instantiating them is most of the start-up time; one file starts in
 * about 60% of the time (docs/benchmarks.md has the figures). CommonJS rather than an ES module:
 * Node 20 loads a 3.5 MB CommonJS file faster (measured 8–15% less start-up, alternating runs), and
 * nothing in the graph needs top-level await. The programmatic API
 * (`import { startLab } from 'tti-lab'`) stays unbundled: a test suite that imports it shares its
 * dependencies with the user's own.
 *
 * Left out of the bundle, loaded from node_modules only when used: the AWS SDK (harness against
 * real AWS, publish-issuer), selfsigned (generated certificates) and fastify's schema compilers
 * (BUNDLE_EXTERNALS). oidc-provider has a bundle of its own (PROVIDER_BUNDLE below).
 *
 * Then, on Node 20, it runs the built CLI once more to make the bundle's V8 code cache,
 * `dist/tti-lab.cjs.v8-cache` (makeCodeCache below; bin/load-bundle.cjs uses it).
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLE_EXTERNALS = [
  '@aws-sdk/*',
  '@smithy/*',
  'selfsigned',
  // fastify's schema compilers (ajv, fast-json-stringify: about 600 KB), loaded by the lab only for a
  // route with a schema (build-app.ts; it has none), and fastify's inject(), which the CLI never uses.
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
  'light-my-request',
];

/**
 * The issuers' oidc-provider (with koa and the rest of its graph, about a fifth of the code) goes into
 * a second bundle, `dist/tti-lab-provider.cjs`, required when the first provider is built
 * (issuer-runtime.ts imports create-provider.js dynamically): a start that answers discovery, JWKS,
 * mint or the AWS endpoint never parses it (docs/benchmarks.md).
 */
export const PROVIDER_BUNDLE = 'tti-lab-provider.cjs';

const providerBundle: Plugin = {
  name: 'provider-bundle',
  setup(b) {
    b.onResolve({ filter: /\/provider\/create-provider\.js$/ }, (args) => (args.kind === 'dynamic-import' ? { path: `./${PROVIDER_BUNDLE}`, external: true } : undefined));
  },
};

/**
 * fastify's server.js requires node:https and node:http2 (with node:tls under them) when it loads, for
 * the HTTPS and HTTP/2 servers it makes only when asked to; here they load on their first use, so a
 * plain HTTP start does not compile them (docs/benchmarks.md).
 */
const lazyFastifyServerBuiltins: Plugin = {
  name: 'lazy-fastify-server-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:(https|http2)$/ }, (args) => (/[\\/]fastify[\\/]lib[\\/]server\.js$/.test(args.importer) ? { path: args.path, namespace: 'lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let loaded;\nmodule.exports = new Proxy({}, { get: (_, name) => (loaded ??= require(${JSON.stringify(args.path)}))[name] });\n`,
      loader: 'js',
    }));
  },
};

/**
 * JSON the code imports (the behaviour profile, service models) goes into the bundle as
 * `JSON.parse('…')` of its text rather than as a JavaScript object literal: V8 reads JSON several times
 * faster than it compiles and runs the same data as code (300 KB: about 4 ms against 17 ms; a code
 * cache does not help the literal, docs/benchmarks.md). The imports work as before: the module's
 * value is the parsed document.
 */
const jsonAsParse: Plugin = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      JSON.parse(text); // a malformed file fails the build here, naming it
      return { contents: `module.exports = JSON.parse(${JSON.stringify(text)});\n`, loader: 'js' };
    });
  },
};

export async function bundleCli(root: string): Promise<void> {
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: BUNDLE_EXTERNALS,
    // import.meta.url (the workbench and the harness find their files from it) is the bundle's own URL.
    define: { 'import.meta.url': '__ttiLabImportMetaUrl' },
    banner: { js: "const __ttiLabImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    // koa's accepts pins mime-types 2 (and its own copy of mime-db); mime-types 3 has the same API:
    // one copy of the 200 KB MIME database instead of two.
    alias: { 'mime-types': `${root}/node_modules/mime-types` },
    sourcemap: 'linked',
    logLevel: 'warning',
    // import() of what stays outside (the provider bundle, the AWS SDK, selfsigned: all CommonJS)
    // becomes require(): on Node 20 code run from a V8 code cache has no dynamic-import callback
    // (bin/load-bundle.cjs).
    supported: { 'dynamic-import': false },
  };
  await build({ ...common, entryPoints: [`${root}/dist/server/cli/main.js`], outfile: `${root}/dist/tti-lab.cjs`, plugins: [providerBundle, lazyFastifyServerBuiltins, jsonAsParse] });
  await build({ ...common, entryPoints: [`${root}/dist/server/issuer/provider/create-provider.js`], outfile: `${root}/dist/${PROVIDER_BUNDLE}`, plugins: [jsonAsParse] });
  await makeCodeCache(root);
  // The last output of a build: `npm start` (scripts/build-if-stale.mjs) builds again only when a
  // source is newer than this.
  await writeFile(`${root}/dist/.build-stamp`, `${new Date().toISOString()}\n`);
}

/**
 * The V8 code cache of the CLI bundle, `dist/tti-lab.cjs.v8-cache`, which bin/load-bundle.cjs hands to
 * V8 on Node versions without a compile cache of their own (Node 20): the built CLI serves the example
 * lab twice on a temporary data dir (the first start makes its keys, the second reads them, as a start
 * usually does), answers one discovery request, and writes the cache of all it compiled when it exits.
 * A failure leaves the CLI working without a cache, so it warns instead of failing the build.
 */
async function makeCodeCache(root: string): Promise<void> {
  const requireHere = createRequire(import.meta.url);
  const { cacheFileOf, MAKE_CACHE_ENV } = requireHere(`${root}/bin/load-bundle.cjs`) as { cacheFileOf(file: string): string; MAKE_CACHE_ENV: string };
  const cacheFile = cacheFileOf(`${root}/dist/tti-lab.cjs`);
  await rm(cacheFile, { force: true });
  if ('enableCompileCache' in module) return; // bin/tti-lab.js uses Node's own compile cache there
  const dir = await mkdtemp(join(tmpdir(), 'tti-lab-v8-cache-'));
  try {
    for (const last of [false, true]) {
      await serveOnce(root, ['serve', '--config', `${root}/examples/lab.yaml`, '--port', '0', '--data-dir', dir], last ? { ...process.env, [MAKE_CACHE_ENV]: '1' } : process.env);
    }
  } catch (err) {
    await rm(cacheFile, { force: true });
    console.warn(`bundle-cli: no V8 code cache for the CLI (it starts without one, more slowly): ${(err as Error).message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the built CLI until it has answered the okta issuer's discovery, then stops it with SIGTERM. */
function serveOnce(root: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${root}/bin/tti-lab.js`, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let asked = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const url = /listening on (\S+)/.exec(out)?.[1];
      if (!url || asked) return;
      asked = true;
      fetch(`${url}/issuers/okta/.well-known/openid-configuration`)
        .then((res) => (res.status === 200 ? res.text() : Promise.reject(new Error(`discovery answered ${res.status}`))))
        .then(() => child.kill('SIGTERM'), (e: Error) => (child.kill('SIGKILL'), reject(e)));
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 && asked ? resolve() : reject(new Error(`tti-lab serve exited with ${code}: ${err.trim().split('\n').at(-1) ?? ''}`))));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleCli(fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, ''));
}
