import type { InputCheck } from '../../aws/model/read-input.js';

/**
 * GetUserId's and GetGroupId's AlternateIdentifier beyond the model: a UniqueAttribute's path must be
 * one of the resource's unique attributes (model documentation: userName and emails.value for a
 * user, displayName for a group; matched ignoring case, assumed), and its value (a Document) a
 * string (wording assumed).
 */
export function alternateIdentifierCheck(resource: 'user' | 'group', paths: readonly string[]): InputCheck {
  return (input, check) => {
    const unique = (input.AlternateIdentifier as { UniqueAttribute?: { AttributePath?: string; AttributeValue?: unknown } } | undefined)?.UniqueAttribute;
    if (!unique) return;
    const at = 'AlternateIdentifier.UniqueAttribute';
    if (unique.AttributeValue !== undefined && typeof unique.AttributeValue !== 'string') check.fail(`${at}.AttributeValue`, unique.AttributeValue, 'Member must be a string', true);
    if (unique.AttributePath !== undefined && !paths.some((p) => p.toLowerCase() === unique.AttributePath!.toLowerCase())) {
      check.fail(`${at}.AttributePath`, unique.AttributePath, `Member must be one of the unique attributes of a ${resource}: [${paths.join(', ')}]`);
    }
  };
}
