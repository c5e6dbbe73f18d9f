import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isMap, isNode, isScalar, isSeq, parseDocument, type Document, type YAMLError } from 'yaml';
import { ConfigError, joinPath, parseWith, type Issue } from './schema.js';
import { labConfigCheck, type LabConfig } from './lab-config.js';
import { exceedsJsonDepth } from '../security/json-depth.js';

/** Deepest nesting a configuration may have: real ones need a handful of levels (a policy document the most). */
export const MAX_CONFIG_DEPTH = 100;
const TOO_DEEP = `nests deeper than ${MAX_CONFIG_DEPTH} levels; a lab configuration needs a few: flatten it`;

/** Validates an in-memory configuration object (the programmatic API's path). */
export function parseLabConfig(value: unknown, source = 'config'): LabConfig {
  return parseWith(labConfigCheck, value ?? {}, source);
}

/** The field path of the mapping key that starts at `offset`, e.g. `issuers[0].clients[1].client_id`. */
function keyPathAt(node: unknown, offset: number, path: string): string | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      const at = joinPath(path, key);
      if (isNode(pair.key) && pair.key.range?.[0] === offset) return at;
      const inner = keyPathAt(pair.value, offset, at);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const inner = keyPathAt(item, offset, joinPath(path, i));
      if (inner) return inner;
    }
  }
  return undefined;
}

/** A YAML parse error as a config issue: where it is (field path when known, else line and column) and what is wrong. */
function yamlIssue(doc: Document, e: YAMLError): Issue {
  const where = e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : 'unknown position';
  // prettyErrors appends " at line L, column C:" and a code excerpt; keep the sentence only.
  const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  // The YAML reader recurses per level: a deep enough document overflows its stack.
  if (/call stack/i.test(what)) return { path: '', message: `the YAML ${TOO_DEEP} (${where})` };
  if (e.code === 'DUPLICATE_KEY') {
    const path = keyPathAt(doc.contents, e.pos[0], '');
    return { path: path ?? '', message: `duplicate key (${where}): expected each key once in a mapping; remove or rename one of them` };
  }
  return { path: '', message: `not valid YAML at ${where}: ${what}` };
}

/**
 * Reads and validates a YAML configuration file. Every error names the file (its base name, as startLab
 * names it in TLS and setup errors), the field and what was expected; every problem is reported at
 * once. A file that cannot be read is named by the path as given.
 */
export async function loadConfig(file: string): Promise<LabConfig> {
  const source = basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'it is a folder, expected a YAML file' : (err as Error).message;
    throw new ConfigError(file, [{ path: '', message: `cannot read the configuration: ${reason}` }]);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new ConfigError(source, doc.errors.map((e) => yamlIssue(doc, e)));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const message = (err as Error).message;
    throw new ConfigError(source, [{ path: '', message: /call stack/i.test(message) ? `the YAML ${TOO_DEEP}` : `not valid YAML: ${message}` }]);
  }
  if (exceedsJsonDepth(value, MAX_CONFIG_DEPTH)) throw new ConfigError(source, [{ path: '', message: `the YAML ${TOO_DEEP}` }]);
  return parseLabConfig(value, source);
}
