import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../server/config/schema.js';
import { loadConfig, parseLabConfig } from '../../server/config/load-config.js';

/** The lines of the ConfigError a value gives, as a user would read them. */
function problems(value: unknown): string[] {
  try {
    parseLabConfig(value, 'lab.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected the configuration to be refused');
}

/** The same for a file. */
async function fileProblems(dir: string, text: string, name = 'lab.yaml'): Promise<string[]> {
  const file = join(dir, name);
  await writeFile(file, text);
  try {
    await loadConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected the configuration to be refused');
}

const webClient = { client_id: 'web', client_secret: 's3cret', redirect_uris: ['http://localhost:3000/callback'] };

t.test('a valid configuration gets its defaults', async (t) => {
  const cfg = parseLabConfig({ issuers: [{ name: 'okta', clients: [webClient], users: [{ sub: 'alice', email: 'a@example.com' }] }] });
  const issuer = cfg.issuers[0]!;
  t.equal(issuer.algorithm, 'RS256');
  t.equal(issuer.id_token_ttl, 3600);
  t.equal(issuer.access_token_ttl, 3600);
  t.same(issuer.resources, []);
  t.same(issuer.users, [{ sub: 'alice', email: 'a@example.com' }], 'user claims are kept as given');
  t.equal(cfg.request_log_size, 1000);
  t.equal(cfg.port, undefined, 'port has no default in the config: serve and startLab choose');
});

t.test('an empty file or an empty mapping is a lab with no issuers', async (t) => {
  t.same(parseLabConfig(undefined).issuers, []);
  t.same(parseLabConfig({}).issuers, []);
  const dir = t.testdir({ 'empty.yaml': '' });
  t.same((await loadConfig(join(dir, 'empty.yaml'))).issuers, []);
});

t.test('errors name the file, the field path and what is expected', async (t) => {
  t.same(
    problems({
      issuers: [{ name: 'okta', clients: [webClient, { client_id: 'spa', redirect_uris: 'http://localhost/cb' }] }],
    }),
    ['lab.yaml: issuers[0].clients[1].redirect_uris: expected a list of URLs, got the string "http://localhost/cb"'],
  );
  t.same(problems({ port: '4750' }), ['lab.yaml: port: expected a port from 0 to 65535, got the string "4750"']);
  t.same(problems({ port: 70000 }), ['lab.yaml: port: expected a port from 0 to 65535, got number 70000']);
  t.same(problems({ host: '' }), ['lab.yaml: host: expected a host name or IP address of at least 1 character, got an empty string']);
  t.same(problems([]), ['lab.yaml: expected a mapping, got a list']);
  t.same(problems({ issuers: [null] }), ['lab.yaml: issuers[0]: expected a mapping, got null']);
  t.same(problems({ issuers: [{ name: 'Okta' }] }), [
    'lab.yaml: issuers[0].name: expected a name of lowercase letters, digits and dashes, got the string "Okta"',
  ]);
  t.same(problems({ issuers: [{ name: 'a', algorithm: 'HS256' }] }), [
    'lab.yaml: issuers[0].algorithm: expected one of RS256, PS256, ES256, EdDSA, got the string "HS256"',
  ]);
  t.same(problems({ issuers: [{ name: 'a', users: [{ email: 'x@example.com' }] }] }), [
    'lab.yaml: issuers[0].users[0].sub: is required: expected a subject identifier',
  ]);
  t.same(problems({ issuers: [{ name: 'a', clients: [{ ...webClient, redirect_uris: ['http://localhost/cb#top', 'not a url'] }] }] }), [
    'lab.yaml: issuers[0].clients[0].redirect_uris[0]: expected a URL (http or https) without a #fragment, got the string "http://localhost/cb#top"',
    'lab.yaml: issuers[0].clients[0].redirect_uris[1]: expected a URL (http or https) without a #fragment, got the string "not a url"',
  ]);
  t.same(problems({ issuers: [{ name: 'a', clients: [{ ...webClient, grant_types: [] }] }] }), [
    'lab.yaml: issuers[0].clients[0].grant_types: expected a list of grant types of at least 1 item, got an empty list',
  ]);
});

t.test('unknown fields are refused, with the likely meant one', async (t) => {
  const [top] = problems({ isuers: [] });
  t.match(top, /^lab\.yaml: isuers: unknown field \(did you mean "issuers"\?\); expected one of host, port, data_dir, tls, request_log_size, token_table_size, replay_cache_size, issuers, /);
  t.same(problems({ issuers: [{ name: 'a', clients: [{ ...webClient, redirect_uri: ['http://localhost/cb'] }] }] }), [
    'lab.yaml: issuers[0].clients[0].redirect_uri: unknown field (did you mean "redirect_uris"?); expected one of client_id, client_secret, redirect_uris, grant_types, default_audience, post_logout_redirect_uris, token_endpoint_auth_method',
  ]);
  const [line] = problems({ issuers: [{ name: 'a', colour: 'blue' }] });
  t.match(line, /^lab\.yaml: issuers\[0\]\.colour: unknown field; expected one of name, /, 'no guess when nothing is close');
  t.same(parseLabConfig({ issuers: [{ name: 'a', users: [{ sub: 'u', colour: 'blue' }] }] }).issuers[0]!.users[0], { sub: 'u', colour: 'blue' }, 'a user\'s other keys are claims, not typos');
});

t.test('duplicates: issuer names, client ids, subs, resource indicators', async (t) => {
  t.same(
    problems({
      issuers: [
        {
          name: 'okta',
          clients: [webClient, { ...webClient }],
          users: [{ sub: 'alice' }, { sub: 'bob' }, { sub: 'alice' }],
          resources: [{ indicator: 'api://default' }, { indicator: 'api://default' }],
        },
        { name: 'okta' },
      ],
    }),
    [
      'lab.yaml: issuers[1].name: duplicate issuer name "okta": expected each issuer to have its own name (issuer URLs are made from names)',
      'lab.yaml: issuers[0].clients[1].client_id: duplicate client_id "web": expected each client of issuer "okta" to have its own id',
      'lab.yaml: issuers[0].users[2].sub: duplicate sub "alice": expected each user of issuer "okta" to have their own sub',
      'lab.yaml: issuers[0].resources[1].indicator: duplicate indicator "api://default": expected each resource of issuer "okta" to have its own indicator',
    ],
  );
  t.doesNotThrow(() => parseLabConfig({ issuers: [{ name: 'a', clients: [webClient] }, { name: 'b', clients: [webClient] }] }), 'the same client id in two issuers is fine');
});

t.test('clients: grants, secrets and authentication methods that cannot work together', async (t) => {
  t.same(problems({ issuers: [{ name: 'a', clients: [{ client_id: 'svc', grant_types: ['client_credentials'] }] }] }), [
    'lab.yaml: issuers[0].clients[0].client_secret: is required for the client_credentials grant: expected a client secret (a public client cannot authenticate)',
  ]);
  t.same(problems({ issuers: [{ name: 'a', clients: [{ client_id: 'spa' }] }] }), [
    'lab.yaml: issuers[0].clients[0].redirect_uris: expected a list of URLs: a client with the authorization_code grant (a default grant) needs at least one redirect URI; or set grant_types to leave authorization_code out',
  ]);
  t.same(problems({ issuers: [{ name: 'a', clients: [{ client_id: 'spa', redirect_uris: [], grant_types: ['authorization_code'] }] }] }), [
    'lab.yaml: issuers[0].clients[0].redirect_uris: expected a list of URLs: a client with the authorization_code grant needs at least one redirect URI; or set grant_types to leave authorization_code out',
  ]);
  t.same(problems({ issuers: [{ name: 'a', clients: [{ ...webClient, token_endpoint_auth_method: 'none' }] }] }), [
    'lab.yaml: issuers[0].clients[0].token_endpoint_auth_method: expected client_secret_basic or client_secret_post for a client with a client_secret; "none" is for public clients (remove the secret, or the method)',
  ]);
  t.same(
    problems({ issuers: [{ name: 'a', clients: [{ client_id: 'x', redirect_uris: ['http://localhost/cb'], token_endpoint_auth_method: 'client_secret_post' }] }] }),
    ['lab.yaml: issuers[0].clients[0].client_secret: is required with token_endpoint_auth_method client_secret_post: expected a client secret'],
  );
  t.doesNotThrow(
    () => parseLabConfig({ issuers: [{ name: 'a', clients: [{ client_id: 'svc', client_secret: 's', grant_types: ['client_credentials'] }] }] }),
    'a machine client needs no redirect URI',
  );
});

t.test('tls: both files, or self_signed', async (t) => {
  t.same(problems({ tls: { cert: 'cert.pem' } }), [
    'lab.yaml: tls.key: is required when tls.cert is set: expected a path to a PEM private key (or use self_signed: true)',
  ]);
  t.same(problems({ tls: { key: 'key.pem' } }), [
    'lab.yaml: tls.cert: is required when tls.key is set: expected a path to a PEM certificate (or use self_signed: true)',
  ]);
  t.same(problems({ tls: {} }), ['lab.yaml: tls: expected cert and key (PEM file paths), or self_signed: true']);
  t.same(problems({ tls: { self_signed: false } }), ['lab.yaml: tls: expected cert and key (PEM file paths), or self_signed: true']);
  t.same(problems({ tls: { self_signed: true, cert: 'cert.pem', key: 'key.pem' } }), ['lab.yaml: tls: expected either cert and key, or self_signed: true, not both']);
  t.doesNotThrow(() => parseLabConfig({ tls: { self_signed: true } }));
  t.doesNotThrow(() => parseLabConfig({ tls: { cert: 'cert.pem', key: 'key.pem' } }));
});

t.test('every problem of a file is reported in one pass', async (t) => {
  const lines = problems({
    port: -1,
    colour: 'blue',
    tls: { cert: 'cert.pem' },
    issuers: [
      { name: 'okta', algoritm: 'RS256', clients: [{ client_id: 'svc', grant_types: ['client_credentials'] }] },
      { name: 'okta', id_token_ttl: 0, users: [{ sub: 'u' }, { sub: 'u' }] },
    ],
  });
  const [colour] = lines.splice(lines.findIndex((l) => l.startsWith('lab.yaml: colour:')), 1);
  t.match(colour, /^lab\.yaml: colour: unknown field; expected one of host, port, /);
  t.same(lines.sort(), [
    'lab.yaml: issuers[0].algoritm: unknown field (did you mean "algorithm"?); expected one of name, algorithm, id_token_ttl, access_token_ttl, clients, resources, users, faults, description',
    'lab.yaml: issuers[0].clients[0].client_secret: is required for the client_credentials grant: expected a client secret (a public client cannot authenticate)',
    'lab.yaml: issuers[1].id_token_ttl: expected a whole number from 1 to 31536000, got number 0',
    'lab.yaml: issuers[1].name: duplicate issuer name "okta": expected each issuer to have its own name (issuer URLs are made from names)',
    'lab.yaml: issuers[1].users[1].sub: duplicate sub "u": expected each user of issuer "okta" to have their own sub',
    'lab.yaml: port: expected a port from 0 to 65535, got number -1',
    'lab.yaml: tls.key: is required when tls.cert is set: expected a path to a PEM private key (or use self_signed: true)',
  ]);
});

t.test('the error is typed: code and structured issues, not just a message', async (t) => {
  try {
    parseLabConfig({ port: 'x' }, 'lab.yaml');
    t.fail('expected a ConfigError');
  } catch (err) {
    t.ok(err instanceof ConfigError);
    const e = err as ConfigError;
    t.equal(e.code, 'ERR_CONFIG_INVALID');
    t.equal(e.source, 'lab.yaml');
    t.same(e.issues, [{ path: 'port', message: 'expected a port from 0 to 65535, got the string "x"' }]);
  }
});

t.test('YAML files: syntax errors, duplicate keys, a missing file', async (t) => {
  const dir = t.testdir();
  t.same(await fileProblems(dir, 'issuers: [\n'), [
    'lab.yaml: not valid YAML at line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ]);
  t.same(await fileProblems(dir, 'issuers:\n\t- name: a\n'), ['lab.yaml: not valid YAML at line 2, column 1: Tabs are not allowed as indentation']);
  t.same(
    await fileProblems(dir, 'port: 4750\nissuers:\n  - name: okta\n    clients:\n      - client_id: a\n        client_id: b\nport: 4751\n'),
    [
      'lab.yaml: issuers[0].clients[0].client_id: duplicate key (line 6, column 9): expected each key once in a mapping; remove or rename one of them',
      'lab.yaml: port: duplicate key (line 7, column 1): expected each key once in a mapping; remove or rename one of them',
    ],
    'a duplicate key is refused, not silently last-wins',
  );
  t.same(await fileProblems(dir, 'port: 1\n---\nport: 2\n'), [
    'lab.yaml: not valid YAML at line 2, column 1: Source contains multiple documents; please use YAML.parseAllDocuments()',
  ]);
  t.same(await fileProblems(dir, 'issuers:\n  - name: okta\n    clients:\n      - client_id: web\n        redirect_uris: http://localhost/cb\n', 'okta.yaml'), [
    'okta.yaml: issuers[0].clients[0].redirect_uris: expected a list of URLs, got the string "http://localhost/cb"',
  ]);

  const missing = join(dir, 'nope.yaml');
  await t.rejects(loadConfig(missing), { code: 'ERR_CONFIG_INVALID', message: `${missing}: cannot read the configuration: file not found` });
  await t.rejects(loadConfig(dir), { message: `${dir}: cannot read the configuration: it is a folder, expected a YAML file` });
});

t.test('an alias bomb is refused, not expanded', async (t) => {
  const dir = t.testdir();
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 8; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  t.same(await fileProblems(dir, `${levels.join('\n')}\n`), [
    'lab.yaml: not valid YAML: Excessive alias count indicates a resource exhaustion attack',
  ]);
});

t.test('a role\'s max_session_duration is IAM\'s MaxSessionDuration: 1 to 12 hours', async (t) => {
  const role = (max: number) => ({ aws: { roles: [{ arn: 'arn:aws:iam::000000000000:role/R', trust_policy: {}, max_session_duration: max }] } });
  t.same(problems(role(900)), ['lab.yaml: aws.roles[0].max_session_duration: expected seconds from 3600 to 43200 (IAM MaxSessionDuration: 1 to 12 hours)']);
  t.same(problems(role(43201)), ['lab.yaml: aws.roles[0].max_session_duration: expected seconds from 3600 to 43200 (IAM MaxSessionDuration: 1 to 12 hours)']);
  t.equal(parseLabConfig(role(3600)).aws.roles[0]!.max_session_duration, 3600);
});

t.test('a trust policy with a condition the lab cannot evaluate is refused at start, naming it', async (t) => {
  const trust = (condition: unknown) => ({ aws: { roles: [{ arn: 'arn:aws:iam::000000000000:role/R', trust_policy: { Statement: [{ Sid: 'Mfa', Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole', Condition: condition }] } }] } });
  t.same(problems(trust({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } })), [
    'lab.yaml: aws.roles[0].trust_policy: statement "Mfa": the lab does not evaluate the condition operator NumericLessThan; it evaluates StringEquals, StringEqualsIgnoreCase, StringLike, ArnEquals, ArnLike, Bool, StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike, ArnNotEquals, ArnNotLike, Null (with IfExists and ForAllValues:/ForAnyValue:, except Null); remove or rewrite that condition (docs/exchange.md, STS, lists what the lab evaluates)',
  ]);
  t.equal(parseLabConfig(trust({ 'ForAllValues:ArnEquals': { 'sts:RequestContextProviders': 'arn:aws:iam::aws:contextProvider/IdentityCenter' } })).aws.roles.length, 1, 'what it evaluates passes');
});
