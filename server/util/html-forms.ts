/** A form of one of the lab's own pages, as a user's browser would post it. */
export interface PageForm {
  action: string;
  method: string;
  /** The hidden fields, decoded. */
  fields: Record<string, string>;
  /** Its button's text. */
  button: string;
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Every form of a page the lab renders (`escapeHtml`, one button per form), with its hidden fields
 * and its button's text: how the tests and `tti-lab standalone` click through the login page
 * without a browser. Reads only the lab's own markup, not HTML in general.
 */
export function formsOf(html: string): PageForm[] {
  return [...html.matchAll(/<form method="(\w+)" action="([^"]*)">([\s\S]*?)<\/form>/g)].map(([, method, action, inner]) => ({
    method: method!,
    action: decode(action!),
    fields: Object.fromEntries([...inner!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(([, k, v]) => [decode(k!), decode(v!)])),
    button: decode(/<button[^>]*>([^<]*)<\/button>/.exec(inner!)?.[1] ?? ''),
  }));
}
