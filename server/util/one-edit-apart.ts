/** How two strings one edit apart differ, with the 0-based index in `from` where they do. */
export type OneEdit =
  | { kind: 'substitution'; index: number; from: string; to: string }
  | { kind: 'insertion'; index: number; to: string }
  | { kind: 'deletion'; index: number; from: string }
  | { kind: 'transposition'; index: number; from: string; to: string };

/**
 * Whether `to` is `from` with exactly one edit — one character substituted, inserted or deleted, or
 * two adjacent characters swapped (the optimal-string-alignment distance is 1) — and which edit.
 * Undefined when they are equal or further apart. Linear: no distance matrix is needed to find one edit.
 * Works on UTF-16 code units, which is what the JSON strings it compares are made of.
 */
export function oneEditApart(from: string, to: string): OneEdit | undefined {
  if (from === to || Math.abs(from.length - to.length) > 1) return undefined;
  let i = 0;
  while (i < from.length && i < to.length && from[i] === to[i]) i++;
  if (from.length === to.length) {
    if (from.slice(i + 1) === to.slice(i + 1)) return { kind: 'substitution', index: i, from: from[i]!, to: to[i]! };
    if (from[i] === to[i + 1] && from[i + 1] === to[i] && from.slice(i + 2) === to.slice(i + 2)) return { kind: 'transposition', index: i, from: from.slice(i, i + 2), to: to.slice(i, i + 2) };
    return undefined;
  }
  if (to.length > from.length) return from.slice(i) === to.slice(i + 1) ? { kind: 'insertion', index: i, to: to[i]! } : undefined;
  return from.slice(i + 1) === to.slice(i) ? { kind: 'deletion', index: i, from: from[i]! } : undefined;
}
