#!/usr/bin/env node
// The CLI entry: the compiled TypeScript bundled into one CommonJS file, dist/tti-lab.cjs (built by
// `npm install` / `npm run build`; scripts/bundle-cli.ts says why).
import { createRequire } from 'node:module';
import module from 'node:module';

// Node 22+ keeps compiled code between runs (a no-op where it does not exist, as on Node 20).
module.enableCompileCache?.();
const require = createRequire(import.meta.url);
const { main } = require('../dist/tti-lab.cjs');

process.exitCode = await main(process.argv.slice(2));
