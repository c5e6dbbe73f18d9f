import type { ParseArgsConfig } from 'node:util';

/** Where a command writes; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); serve waits on it. */
  stopSignal: Promise<string>;
}

/** Every CLI command is a module of this shape; main.ts registers them all in one list. */
export interface Command {
  name: string;
  summary: string;
  /** The full --help text. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals?: boolean;
  run(values: Record<string, string | boolean | string[] | boolean[] | undefined>, positionals: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {}
