import { UsageError } from './command.js';

/** `name=value`; the value is read as JSON when it parses (numbers, true, arrays, objects), else as a string. */
export function parseAssignment(text: string, option: string): [string, unknown] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`${option}: expected NAME=VALUE, got "${text}"`);
  const name = text.slice(0, at);
  const raw = text.slice(at + 1);
  try {
    return [name, JSON.parse(raw)];
  } catch {
    return [name, raw];
  }
}
