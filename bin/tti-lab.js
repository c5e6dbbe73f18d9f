#!/usr/bin/env node
// The CLI entry: the compiled TypeScript bundled into one file, dist/tti-lab.mjs (built by
// `npm install` / `npm run build`; scripts/bundle-cli.ts says why it is one file).
import { main } from '../dist/tti-lab.mjs';

process.exitCode = await main(process.argv.slice(2));
