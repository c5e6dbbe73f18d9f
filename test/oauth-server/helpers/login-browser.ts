import { runInNewContext } from 'node:vm';

/**
 * The user's side of the lab's Identity Center pages, over plain HTTP: open a page, read its forms,
 * post one like a user clicking its button, and follow redirects by hand (`redirect: 'manual'`)
 * until one leaves the lab. The pages keep no session, so no cookies are needed. A URL with a
 * fragment (the portal's `/start/#/device?user_code=…`) runs the page's own inline script, as a
 * browser would, with the fragment in `location.hash`, and follows its `location.replace`.
 */
import { formsOf, type PageForm } from '../../../server/util/html-forms.js';

export { formsOf, type PageForm };

export interface PageResponse {
  status: number;
  url: URL;
  headers: Headers;
  html: string;
  location?: URL;
}

async function read(res: Response, url: URL): Promise<PageResponse> {
  const location = res.headers.get('location');
  return { status: res.status, url, headers: res.headers, html: await res.text(), ...(location ? { location: new URL(location, url) } : {}) };
}

export async function open(url: string | URL): Promise<PageResponse> {
  const target = new URL(url);
  const res = await read(await fetch(target, { redirect: 'manual' }), target);
  const script = /<script>([\s\S]*?)<\/script>/.exec(res.html)?.[1];
  if (!target.hash || !script) return res;
  let next: string | undefined;
  runInNewContext(script, { location: { hash: target.hash, replace: (to: string) => (next = to) }, URLSearchParams, encodeURIComponent });
  return next === undefined ? res : open(new URL(next, target));
}

/** Posts a page's form (as the browser would, relative to the page's URL). */
export async function submit(pageUrl: URL, form: PageForm, extra: Record<string, string> = {}): Promise<PageResponse> {
  const target = new URL(form.action, pageUrl);
  return read(
    await fetch(target, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...form.fields, ...extra }).toString() }),
    target,
  );
}

/** The form that carries this user id (the "Sign in as …" / "Approve as …" button). */
export function formFor(html: string, userId: string): PageForm {
  const form = formsOf(html).find((f) => f.fields.user_id === userId);
  if (!form) throw new Error(`no form for user ${userId} in ${html}`);
  return form;
}

/** The cancel / deny form. */
export function denyFormOf(html: string): PageForm {
  const form = formsOf(html).find((f) => f.fields.decision === 'deny');
  if (!form) throw new Error(`no deny form in ${html}`);
  return form;
}

/**
 * Runs the user's side of an authorization request: open it, pick the user on the login page, and
 * return where the lab sends the browser (the client's redirect URI with `code`, or `error`).
 */
export async function signInAs(authorizeUrl: string | URL, userId: string): Promise<URL> {
  const login = await open(authorizeUrl);
  if (login.status !== 200) throw new Error(`expected the login page, got ${login.status} ${login.headers.get('x-tti-lab-reason')} ${login.html}`);
  const back = await submit(login.url, formFor(login.html, userId));
  if (back.status !== 302 || !back.location) throw new Error(`expected a redirect to the client, got ${back.status} ${back.headers.get('x-tti-lab-reason')}`);
  return back.location;
}

/** The user approves (or denies) a user code on the verification page. */
export async function decideDevice(verificationUriComplete: string, decision: { approveAs: string } | 'deny'): Promise<PageResponse> {
  const pageRes = await open(verificationUriComplete);
  if (pageRes.status !== 200) throw new Error(`expected the verification page, got ${pageRes.status} ${pageRes.headers.get('x-tti-lab-reason')}`);
  return submit(pageRes.url, decision === 'deny' ? denyFormOf(pageRes.html) : formFor(pageRes.html, decision.approveAs));
}
