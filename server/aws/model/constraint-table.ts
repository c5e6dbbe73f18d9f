import { ModelPattern } from '../input-validator.js';

/**
 * What the AWS SDK's schemas leave out of a service's model: each shape's length, range and pattern
 * constraints, as the service's full model (botocore's `service-2.json`, Smithy's `@length`, `@range`,
 * `@pattern`) states them. One table per service, beside its model, with `source` naming the file
 * the values were read from. `ModelPattern` keeps the model's pattern text, so a
 * ValidationException quotes it as AWS does.
 *
 * A member finds its constraints by the botocore shape it targets. The SDK's schemas keep that
 * name only for shapes with traits or structure; for the rest, the member's own name is the
 * shape's name — true for nearly every member AWS models — and `members` names the exceptions:
 * `{ 'CreateTrustedTokenIssuerRequest.Name': 'TrustedTokenIssuerName' }`, or `'*.NextToken': 'Token'`
 * for a member name that means one shape wherever it appears. A list's entries are
 * `<ListShape>.member`, a map's `<MapShape>.key` / `.value`; for a list the SDK leaves unnamed
 * (`List<String>`), `<ListShape>` is the name its member resolved to
 * (`'UntagResourceRequest.TagKeys': 'TagKeyList'`, then `'TagKeyList.member': 'TagKey'`).
 */
export interface ShapeConstraint {
  /** Length (strings: code points; lists and maps: entries) or, for numbers, value bounds. */
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: ModelPattern;
  /**
   * Allowed values, when the shape is an enum the SDK's `enums.js` does not list under this name —
   * or lists in another order: the SDK sorts values by constant name, and Coral's message
   * (`Member must satisfy enum value set: [ENABLED, DISABLED]`) keeps the model's order.
   */
  readonly enum?: readonly string[];
  /** Leave the value out of validation messages (the model's `@sensitive`, when the SDK lost it). */
  readonly sensitive?: boolean;
}

export interface ConstraintTable {
  /** Where the values come from: `botocore/data/sso-admin/2020-07-20/service-2.json`. */
  readonly source: string;
  readonly shapes: Readonly<Record<string, ShapeConstraint>>;
  /** `Structure.Member` (or `List.member`) → the shape name it targets, where the member's name is not it. */
  readonly members?: Readonly<Record<string, string>>;
}

export const NO_CONSTRAINTS: ConstraintTable = { source: 'none', shapes: {} };
