import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, parseWith } from './schema.js';
import { labConfigCheck, type LabConfig } from './lab-config.js';

/** Validates an in-memory configuration object (the programmatic API's path). */
export function parseLabConfig(value: unknown, source = 'config'): LabConfig {
  return parseWith(labConfigCheck, value ?? {}, source);
}

/** Reads and validates a YAML configuration file; every error names the file and the field. */
export async function loadConfig(file: string): Promise<LabConfig> {
  const source = basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ConfigError(file, [{ path: '', message: `cannot read the configuration: ${reason}` }]);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => ({ path: '', message: `not valid YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  return parseLabConfig(doc.toJS(), source);
}
