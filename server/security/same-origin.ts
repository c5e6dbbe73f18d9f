import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { LabError } from '../lab/lab-error.js';

/**
 * preHandler for the lab's own browser-facing POST routes (explain, the workbench's exchange): a
 * request a browser sends from another site carries an `Origin` that is not the lab's, and is
 * refused. Clients that send no `Origin` (the CLI, curl, tests) pass. With `localOnly`, this keeps
 * a web page the user happens to visit from driving the lab.
 */
export async function sameOrigin(req: FastifyRequest): Promise<void> {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host === undefined || host !== req.headers.host) {
    throw new LabError(403, 'cross_origin', `requests from ${origin} are refused: this route answers the lab's own pages and non-browser clients only`);
  }
}

const hostOfUrl = (value: string): string | undefined => {
  try {
    return new URL(value).host;
  } catch {
    return undefined;
  }
};

/**
 * Where a browser says a form post comes from, when that is another origin than the lab's (login
 * CSRF): `Sec-Fetch-Site` other than same-origin or none (typed by the user), else an `Origin` that is
 * opaque (`null`) or names another host, else a `Referer` on another host. Undefined for the lab's own
 * pages, and for clients that send none of these (curl, tests: not a browser on another site).
 */
export function crossSiteSource(headers: IncomingHttpHeaders): string | undefined {
  const host = headers.host;
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return `a page the browser calls ${site} (Sec-Fetch-Site)`;
  const origin = headers.origin;
  if (origin !== undefined) return hostOfUrl(origin) === host && origin !== 'null' ? undefined : `Origin ${JSON.stringify(origin.slice(0, 200))}`;
  const referer = headers.referer;
  if (typeof referer === 'string' && hostOfUrl(referer) !== host) return `Referer ${JSON.stringify(referer.slice(0, 200))}`;
  return undefined;
}

/** preHandler for the mock issuers' login forms: a post another site's page makes is refused (login CSRF). */
export async function sameOriginForm(req: FastifyRequest): Promise<void> {
  const source = crossSiteSource(req.headers);
  if (source !== undefined) throw new LabError(403, 'cross_origin', `this form was posted from ${source}: the sign-in forms answer the lab's own pages only; submit the form on the lab's page`);
}
