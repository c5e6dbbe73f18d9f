import { PLAN_FILTERS, type PlanFilterName, type PlanRef, type PlanText } from '../../server/identity-center/setup/setup-plan.js';
import { UnresolvedReference } from '../../server/identity-center/setup/run-setup-plan.js';

/**
 * `${…}` expressions in scenario strings: what a target assigns (ARNs, ids, the issuer's URL) and
 * what earlier steps returned. The same scenario text therefore produces the same calls on every
 * target, apart from those values.
 *
 *   ${ns}                         this scenario's namespace in this run (unique names in a shared account)
 *   ${run}  ${account}            the run id; the caller's account id
 *   ${instance.arn|id|identity_store_id}
 *   ${issuer.<name>.url}          ${tti.<name>.arn}   ${app.<name>.arn}   ${role.<name>.arn|name}
 *   ${user.<name>.id|user_name|email}                 ${group.<name>.id}
 *   ${steps.<id>.<output>}        e.g. ${steps.exchange.refreshToken}
 *
 * Filters after a `|`: upper, lower, slash (append "/"), flip_scheme (http ↔ https).
 */

export const FILTERS = PLAN_FILTERS;
export type FilterName = PlanFilterName;

export interface Expression {
  /** The reference, e.g. `app.web.arn`. */
  path: string;
  filters: FilterName[];
  /** The whole `${…}` text. */
  raw: string;
}

const EXPR = /\$\{([^}]*)\}/g;
const PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_:-]+)*$/;

/** The expressions in a string, or an error message for the first malformed one. */
export function parseExpressions(text: string): Expression[] | string {
  const out: Expression[] = [];
  for (const m of text.matchAll(EXPR)) {
    const [path, ...filters] = m[1]!.split('|').map((p) => p.trim());
    if (!path || !PATH.test(path)) return `"${m[0]}" is not a reference such as \${app.web.arn}`;
    for (const f of filters) if (!(f in FILTERS)) return `"${m[0]}": unknown filter "${f}"; expected one of ${Object.keys(FILTERS).join(', ')}`;
    out.push({ path, filters: filters as FilterName[], raw: m[0] });
  }
  if (/\$\{(?![^}]*\})/.test(text)) return `an unclosed "\${" in ${JSON.stringify(text)}`;
  return out;
}

export { UnresolvedReference };

export type Values = ReadonlyMap<string, string>;

export function resolveString(text: string, values: Values): string {
  const parsed = parseExpressions(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  let out = text;
  for (const e of parsed) {
    const v = values.get(e.path);
    if (v === undefined) throw new UnresolvedReference(e.path);
    out = out.replace(e.raw, () => e.filters.reduce((acc, f) => FILTERS[f](acc), v));
  }
  return out;
}

/**
 * A template as a setup plan's text: resolved now when every value it names is known, else left for
 * the plan's executor to join once earlier steps have bound them.
 */
export function toPlanText(text: string, values: Values): PlanText {
  const parsed = parseExpressions(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  if (parsed.every((e) => values.has(e.path))) return resolveString(text, values);
  const ref = (e: Expression): PlanRef => ({ $ref: e.path, ...(e.filters.length ? { filters: e.filters } : {}) });
  if (parsed.length === 1 && parsed[0]!.raw === text) return ref(parsed[0]!);
  const parts: (string | PlanRef)[] = [];
  let rest = text;
  for (const e of parsed) {
    const i = rest.indexOf(e.raw);
    if (i > 0) parts.push(rest.slice(0, i));
    parts.push(values.has(e.path) ? resolveString(e.raw, values) : ref(e));
    rest = rest.slice(i + e.raw.length);
  }
  if (rest) parts.push(rest);
  return { $join: parts };
}

/** Resolves every string inside a JSON-like value. */
export function resolveDeep<T>(value: T, values: Values): T {
  if (typeof value === 'string') return resolveString(value, values) as T;
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, values)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, values)])) as T;
  return value;
}

/** Every string in a JSON-like value, with its path (for validation messages). */
export function* stringsIn(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* stringsIn(v, `${path}[${i}]`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* stringsIn(v, path ? `${path}.${k}` : k);
}
