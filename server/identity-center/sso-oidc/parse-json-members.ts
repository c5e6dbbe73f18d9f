/**
 * Reads a restJson1 body into the members an operation has: strings and lists of strings (the only
 * member types SSO OIDC's inputs use). Members the operation does not have are ignored, as
 * restJson services do. Returns the members, or what is wrong with the body.
 */
export function parseJsonMembers<T extends object>(body: Buffer, members: { strings: readonly (keyof T & string)[]; lists?: readonly (keyof T & string)[] }): T | string {
  let input: unknown;
  try {
    input = body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    return 'the body is not valid JSON';
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return 'the body must be a JSON object';
  const obj = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const m of members.strings) {
    const v = obj[m];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return `${m} must be a string`;
    out[m] = v;
  }
  for (const m of members.lists ?? []) {
    const v = obj[m];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) return `${m} must be a list of strings`;
    out[m] = v;
  }
  return out as T;
}
