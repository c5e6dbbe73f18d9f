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
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { writeFile } from 'node:fs/promises';
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
  };
  await build({ ...common, entryPoints: [`${root}/dist/server/cli/main.js`], outfile: `${root}/dist/tti-lab.cjs`, plugins: [providerBundle] });
  await build({ ...common, entryPoints: [`${root}/dist/server/issuer/provider/create-provider.js`], outfile: `${root}/dist/${PROVIDER_BUNDLE}` });
  // The last output of a build: `npm start` (scripts/build-if-stale.mjs) builds again only when a
  // source is newer than this.
  await writeFile(`${root}/dist/.build-stamp`, `${new Date().toISOString()}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleCli(fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, ''));
}
