import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { syncDir } from '../../shared/atomic-write.js';
import type { ChangeOp } from './change-tracker.js';
import { listDir } from '../util/list-dir.js';

/** One acknowledged change: its sequence number (1, 2, 3 … across journal files) and its writes. */
export interface JournalRecord {
  seq: number;
  ops: ChangeOp[];
}

/** A journal file: `<name>.<seq of its first record>.journal`, next to the snapshot `<name>.json`. */
export interface JournalFile {
  file: string;
  startSeq: number;
}

const checksum = (json: Buffer) => crc32(json).toString(16).padStart(8, '0');

/** A record as one line: `<crc32 of the JSON, 8 hex digits> <JSON>\n`. Throws what JSON.stringify throws. */
export function encodeRecord(record: JournalRecord): string {
  const json = JSON.stringify(record);
  return `${checksum(Buffer.from(json, 'utf8'))} ${json}\n`;
}

function decodeLine(line: Buffer): JournalRecord | null {
  if (line.length < 10 || line[8] !== 0x20) return null;
  const json = line.subarray(9);
  if (line.subarray(0, 8).toString('latin1') !== checksum(json)) return null;
  try {
    const record = JSON.parse(json.toString('utf8')) as JournalRecord;
    return Number.isSafeInteger(record?.seq) && Array.isArray(record.ops) ? record : null;
  } catch {
    return null;
  }
}

/**
 * The records of a journal file, and how many bytes of it are whole records. A crash in the middle
 * of an append leaves a torn last record (a line cut short, or one whose checksum fails): it was
 * never acknowledged, so it and anything after it is ignored — unless a valid record follows a
 * damaged one, which no crash makes: that is an error naming the file, the place and the fix.
 */
export async function readJournal(file: string): Promise<{ records: JournalRecord[]; validBytes: number; totalBytes: number }> {
  const data = await readFile(file);
  const records: JournalRecord[] = [];
  let validBytes = 0;
  let damaged: { line: number; offset: number } | null = null;
  let line = 0;
  for (let start = 0; start < data.length; line++) {
    const end = data.indexOf(0x0a, start);
    if (end < 0) break; // a last line without its newline: torn
    const record = decodeLine(data.subarray(start, end));
    if (record && damaged) {
      throw new Error(
        `${file}: record ${damaged.line + 1} (byte ${damaged.offset}) is damaged and valid records follow it, which no crash does; the file was changed by something else. ` +
          `Cut the file at byte ${damaged.offset} to keep the changes before it, or move it away to start from the last snapshot`,
      );
    }
    if (record) {
      records.push(record);
      validBytes = end + 1;
    } else {
      damaged ??= { line, offset: start };
    }
    start = end + 1;
  }
  return { records, validBytes, totalBytes: data.length };
}

/** The journal files of `<dir>/<name>.json`, oldest first. */
export async function listJournals(dir: string, name: string): Promise<JournalFile[]> {
  const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.journal$`);
  const names = await listDir(dir);
  return names
    .map((n) => ({ n, m: pattern.exec(n) }))
    .filter((x) => x.m)
    .map((x) => ({ file: join(dir, x.n), startSeq: Number(x.m![1]) }))
    .sort((a, b) => a.startSeq - b.startSeq);
}

/** Applies one write to the state, as it was made; a path that does not lead anywhere is an error naming `where`. */
export function applyOp(root: Record<string, unknown>, op: ChangeOp, where: string): void {
  const path = op[0];
  if (!Array.isArray(path) || path.length === 0 || !path.every((k) => typeof k === 'string')) throw new Error(`${where}: a write without a path`);
  let at: unknown = root;
  for (const key of path.slice(0, -1)) {
    at = typeof at === 'object' && at !== null && Object.hasOwn(at, key) ? (at as Record<string, unknown>)[key] : undefined;
    if (typeof at !== 'object' || at === null) throw new Error(`${where}: the write to ${path.join('.')} does not apply to the state before it`);
  }
  const key = path[path.length - 1]!;
  const target = at as Record<string, unknown>;
  if (op.length === 1) delete target[key];
  else if (key === '__proto__') Object.defineProperty(target, key, { value: op[1], writable: true, enumerable: true, configurable: true });
  else target[key] = op[1];
}

/**
 * The journal being appended to. Each append is written and fdatasynced before it resolves; a failed
 * append is cut off again, so the next one starts on a record boundary. The file is made (and its
 * folder synced, so it survives a crash) on the first append.
 */
export class JournalAppender {
  #handle: FileHandle | null = null;
  #bytes: number;
  #broken: Error | null = null;

  constructor(
    readonly file: string,
    bytes: number,
  ) {
    this.#bytes = bytes;
  }

  /** Bytes in the file. */
  get bytes(): number {
    return this.#bytes;
  }

  async append(text: string): Promise<void> {
    if (this.#broken) throw this.#broken;
    if (!this.#handle) {
      const handle = await open(this.file, 'a', 0o600);
      try {
        if ((await handle.stat()).size !== this.#bytes) await handle.truncate(this.#bytes);
        await syncDir(join(this.file, '..'));
      } catch (err) {
        await handle.close();
        throw err;
      }
      this.#handle = handle;
    }
    const data = Buffer.from(text, 'utf8');
    try {
      await this.#handle.write(data);
      await this.#handle.datasync();
    } catch (err) {
      // Cut the partial record off; if even that fails, no later record can be trusted to follow a whole one.
      await this.#handle.truncate(this.#bytes).catch((cut: Error) => {
        this.#broken = new Error(`${this.file}: an append failed (${(err as Error).message}) and cutting it off failed too (${cut.message}); no change can be saved until the lab is restarted`);
      });
      throw this.#broken ?? err;
    }
    this.#bytes += data.length;
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close();
  }
}
