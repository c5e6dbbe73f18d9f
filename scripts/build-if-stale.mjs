#!/usr/bin/env node
// `npm start`'s prestart: builds (npm run build) only when a source is newer than the last build,
// so a start after no change takes the serve time alone (docs/benchmarks.md). Plain JavaScript, as
// it runs before anything is compiled. The last step of a build, scripts/bundle-cli.ts, writes the
// stamp, dist/.build-stamp; a build that failed half-way writes none, so the next start builds again.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** What the build reads: the compiled folders, the TypeScript settings, the package (dependencies, scripts). */
const SOURCES = ['server', 'shared', 'keys', 'harness', 'scripts', 'tsconfig.json', 'tsconfig.test.json', 'package.json', 'package-lock.json'];
export const STAMP = join('dist', '.build-stamp');

/** The newest modification time under a path (a file, or a folder walked recursively); 0 if missing. */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return { ms: 0, file: path };
  }
  if (!st.isDirectory()) return { ms: st.mtimeMs, file: path };
  let best = { ms: 0, file: path };
  for (const name of readdirSync(path)) {
    const found = newest(join(path, name));
    if (found.ms > best.ms) best = found;
  }
  return best;
}

/** Why a build is needed, or undefined when dist/ is newer than every source. */
export function staleReason(dir = root) {
  let stamp;
  try {
    stamp = statSync(join(dir, STAMP)).mtimeMs;
  } catch {
    return `no ${STAMP}: never built here, or the last build did not finish`;
  }
  let best = { ms: 0, file: '' };
  for (const s of SOURCES) {
    const found = newest(join(dir, s));
    if (found.ms > best.ms) best = found;
  }
  return best.ms > stamp ? `${best.file.slice(dir.length).replace(/^\//, '')} changed since the last build` : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const reason = staleReason();
  if (reason) {
    console.error(`tti-lab: building (${reason})…`);
    const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    process.exitCode = r.status ?? 1;
  }
}
