import type { InputCheck } from '../../aws/model/read-input.js';
import { IDENTITY_STORE_CONSTRAINTS } from './identity-store-constraints.js';

/** One entry of UpdateUser's or UpdateGroup's `Operations`, as the model reads it. */
export interface AttributeOperation {
  AttributePath?: string;
  /** A Document: any JSON; after `attributeOperationsCheck`, the value read against the attribute's shape. */
  AttributeValue?: unknown;
}

const ATTRIBUTE_PATH = IDENTITY_STORE_CONSTRAINTS.shapes.AttributePath.pattern;

/**
 * UpdateUser's and UpdateGroup's Operations, checked beyond the model: each path must name an
 * attribute the operation supports (matched ignoring case; assumed), the attribute `required` names
 * cannot be removed (a null AttributeValue removes an attribute), and each AttributeValue (a
 * Document) is read against its attribute's shape — a value of the wrong type is a
 * ValidationException (`Member must be a string`; wording assumed). The values are left read in
 * the input, with the model's member names, for the handler.
 */
export function attributeOperationsCheck<A extends { shape: string }>(opts: {
  attributeFor(path: string): A | undefined;
  /** `Member must be …` for a path the operation does not support. */
  unsupported: string;
  /** The attribute that cannot be removed (UserName, DisplayName), as `attributeFor` names it. */
  required: (attribute: A) => boolean;
}): InputCheck {
  return (input, check) => {
    (input.Operations as AttributeOperation[] | undefined)?.forEach((op, i) => {
      const at = `Operations.${i + 1}.member`;
      const path = op.AttributePath;
      if (path === undefined || !ATTRIBUTE_PATH.test(path)) return; // the model's constraint said so
      const attribute = opts.attributeFor(path);
      if (!attribute) return check.fail(`${at}.AttributePath`, path, opts.unsupported);
      if (op.AttributeValue === undefined) {
        if (opts.required(attribute)) check.fail(`${at}.AttributeValue`, null, 'Member must not be null');
        return;
      }
      op.AttributeValue = check.document(`${at}.AttributeValue`, attribute.shape, op.AttributeValue);
    });
  };
}
