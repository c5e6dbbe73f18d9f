const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A small, self-contained page: no scripts, no external assets. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.4rem}button{font:inherit;padding:.4rem .9rem;margin:.2rem 0;cursor:pointer;border:1px solid #1a4d8f;background:#1a4d8f;color:#fff;border-radius:4px}
button.secondary{background:#fff;color:#1a4d8f}button:focus{outline:3px solid #f2a900;outline-offset:2px}
ul{list-style:none;padding:0}li{margin:.5rem 0;padding:.5rem;border:1px solid #ccc;border-radius:4px}
code{background:#f3f3f3;padding:0 .2rem}.muted{color:#555}
</style></head><body>${body}</body></html>`;
}
