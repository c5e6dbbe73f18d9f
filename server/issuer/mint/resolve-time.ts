/**
 * A time claim as a user writes it: absolute epoch seconds (1767225600), an ISO-8601 date
 * ("2026-01-01", UTC, or "2026-01-01T00:00:00Z" with a zone), or relative to now ("+1h", "-5m",
 * "+30s", "+2d", "0").
 * Returns epoch seconds, or throws a TypeError saying what was expected.
 */
export function resolveTime(value: unknown, nowSeconds: number, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value);
  if (typeof value === 'string') {
    const rel = /^([+-])?(\d+)(s|m|h|d)?$/.exec(value.trim());
    if (rel && (rel[1] || value.trim() === '0')) {
      const n = Number(rel[2]) * ({ s: 1, m: 60, h: 3600, d: 86400 } as const)[(rel[3] ?? 's') as 's' | 'm' | 'h' | 'd'];
      return rel[1] === '-' ? nowSeconds - n : nowSeconds + n;
    }
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
      // A date-time without an offset is local time to Date.parse: a token would change with the TZ.
      if (/T\d/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) {
        throw new TypeError(`${field}: ${JSON.stringify(value)} has no time zone; end it with Z (UTC) or an offset such as +02:00`);
      }
      const ms = Date.parse(value);
      if (Number.isFinite(ms)) return Math.floor(ms / 1000);
    }
  }
  throw new TypeError(
    `${field}: expected epoch seconds, an ISO-8601 date, or a relative time such as "+1h", "-5m", "+30s", got ${JSON.stringify(value)}`,
  );
}
