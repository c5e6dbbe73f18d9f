import t from 'tap';
import { COMMANDS } from '../../server/cli/main.js';
import { cli } from './helpers/cli-run.js';

t.test('the overview lists every command', async (t) => {
  for (const argv of [['--help'], ['-h'], ['help']]) {
    const { code, out, err } = await cli(...argv);
    t.equal(code, 0, argv.join(' '));
    t.equal(err, '');
    t.match(out, /^Usage: tti-lab <command> \[options\]/);
    for (const c of COMMANDS) t.match(out, new RegExp(`^  ${c.name} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  }
});

t.test('no command: the overview on stderr, exit 2', async (t) => {
  const { code, out, err } = await cli();
  t.equal(code, 2);
  t.equal(out, '');
  t.match(err, /^Usage: tti-lab <command>/);
});

t.test('--help works for every command', async (t) => {
  t.ok(COMMANDS.length >= 3);
  for (const c of COMMANDS) {
    for (const argv of [[c.name, '--help'], [c.name, '-h'], ['help', c.name]]) {
      const { code, out, err } = await cli(...argv);
      t.equal(code, 0, argv.join(' '));
      t.equal(out, c.usage);
      t.equal(err, '');
    }
    t.match(c.usage, new RegExp(`^Usage: tti-lab ${c.name}`), `${c.name}: usage starts with its synopsis`);
    t.match(c.usage, /-h, --help/, `${c.name}: usage lists --help`);
    for (const option of Object.keys(c.options)) t.match(c.usage, `--${option}`, `${c.name}: usage documents --${option}`);
  }
});

t.test('--help wins over a missing required option', async (t) => {
  const { code, out } = await cli('mint', '--help');
  t.equal(code, 0);
  t.match(out, /^Usage: tti-lab mint/);
});

t.test('an unknown command: exit 2 and a message', async (t) => {
  const { code, out, err } = await cli('mnt', '--issuer', 'okta');
  t.equal(code, 2);
  t.equal(out, '');
  t.match(err, /^tti-lab: unknown command "mnt"\n\nUsage: tti-lab <command>/);
  const help = await cli('help', 'nope');
  t.equal(help.code, 2);
  t.match(help.err, /^tti-lab help: unknown command "nope"/);
});

t.test('an unknown option: exit 2 and a message naming it', async (t) => {
  const { code, out, err } = await cli('mint', '--issuer', 'okta', '--audience', 'x');
  t.equal(code, 2);
  t.equal(out, '');
  t.match(err, /^tti-lab mint: Unknown option '--audience'/);
  t.match(err, /Run `tti-lab mint --help` for usage\.$/);
  for (const c of COMMANDS) {
    const r = await cli(c.name, '--no-such-option');
    t.equal(r.code, 2, `${c.name} refuses an unknown option`);
    t.match(r.err, `tti-lab ${c.name}: Unknown option '--no-such-option'`);
  }
});

t.test('usage errors: exit 2, say what is wrong', async (t) => {
  const cases: [string[], string][] = [
    [['mint'], 'tti-lab mint: --issuer NAME is required'],
    [['mint', '--issuer', 'okta', '--variant', 'broken'], 'tti-lab mint: --variant: expected one of valid, alg_none, unknown_key, tampered, hs256_public_key'],
    [['mint', '--issuer', 'okta', '--claim', 'novalue'], 'tti-lab mint: --claim: expected NAME=VALUE, got "novalue"'],
    [['mint', '--issuer', 'okta', '--aud-array'], 'tti-lab mint: --aud-array makes the --aud values an array; give at least one --aud'],
    [['mint', '--issuer', 'okta', '--offline'], 'tti-lab mint: --offline needs --config FILE (the lab configuration that declares the issuer)'],
    [['mint', '--issuer', 'okta', 'extra'], "tti-lab mint: Unexpected argument 'extra'"],
    [['mint', '--issuer'], "tti-lab mint: Option '--issuer <value>' argument missing"],
    [['keys'], 'tti-lab keys: expected an action: list, rotate or retire'],
    [['keys', 'list'], 'tti-lab keys: --issuer NAME is required'],
    [['keys', 'retire', '--issuer', 'okta'], 'tti-lab keys: retire needs the KID to retire (see `tti-lab keys list`)'],
    [['serve', '--port', 'http'], 'tti-lab serve: --port: expected a port from 0 to 65535, got "http"'],
    [['serve', '--port', ''], 'tti-lab serve: --port: expected a port from 0 to 65535, got ""'],
    [['serve', '--port', '65536'], 'tti-lab serve: --port: expected a port from 0 to 65535, got "65536"'],
    [['mint', '--issuer', 'okta', '--endpoint', 'not a url'], 'tti-lab mint: --endpoint: expected a URL such as http://127.0.0.1:4750, got "not a url"'],
  ];
  for (const [argv, message] of cases) {
    const { code, err } = await cli(...argv);
    t.equal(code, 2, argv.join(' '));
    t.match(err, message);
  }
});

t.test('--version', async (t) => {
  const { code, out } = await cli('--version');
  t.equal(code, 0);
  t.match(out, /^tti-lab \d+\.\d+\.\d+$/);
});
