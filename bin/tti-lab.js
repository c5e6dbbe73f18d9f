#!/usr/bin/env node
// The CLI entry: the compiled TypeScript lives in dist/ (built by `npm install` / `npm run build`).
import { main } from '../dist/server/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
