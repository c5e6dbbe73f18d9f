/**
 * Bundles the compiled CLI (`dist/server/cli/main.js` and everything it imports) into one file,
 * `dist/tti-lab.mjs`, which `bin/tti-lab.js` runs. Part of `npm run build`, after tsc.
 *
 * Why: the unbundled CLI loads about 740 files at start (oidc-provider alone is 185), and on a small
 * machine resolving, reading and instantiating them is most of the start-up time; one file starts in
 * about 60% of the time (docs/benchmarks.md has the figures). The programmatic API
 * (`import { startLab } from 'tti-lab'`) stays unbundled: a test suite that imports it shares its
 * dependencies with the user's own.
 *
 * Left out of the bundle, loaded from node_modules only when used: the AWS SDK (harness against
 * real AWS, publish-issuer) and selfsigned (generated certificates).
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const BUNDLE_EXTERNALS = ['@aws-sdk/*', '@smithy/*', 'selfsigned'];

export async function bundleCli(root: string): Promise<void> {
  await build({
    entryPoints: [`${root}/dist/server/cli/main.js`],
    outfile: `${root}/dist/tti-lab.mjs`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: BUNDLE_EXTERNALS,
    // Some dependencies are CommonJS and call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __ttiLabCreateRequire } from 'node:module'; const require = __ttiLabCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleCli(fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, ''));
}
