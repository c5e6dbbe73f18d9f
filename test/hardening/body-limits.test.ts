import t from 'tap';
import { startTipLab } from '../exchange/helpers/tip-lab.js';

/**
 * Every route that takes a body has a size limit: each POST, PUT, PATCH or DELETE route the app
 * registers (read from its route table, so a new route is covered as soon as it exists) answers a
 * 2 MiB body with 413, and the lab keeps serving. Bodies fastify does not parse (oidc-provider's
 * routes under /issuers/<name>/…) are bounded by the Content-Length check in front of them (56 KiB,
 * what oidc-provider itself reads at most) and, for chunked bodies, by oidc-provider's own reader
 * (test/corpus/cases/socket.json: token-chunked-over-56k).
 */
const tip = await startTipLab();
t.teardown(() => tip.lab.close());
const { app } = tip.lab;

/** The route table as fastify prints it, turned back into (method, path) pairs. */
function routes(): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)(?:[├└]── )?(\S+) \(([^)]+)\)$/.exec(line.replace(/\s+$/, ''));
    if (!m) continue;
    const depth = [...m[1]!].length;
    while (stack.length && stack.at(-1)!.depth >= depth) stack.pop();
    const path = `${stack.at(-1)?.path ?? ''}${m[2]}`.replace(/^\/\//, '/');
    stack.push({ depth, path });
    for (const method of m[3]!.split(', ')) out.push({ method, path });
  }
  return out;
}

const instanceId = tip.instanceArn.split('/').pop()!;
// fastify prints S3 Control's /v20180820/* (every method) as a bare `*` under the root.
const concrete = (path: string) => path.replace(':name', 'okta').replace(':uid', 'x').replace(':id', instanceId).replace(':file', 'x').replace(/^\/issuers\*$/, '/issuers/okta/token').replace(/^\/\*$/, '/v20180820/accessgrantsinstance').replace(/\*$/, 'token');
const withBody = routes().filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));

t.ok(withBody.length >= 15, `the app has ${withBody.length} routes that take a body`);
t.ok(withBody.some((r) => concrete(r.path) === '/issuers/okta/token' && r.method === 'POST'), 'oidc-provider routes are among them');

const big = Buffer.alloc(2 * 1024 * 1024, 'a');
for (const r of withBody) {
  for (const type of ['application/json', 'application/x-www-form-urlencoded', 'application/octet-stream']) {
    t.test(`${r.method} ${r.path} (${type})`, async (t) => {
      const res = await app.inject({ method: r.method as 'POST', url: concrete(r.path), headers: { 'content-type': type }, payload: big });
      // 415: the route has no parser for this type, so the body is refused before it is read.
      t.ok(res.statusCode === 413 || res.statusCode === 415, `refused unread: ${res.statusCode}`);
      t.ok(res.rawPayload.length < 4096, 'a short answer');
    });
  }
}

t.test('afterwards the lab still serves', async (t) => {
  t.equal((await app.inject({ method: 'GET', url: '/_lab/health' })).statusCode, 200);
  t.ok((await tip.exchange({ assertion: await tip.mint() })).accessToken);
});
