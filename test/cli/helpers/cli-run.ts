import { createServer, type AddressInfo } from 'node:net';
import { main } from '../../../server/cli/main.js';
import type { CliIo } from '../../../server/cli/command.js';

/** A CliIo that records what a command prints and lets the test send it a stop signal. */
export class FakeIo implements CliIo {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly stopSignal: Promise<string>;
  stop!: (signal: string) => void;
  #waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];

  constructor() {
    this.stopSignal = new Promise((resolve) => (this.stop = resolve));
  }

  out(text: string): void {
    this.stdout.push(text);
    this.#check();
  }

  err(text: string): void {
    this.stderr.push(text);
  }

  /** Resolves with the first match of `pattern` in what was printed to stdout, now or later. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve) => {
      this.#waiters.push({ pattern, resolve });
      this.#check();
    });
  }

  #check(): void {
    const text = this.stdout.join('\n');
    this.#waiters = this.#waiters.filter((w) => {
      const m = text.match(w.pattern);
      if (m) w.resolve(m);
      return !m;
    });
  }
}

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `tti-lab <argv>` in this process. */
export async function cli(...argv: string[]): Promise<CliResult> {
  const io = new FakeIo();
  const code = await main(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
