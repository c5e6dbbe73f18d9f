/**
 * A "browser" for the authorization code flow: plain fetch, redirects followed by hand, cookies kept
 * per path as a browser would, and the login form posted like a user clicking "Sign in as …".
 */
export class Browser {
  /** name → { value, path } */
  readonly #cookies = new Map<string, { value: string; path: string }>();
  readonly #fetch: typeof fetch;

  constructor(fetchImpl: typeof fetch = fetch) {
    this.#fetch = fetchImpl;
  }

  cookieNames(): string[] {
    return [...this.#cookies.keys()];
  }

  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = [...this.#cookies.entries()]
      .filter(([, c]) => target.pathname === c.path || target.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    if (cookie) headers.set('cookie', cookie);
    const res = await this.#fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) this.#store(line);
    return res;
  }

  #store(line: string): void {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    let path = '/';
    let expired = false;
    for (const a of attrs) {
      const [k, v = ''] = a.split('=');
      if (k!.toLowerCase() === 'path') path = v;
      if (k!.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) expired = true;
      if (k!.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
    }
    if (expired || value === '') this.#cookies.delete(name);
    else this.#cookies.set(name, { value, path });
  }

  /**
   * Follows redirects from `url` until one leaves the lab (the client's redirect_uri) or a page
   * answers. Returns the last response and the URL it came from.
   */
  async follow(url: string | URL, stopAt: (u: URL) => boolean, init: RequestInit = {}): Promise<{ res: Response; url: URL }> {
    let current = new URL(url);
    let res = await this.request(current, init);
    for (let hops = 0; hops < 20; hops++) {
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      await res.arrayBuffer();
      current = new URL(location, current);
      if (stopAt(current)) return { res, url: current };
      res = await this.request(current);
    }
    throw new Error(`too many redirects, last at ${current.href}`);
  }

  /**
   * Runs the user's side of an authorization request: open it, land on the login page, pick `sub`,
   * and follow the redirects back to the client. Returns the callback URL (with `code` or `error`).
   */
  async signIn(authorizationUrl: URL, sub: string, redirectUri: string): Promise<URL> {
    const atCallback = (u: URL) => u.href.startsWith(redirectUri);
    const login = await this.follow(authorizationUrl, atCallback);
    if (atCallback(login.url)) return login.url; // an existing session: no login page
    if (login.res.status !== 200) throw new Error(`expected the login page, got ${login.res.status} ${await login.res.text()}`);
    const html = await login.res.text();
    const action = /action="([^"]+\/login)"/.exec(html)?.[1];
    if (!action) throw new Error(`no login form in ${html}`);
    const back = await this.follow(new URL(action.replace(/&amp;/g, '&'), login.url), atCallback, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ sub }).toString(),
    });
    if (!atCallback(back.url)) throw new Error(`sign-in did not come back to ${redirectUri}: ${back.res.status} ${await back.res.text()}`);
    return back.url;
  }
}
