import t from 'tap';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { ConfigError } from '../../server/config/schema.js';
import { loadConfig, parseLabConfig } from '../../server/config/load-config.js';
import { startLab } from '../../server/lab/start-lab.js';

/**
 * Keys named like Object's members (`__proto__`, `constructor`, `toString` …) are keys like any
 * other: a config field of that name is an unknown field, refused with the fix; a user claim of that
 * name is kept; a minted token carries every claim it was given, whatever its name.
 */
async function fileProblems(text: string): Promise<string[]> {
  const file = join(await mkdtemp(join(tmpdir(), 'tti-proto-')), 'lab.yaml');
  await writeFile(file, text);
  try {
    await loadConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected the configuration to be refused');
}

t.test('config fields named like Object members are refused, with the fix', async (t) => {
  t.same(await fileProblems('constructor: 1\n'), ['lab.yaml: constructor: unknown field; expected one of host, port, data_dir, tls, request_log_size, token_table_size, replay_cache_size, issuers, aws, identity_center, allow_remote, allowed_hosts, control_token']);
  const issuerLines = await fileProblems('issuers:\n  - name: okta\n    toString: x\n    hasOwnProperty: y\n');
  t.match(issuerLines[0], /^lab\.yaml: issuers\[0\]\.toString: unknown field; expected one of name, /);
  t.match(issuerLines[1], /^lab\.yaml: issuers\[0\]\.hasOwnProperty: unknown field; expected one of name, /);
  const proto = await fileProblems('__proto__:\n  allow_remote: true\n');
  t.same(proto, ['lab.yaml: __proto__: a key named __proto__ is refused (JavaScript reads it as the object\'s prototype, so it would silently do nothing or change other fields); remove or rename it']);
  const nested = await fileProblems('aws:\n  __proto__: {region: eu-west-1}\n');
  t.match(nested[0], /^lab\.yaml: aws\.__proto__: a key named __proto__ is refused/);
  const claim = await fileProblems('issuers:\n  - name: okta\n    users:\n      - sub: a\n        __proto__: {admin: true}\n');
  t.match(claim[0], /^lab\.yaml: issuers\[0\]\.users\[0\]\.__proto__: a key named __proto__ is refused/);
  t.throws(() => parseLabConfig(JSON.parse('{"port": 1, "__proto__": {"port": 2}}'), 'lab.yaml'), ConfigError, 'the object API too');
});

t.test('user claims named like Object members are kept, and minted', async (t) => {
  const cfg = parseLabConfig({ issuers: [{ name: 'okta', users: [{ sub: 'alice', constructor: 'c', toString: 't', valueOf: 'v' }] }] });
  const alice = cfg.issuers[0]!.users[0]!;
  t.same(Object.entries(alice), [['sub', 'alice'], ['constructor', 'c'], ['toString', 't'], ['valueOf', 'v']]);

  const lab = await startLab({ inMemory: true, config: { issuers: [{ name: 'okta', users: [{ sub: 'alice', constructor: 'c', toString: 't' }] }] } });
  t.teardown(() => lab.close());
  const fromUser = decodeJwt((await lab.issuer('okta').mint({ user: 'alice' })).token);
  t.equal(fromUser.constructor, 'c', 'a user claim named constructor');
  t.equal(fromUser.toString, 't');
  const claims = JSON.parse('{"constructor": "k", "hasOwnProperty": "h", "valueOf": 1, "__proto__": {"x": 1}, "isPrototypeOf": null}') as Record<string, unknown>;
  const minted = await lab.issuer('okta').mint({ claims });
  const payload = JSON.parse(Buffer.from(minted.token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  t.equal(payload.constructor, 'k', 'constructor');
  t.equal(payload.hasOwnProperty, 'h', 'hasOwnProperty');
  t.equal(payload.valueOf, 1, 'valueOf');
  t.ok(Object.hasOwn(payload, '__proto__'), '__proto__ is a claim in the token');
  t.same(Object.getOwnPropertyDescriptor(payload, '__proto__')?.value, { x: 1 });
  t.notOk(Object.hasOwn(payload, 'isPrototypeOf'), 'null still removes a claim');
  t.ok(Object.hasOwn(minted.payload, '__proto__'), 'the payload returned names it too');

  const res = await lab.app.inject({ method: 'POST', url: '/issuers/okta/mint', headers: { 'content-type': 'application/json' }, payload: '{"claims": {"constructor": "k", "toString": "s"}}' });
  t.equal(res.statusCode, 200, 'over HTTP');
  const overHttp = decodeJwt(res.json().token);
  t.equal(overHttp.constructor, 'k');
  t.equal(overHttp.toString, 's');
});
