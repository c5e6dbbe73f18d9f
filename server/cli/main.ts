import { parseArgs } from 'node:util';
import { KeyStoreError } from '../../keys/key-store.js';
import { MintError } from '../issuer/mint/mint-token.js';
import { ConfigError } from '../config/schema.js';
import { UsageError, type CliIo, type Command } from './command.js';
import { serveCommand } from './serve-command.js';
import { mintCommand } from './mint-command.js';
import { keysCommand } from './keys-command.js';

/** Every command, in the order `--help` lists them. Later features add theirs here. */
export const COMMANDS: Command[] = [serveCommand, mintCommand, keysCommand];

const overview = () =>
  `Usage: tti-lab <command> [options]

A lab for AWS IAM Identity Center trusted identity propagation: mock OIDC issuers and an
Identity Center emulator, offline.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run \`tti-lab <command> --help\` for a command's options.`;

function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    stopSignal: new Promise((resolve) => {
      const stop = (sig: string) => resolve(sig);
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    }),
  };
}

/** Runs the CLI; returns the exit code (the caller sets process.exitCode, never calls exit()). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    io.out(overview());
    return name ? 0 : 2;
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
      args: rest,
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
    if (err instanceof MintError || err instanceof KeyStoreError) {
      io.err(`tti-lab ${name}: ${e.message}`);
      return 1;
    }
    io.err(`tti-lab ${name}: unexpected error: ${e.stack ?? e.message}`);
    return 1;
  }
}
