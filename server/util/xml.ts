const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML content and attribute values. */
export function escapeXml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}
