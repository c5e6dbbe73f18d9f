const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The string with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed, which the
 * project's ES2023 lib does not declare). A JSON body can carry a lone surrogate (`"\ud800"`), and
 * encodeURIComponent throws on one: text that ends up in a header goes through this first.
 */
export const wellFormed = (s: string): string => s.replace(LONE_SURROGATE, '\ufffd');
