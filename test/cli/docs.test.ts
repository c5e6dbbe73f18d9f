import t from 'tap';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../server/cli/main.js';

/** docs/cli.md keeps up with the commands: a section for each, and each of its options named. */
const doc = await readFile(fileURLToPath(new URL('../../docs/cli.md', import.meta.url)), 'utf8');

for (const c of COMMANDS) {
  t.test(c.name, async (t) => {
    const start = doc.indexOf(`## \`tti-lab ${c.name}\``);
    t.not(start, -1, `docs/cli.md has a section for ${c.name}`);
    const next = doc.indexOf('\n## ', start + 1);
    const section = doc.slice(start, next === -1 ? undefined : next);
    for (const option of Object.keys(c.options)) t.match(section, `\`--${option}`, `documents --${option}`);
    t.match(doc, `[\`${c.name}\`](#tti-lab-${c.name})`, 'listed in the overview table');
  });
}
