/**
 * The deepest nesting of arrays and objects the lab accepts in a JSON request body. JSON.parse
 * copes with any depth, but what is stored (state, ActorPolicy documents) is later serialised and
 * walked recursively, where a deep enough document overflows the stack. AWS's Java services refuse
 * such bodies at parse time (Jackson's StreamReadConstraints, default max nesting depth 1000);
 * the lab does the same. Provenance: assumed (the exact limit of each service is not published).
 */
export const MAX_JSON_DEPTH = 1000;

/** True when `value` nests arrays or objects more than `max` levels deep. Iterative: no recursion. */
export function exceedsJsonDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
