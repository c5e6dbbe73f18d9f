// Shared by the workbench pages: talking to the lab, building DOM safely (text, never HTML),
// and drawing a trace. No framework, no network beyond the lab itself.

/** Calls one of the lab's JSON routes; throws an Error carrying the lab's own message and code. */
export async function api(path, { method = 'GET', body } = {}) {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new Error(`${path} answered ${res.status} with something that is not JSON`);
  }
  if (!res.ok) {
    const err = new Error(json.message || `${path} answered ${res.status}`);
    err.code = json.error;
    err.status = res.status;
    err.body = json;
    throw err;
  }
  return json;
}

/** An element with attributes and children; strings become text nodes (never parsed as HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const code = (text) => el('code', {}, String(text));
/**
 * A URL as code that wraps only after a slash, never inside the host or the port
 * (`http://127.0.0.1:4750/issuers/okta`, not `…:47` / `50/…`).
 */
export function urlCode(url) {
  const parts = String(url).split(/(?<=\/)(?!\/)/);
  const node = el('code', { class: 'url' });
  parts.forEach((part, i) => node.append(...(i ? [document.createElement('wbr')] : []), part));
  return node;
}
export const json = (value) => JSON.stringify(value);

/** Replaces a container's children. */
export function show(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

/** The page's status line (role=status): loading, errors. */
export function setStatus(text, kind = 'muted') {
  const status = document.getElementById('status');
  if (!status) return;
  status.className = kind === 'error' ? 'banner fail' : 'muted';
  status.textContent = text;
  status.hidden = text === '';
}

export function verdictBadge(verdict) {
  const label = { pass: 'pass', fail: 'fail', skip: 'skip' }[verdict] ?? verdict;
  return el('span', { class: `verdict ${verdict}` }, label);
}

/** Decodes a compact JWT's header and payload for display (no verification), or null. */
export function decodeJwtParts(token) {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const dec = (p) => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(p.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(p.length / 4) * 4, '=')), (c) => c.charCodeAt(0))));
    return { header: dec(parts[0]), payload: dec(parts[1]) };
  } catch {
    return null;
  }
}

/** The audience step's facts, in words: the token's aud, what the grant authorizes, what matched. */
export function audFacts(facts) {
  const dl = el('dl', { class: 'aud-facts' });
  const row = (term, value) => dl.append(el('dt', {}, term), el('dd', {}, value));
  row('the token\'s aud', facts.tokenAud === undefined ? '(no aud claim)' : code(json(facts.tokenAud)));
  if (facts.trustedTokenIssuer) row('trusted token issuer', code(facts.trustedTokenIssuer));
  row('AuthorizedAudiences', code(json(facts.authorizedAudiences ?? [])));
  if (facts.matched) row('matched', code(json(facts.matched)));
  return dl;
}

/** A trace as an ordered list: each step with its verdict, reason, fix and the values it compared. */
export function renderTrace(trace, { label = 'Trace' } = {}) {
  const list = el('ol', { class: 'trace', 'aria-label': label });
  for (const t of trace) {
    const body = el('div', { class: 'step-body' },
      el('div', {}, el('span', { class: 'step-name' }, t.step), ' ', el('span', { class: 'step-title' }, `— ${t.title}`)),
      el('p', { class: 'reason' }, t.reason),
      t.fix ? el('p', { class: 'fix' }, t.fix) : null,
    );
    if (t.step === 'audience-authorized' && t.facts) body.append(audFacts(t.facts));
    else if (t.facts && Object.keys(t.facts).length) {
      body.append(el('details', { class: 'facts' }, el('summary', {}, 'values compared'), el('pre', {}, JSON.stringify(t.facts, null, 2))));
    }
    list.append(el('li', { class: `${t.verdict}${t.step === 'audience-authorized' ? ' highlight' : ''}`, 'data-step': t.step, 'data-verdict': t.verdict }, verdictBadge(t.verdict), body));
  }
  return list;
}

/** One line for a refusal: the step, the profile key and the wire answer a real call gets. */
export function failureLine(failure) {
  return [
    'Refused at ', code(failure.step), ' (', code(failure.key), ') — a real call gets ',
    code(failure.exception), ` (${failure.status} `, code(failure.error), ').',
  ];
}

/** Loads the overview (issuers, instances, applications …) once per page. */
let overview;
export function loadOverview() {
  overview ??= api('/_lab/workbench/overview');
  return overview;
}

/** Every application of every instance, with its instance. */
export function allApplications(ov) {
  return ov.instances.flatMap((i) => i.applications.map((a) => ({ ...a, instance: i })));
}

export function option(value, text, selected = false) {
  return el('option', { value, selected }, text);
}
