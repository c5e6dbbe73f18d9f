import t from 'tap';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inject } from 'light-my-request';
import { startLab } from '../../server/lab/start-lab.js';
import { SIGNING_ALGORITHMS } from '../../shared/signing-algorithm.js';
import { issuerConfig } from './helpers/lab-config.js';

// oidc-provider warns (in-memory adapter) and notices (default policies, default pages) on the console.
t.capture(console, 'warn');
t.capture(console, 'info');

// The lab answers discovery itself (server/issuer/discovery/issuer-discovery.ts) so that neither the
// first answer after a start nor an exchange's key fetch waits for oidc-provider; the document must
// stay the one the issuer's provider serves, byte for byte.
const lab = await startLab({
  config: {
    issuers: [
      ...SIGNING_ALGORITHMS.map((alg) => issuerConfig(`okta-${alg.toLowerCase()}`, alg)),
      // No clients, no users: the defaults.
      { name: 'bare' },
      // A custom claim named like one oidc-provider adds itself, and a user with no custom claims.
      { name: 'odd', users: [{ sub: 'u1', sid: 'custom', team: 'a' }, { sub: 'u2' }] },
    ],
  },
  inMemory: true,
});
t.teardown(() => lab.close());

for (const rt of lab.services.issuers.values()) {
  t.test(`issuer ${rt.name}: the lab's discovery document is the provider's`, async (t) => {
    const path = `/issuers/${rt.name}/.well-known/openid-configuration`;
    const { handler } = await rt.provider();
    for (const origin of [undefined, 'https://app.example']) {
      const headers: Record<string, string> = { host: new URL(lab.url).host, ...(origin ? { origin } : {}) };
      const ours = await fetch(`${lab.url}${path}`, { headers: origin ? { origin } : {} });
      // As the lab forwards a request to the provider (issuer-routes.ts): the prefix stripped, the full path kept as originalUrl.
      const forward = (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
        req.originalUrl = path;
        req.url = '/.well-known/openid-configuration';
        handler(req, res);
      };
      const theirs = await inject(forward, { method: 'GET', url: path, headers });
      t.equal(ours.status, 200);
      t.equal(theirs.statusCode, 200);
      t.equal(await ours.text(), theirs.payload, 'same bytes (same keys, same order)');
      for (const h of ['content-type', 'vary', 'access-control-allow-origin']) {
        t.equal(ours.headers.get(h), theirs.headers[h], `same ${h}${origin ? ' with an Origin' : ''}`);
      }
    }
  });
}

t.test('discovery and JWKS answer without building the provider', async (t) => {
  const rt = lab.services.issuers.get('bare')!;
  const provider = rt.provider;
  rt.provider = () => Promise.reject(new Error('discovery must not need the provider'));
  t.teardown(() => {
    rt.provider = provider;
  });
  const discovery = await fetch(lab.issuer('bare').discoveryUrl);
  t.equal(discovery.status, 200);
  const doc = (await discovery.json()) as { issuer: string; jwks_uri: string };
  t.equal(doc.issuer, lab.issuer('bare').url);
  const jwks = await fetch(doc.jwks_uri);
  t.equal(jwks.status, 200);
  t.equal(((await jwks.json()) as { keys: unknown[] }).keys.length, 1);
});

t.test('a fault on discovery still applies', async (t) => {
  const issuer = lab.issuer('bare');
  issuer.setFaults({ discovery: { kind: 'status', status: 503 } });
  t.teardown(() => issuer.resetFaults());
  t.equal((await fetch(issuer.discoveryUrl)).status, 503);
});
