import { parseArgs } from 'node:util';
import { KeyRingError, KeyStoreError } from '../../keys/key-store.js';
import { MintError } from '../issuer/mint/mint-token.js';
import { ConfigError } from '../config/schema.js';
import { UsageError, type CliIo, type Command } from './command.js';
import { LabRequestError } from './lab-client.js';
import { serveCommand } from './serve-command.js';
import { mintCommand } from './mint-command.js';
import { keysCommand } from './keys-command.js';
import { explainCommand } from './explain-command.js';
import { harnessCommand } from './harness-command.js';
import { publishIssuerCommand } from './publish-issuer-command.js';
import { standaloneCommand } from './standalone-command.js';

/** Every command, in the order `--help` lists them. Later features add theirs here. */
export const COMMANDS: Command[] = [serveCommand, mintCommand, keysCommand, explainCommand, standaloneCommand, harnessCommand, publishIssuerCommand];

const overview = () =>
  `Usage: tti-lab <command> [options]

A lab for AWS IAM Identity Center trusted identity propagation: mock OIDC issuers and an
Identity Center emulator, offline.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run \`tti-lab <command> --help\` for a command's options.`;

function processIo(): CliIo {
  let stop: Promise<string> | undefined;
  return {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    // Installed only when a command waits for it (serve): a handler replaces Node's default, so a
    // mint or keys command with one installed could no longer be interrupted with Ctrl-C.
    get stopSignal() {
      stop ??= new Promise((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      return stop;
    },
  };
}

/**
 * `--exp -5m` as `--exp=-5m`: node's parseArgs takes a value that starts with a dash for an option,
 * and refuses it, but negative numbers and relative times in the past are values here.
 */
function attachDashedValues(args: string[], options: Command['options']): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const option = arg.startsWith('--') && !arg.includes('=') ? options[arg.slice(2)] : undefined;
    if (option?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Runs the CLI; returns the exit code (the caller sets process.exitCode, never calls exit()). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    io.err(overview());
    return 2;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    if (name === 'help' && rest[0] && !topic) {
      io.err(`tti-lab help: unknown command "${rest[0]}"\n\n${overview()}`);
      return 2;
    }
    io.out(topic ? topic.usage : overview());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out('tti-lab 0.1.0');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`tti-lab: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: attachDashedValues(rest, command.options),
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    if (values.help) {
      io.out(command.usage);
      return 0;
    }
    return await command.run(values as never, positionals, io);
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`tti-lab ${name}: ${e.message}\nRun \`tti-lab ${name} --help\` for usage.`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.err(`tti-lab ${name}: the configuration is invalid.\n${e.message}`);
      return 2;
    }
    if (err instanceof MintError || err instanceof KeyStoreError || err instanceof KeyRingError || err instanceof LabRequestError) {
      io.err(`tti-lab ${name}: ${e.message}`);
      return 1;
    }
    io.err(`tti-lab ${name}: unexpected error: ${e.stack ?? e.message}`);
    return 1;
  }
}
