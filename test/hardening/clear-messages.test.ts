import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../server/config/schema.js';
import { loadConfig } from '../../server/config/load-config.js';
import { startLab } from '../../server/lab/start-lab.js';

/** Refusals that say what is wrong and how to fix it, not what broke inside the lab. */

t.test('a config nested deeper than anyone writes: named as such, not a stack overflow', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tti-deep-'));
  for (const [what, text] of [
    ['flow lists', `issuers:\n  - name: okta\n    users:\n      - sub: a\n        deep: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`],
    ['flow mappings', `issuers: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`],
    ['150 levels, which the reader copes with', `issuers:\n  - name: okta\n    users:\n      - sub: a\n        deep: ${'['.repeat(150)}${']'.repeat(150)}\n`],
  ] as const) {
    const file = join(dir, 'lab.yaml');
    await writeFile(file, text);
    const err = (await loadConfig(file).catch((e: unknown) => e)) as Error;
    t.type(err, ConfigError, what);
    t.notMatch(err.message, /call stack/i, `${what}: no stack overflow in the message`);
    t.match(err.message, /^lab\.yaml: the YAML nests deeper than 100 levels; a lab configuration needs a few: flatten it/, `${what}: ${err.message.slice(0, 200)}`);
  }
});

t.test('a JSON body with a __proto__ or constructor.prototype key: named, with the fix', async (t) => {
  const lab = await startLab({ inMemory: true, config: { issuers: [{ name: 'okta', users: [{ sub: 'a' }] }] } });
  t.teardown(() => lab.close());
  const mint = (payload: string) => lab.app.inject({ method: 'POST', url: '/issuers/okta/mint', headers: { 'content-type': 'application/json' }, payload });
  const proto = await mint('{"claims": {"__proto__": {"admin": true}}}');
  t.equal(proto.statusCode, 400);
  t.same(proto.json(), { error: 'invalid_request', message: 'the JSON body has a member named "__proto__", which the lab refuses (prototype poisoning); rename or remove it' });
  const ctor = await mint('{"claims": {"constructor": {"prototype": {"admin": true}}}}');
  t.equal(ctor.statusCode, 400);
  t.same(ctor.json(), { error: 'invalid_request', message: 'the JSON body has a "constructor" member holding a "prototype" member, which the lab refuses (prototype poisoning); rename or remove it' });
  const broken = await mint('{"claims": ');
  t.equal(broken.statusCode, 400);
  t.match(broken.json().message, /not valid JSON/, 'JSON that does not parse is still called so');
  const plain = await mint('{"claims": {"constructor": "fine"}}');
  t.equal(plain.statusCode, 200, 'a constructor claim that is a plain value is fine');
});
