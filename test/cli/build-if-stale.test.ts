import t from 'tap';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// `npm start`'s prestart builds only when a source is newer than dist/.build-stamp.
const script: string = '../../scripts/build-if-stale.mjs';
const { staleReason } = (await import(script)) as { staleReason: (dir: string) => string | undefined };

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

t.test('no stamp: build; stamp newer than every source: no build; one source newer: build, naming it', async (t) => {
  const dir = t.testdir({ server: { cli: { 'main.ts': '' } }, keys: { 'key-store.ts': '' }, 'package.json': '{}', 'tsconfig.json': '{}' });
  for (const f of ['server/cli/main.ts', 'keys/key-store.ts', 'package.json', 'tsconfig.json']) at(join(dir, f), 1000);
  t.equal(staleReason(dir), 'no dist/.build-stamp: never built here, or the last build did not finish');

  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', '.build-stamp'), 'x');
  at(join(dir, 'dist', '.build-stamp'), 2000);
  t.equal(staleReason(dir), undefined, 'up to date');

  at(join(dir, 'server/cli/main.ts'), 3000);
  t.equal(staleReason(dir), 'server/cli/main.ts changed since the last build');
  at(join(dir, 'server/cli/main.ts'), 1000);
  at(join(dir, 'package.json'), 3000);
  t.equal(staleReason(dir), 'package.json changed since the last build', 'a dependency or script change rebuilds too');
});
