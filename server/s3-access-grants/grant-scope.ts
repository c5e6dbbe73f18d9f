import type { AccessGrantRecord } from '../identity-center/state/model.js';

/**
 * What an S3 Access Grants scope covers. A grant's scope is its location's scope with the
 * sub-prefix appended (`s3://` + `bucket/*`, `s3://bucket` + `/team/*`); a trailing `*` covers every
 * key that starts with what precedes it (`s3://bucket/pre*` covers `s3://bucket/prefix/x`), a scope
 * without one (S3PrefixType Object) covers that object only. (S3 API Reference,
 * AccessGrantsLocationConfiguration.)
 */
export function grantScopeOf(locationScope: string, subPrefix: string | undefined): string {
  if (locationScope === 's3://') return `s3://${subPrefix ?? ''}`;
  const base = locationScope.replace(/\/+$/, '');
  if (subPrefix === undefined) return `${base}/*`;
  return `${base}/${subPrefix.replace(/^\/+/, '')}`;
}

/** A location scope the lab accepts: `s3://`, `s3://bucket` or `s3://bucket/prefix`. */
export function isLocationScope(scope: string): boolean {
  return scope === 's3://' || /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^*]*)?$/.test(scope);
}

/** `s3://bucket/...` with a bucket name. */
export function isS3Target(target: string): boolean {
  return /^s3:\/\/[^/*]+/.test(target);
}

/**
 * Whether a grant scope covers a requested target. A target that ends in `*` (as a grant scope does,
 * and as ListAccessGrants hands it out) asks for everything under what precedes it; with
 * `TargetType=Object` the target is one object key, taken literally.
 */
export function scopeCovers(scope: string, target: string, targetIsObject = false): boolean {
  const wanted = !targetIsObject && target.endsWith('*') ? target.slice(0, -1) : target;
  if (!scope.endsWith('*')) return !target.endsWith('*') || targetIsObject ? wanted === scope : false;
  const base = scope.slice(0, -1);
  if (wanted.startsWith(base)) return true;
  // s3://bucket/team/* also covers s3://bucket/team itself.
  return base.endsWith('/') && wanted === base.slice(0, -1);
}

/** How specific a scope is: the length of what it names, without the wildcard. */
export const scopeSpecificity = (scope: string): number => (scope.endsWith('*') ? scope.length - 1 : scope.length + 1);

/** READWRITE covers READ and WRITE; READ and WRITE cover themselves only. */
export function permissionCovers(granted: AccessGrantRecord['Permission'], requested: string): boolean {
  return granted === requested || granted === 'READWRITE';
}
