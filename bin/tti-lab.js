#!/usr/bin/env node
'use strict';
// The CLI entry: the compiled TypeScript bundled into one CommonJS file, dist/tti-lab.cjs (built by
// `npm install` / `npm run build`; scripts/bundle-cli.ts says why). This file is CommonJS
// (bin/package.json): Node starts a CommonJS entry without setting up its ES-module loader first.
const { enableCompileCache } = require('node:module');

let cli;
if (enableCompileCache) {
  // Node 22.1+ keeps compiled code between runs itself.
  enableCompileCache();
  cli = require('../dist/tti-lab.cjs');
} else {
  // Node 20: the V8 code cache the build made beside the bundle (bin/load-bundle.cjs).
  cli = require('./load-bundle.cjs').loadBundle(require.resolve('../dist/tti-lab.cjs')).exports;
}

cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
