/**
 * A small, strict reader of the XML request bodies restXml clients send: elements, attributes (read
 * and ignored but for their syntax), text, CDATA, the five predefined entities and character
 * references, an optional `<?xml …?>` declaration and comments. Anything else — a DOCTYPE, an
 * entity declaration or an unknown entity, a processing instruction — is refused, so no external
 * entity is ever resolved and no expansion can blow up. Nesting is bounded.
 */
export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  /** The element's own text (character data directly inside it), entities decoded. */
  text: string;
}

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
}

const MAX_DEPTH = 100;
const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new XmlSyntaxError(`an & that starts no entity reference: ${whole.slice(0, 20)}`);
    if (Object.hasOwn(ENTITIES, ref)) return ENTITIES[ref]!;
    const num = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ref);
    const code = num ? parseInt(num[1] ?? num[2]!, num[1] ? 16 : 10) : NaN;
    if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new XmlSyntaxError(`unknown entity &${ref.slice(0, 20)};`);
    return String.fromCodePoint(code);
  });
}

/** Parses a whole document into its root element, or throws XmlSyntaxError saying where and why. */
export function parseXmlElements(xml: string): XmlElement {
  let i = 0;
  const at = () => `at character ${i}`;
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (xml.startsWith('<!--', i)) {
        const end = xml.indexOf('-->', i + 4);
        if (end < 0) throw new XmlSyntaxError(`an unterminated comment ${at()}`);
        i = end + 3;
      } else return;
    }
  };
  if (xml.charCodeAt(0) === 0xfeff) i = 1;
  if (xml.startsWith('<?xml', i)) {
    const end = xml.indexOf('?>', i);
    if (end < 0) throw new XmlSyntaxError('an unterminated XML declaration');
    i = end + 2;
  }
  skipMisc();
  if (xml.startsWith('<!', i) || xml.startsWith('<?', i)) throw new XmlSyntaxError(`a DOCTYPE or processing instruction ${at()}, which the service does not accept`);
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const current = stack.at(-1);
    if (!current) {
      if (root) {
        skipMisc();
        if (i < xml.length) throw new XmlSyntaxError(`content after the root element ${at()}`);
        break;
      }
      if (xml[i] !== '<') throw new XmlSyntaxError(`text before the root element ${at()}`);
    }
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) throw new XmlSyntaxError(`an unterminated comment ${at()}`);
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      if (!current) throw new XmlSyntaxError(`CDATA outside the root element ${at()}`);
      const end = xml.indexOf(']]>', i + 9);
      if (end < 0) throw new XmlSyntaxError(`an unterminated CDATA section ${at()}`);
      current.text += xml.slice(i + 9, end);
      i = end + 3;
    } else if (xml.startsWith('<!', i) || xml.startsWith('<?', i)) {
      throw new XmlSyntaxError(`a declaration or processing instruction ${at()}, which the service does not accept`);
    } else if (xml.startsWith('</', i)) {
      const name = NAME.exec(xml.slice(i + 2))?.[0];
      if (!current || name !== current.name) throw new XmlSyntaxError(`a closing tag </${name ?? ''}> that does not match <${current?.name ?? ''}> ${at()}`);
      i += 2 + name.length;
      skipSpace();
      if (xml[i] !== '>') throw new XmlSyntaxError(`a malformed closing tag ${at()}`);
      i++;
      stack.pop();
    } else if (xml[i] === '<') {
      const name = NAME.exec(xml.slice(i + 1))?.[0];
      if (!name) throw new XmlSyntaxError(`a malformed tag ${at()}`);
      i += 1 + name.length;
      // Attributes: name="value" or name='value'.
      for (;;) {
        skipSpace();
        const attr = /^[A-Za-z_][\w.:-]*\s*=\s*("[^"<]*"|'[^'<]*')/.exec(xml.slice(i, i + 4096));
        if (!attr) break;
        decode(attr[1]!.slice(1, -1));
        i += attr[0].length;
      }
      const selfClosing = xml.startsWith('/>', i);
      if (!selfClosing && xml[i] !== '>') throw new XmlSyntaxError(`a malformed start tag <${name}> ${at()}`);
      i += selfClosing ? 2 : 1;
      const el: XmlElement = { name, children: [], text: '' };
      if (current) current.children.push(el);
      else root = el;
      if (!selfClosing) {
        if (stack.length >= MAX_DEPTH) throw new XmlSyntaxError(`elements nested deeper than ${MAX_DEPTH}`);
        stack.push(el);
      }
    } else {
      const end = xml.indexOf('<', i);
      const text = xml.slice(i, end < 0 ? xml.length : end);
      current!.text += decode(text);
      i += text.length;
    }
  }
  if (!root || stack.length > 0) throw new XmlSyntaxError(root ? `<${stack.at(-1)!.name}> is not closed` : 'no root element');
  return root;
}
