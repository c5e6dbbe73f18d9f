import t from 'tap';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseLabConfig } from '../../server/config/load-config.js';

/** Every YAML example in docs/configuration.md is a valid config, or a valid part of an issuer. */
const doc = await readFile(fileURLToPath(new URL('../../docs/configuration.md', import.meta.url)), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

t.ok(blocks.length >= 5, 'the page has examples');
const ISSUER_PARTS = ['clients', 'resources', 'users', 'faults'];
for (const [i, text] of blocks.entries()) {
  const value = parse(text, { uniqueKeys: true }) as Record<string, unknown>;
  const partOfIssuer = Object.keys(value).every((k) => ISSUER_PARTS.includes(k));
  const config = partOfIssuer ? { issuers: [{ name: 'example', ...value }] } : value;
  t.doesNotThrow(() => parseLabConfig(config, `docs/configuration.md example ${i + 1}`), `example ${i + 1} (${Object.keys(value).join(', ')})`);
}
