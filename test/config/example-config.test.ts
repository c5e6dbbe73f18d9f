import t from 'tap';
import { fileURLToPath } from 'node:url';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { loadConfig } from '../../server/config/load-config.js';
import { startLab } from '../../server/lab/start-lab.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/lab.yaml', import.meta.url));

const config = await loadConfig(EXAMPLE);
const lab = await startLab({ config: EXAMPLE, port: 0, inMemory: true });
t.teardown(() => lab.close());

t.test('examples/lab.yaml loads: four issuers shaped like common IdPs', async (t) => {
  t.same(config.issuers.map((i) => i.name), ['okta', 'entra', 'auth0', 'cognito']);
  t.equal(config.port, 4750);
  t.same(Object.keys(lab.issuers), ['okta', 'entra', 'auth0', 'cognito']);
});

for (const issuer of config.issuers) {
  t.test(`${issuer.name}: discovery, and a minted token for each user that verifies against the JWKS`, async (t) => {
    const li = lab.issuer(issuer.name);
    const discovery = (await (await fetch(li.discoveryUrl)).json()) as { issuer: string; jwks_uri: string };
    t.equal(discovery.issuer, li.url);
    t.equal(discovery.jwks_uri, li.jwksUrl);
    const jwks = createRemoteJWKSet(new URL(li.jwksUrl));
    const client = issuer.clients[0]!;
    for (const user of issuer.users) {
      const { token } = await lab.mint(issuer.name, { user: user.sub, claims: { aud: client.client_id } });
      const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: li.url, audience: client.client_id });
      t.equal(payload.sub, user.sub);
      t.equal(protectedHeader.alg, issuer.algorithm);
    }
  });
}

t.test('client_credentials: each confidential client gets an access token; its aud follows the issuer\'s convention', async (t) => {
  const expected: Record<string, string | undefined> = {
    okta: 'api://default',
    entra: 'api://11111111-2222-3333-4444-555555555555',
    auth0: 'https://api.example.com',
    cognito: undefined, // no default audience: an opaque token, as for userinfo
  };
  for (const issuer of config.issuers) {
    const client = issuer.clients[0]!;
    const res = await fetch(`${lab.issuer(issuer.name).url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret!)}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    t.equal(res.status, 200, issuer.name);
    const { access_token: token } = (await res.json()) as { access_token: string };
    const aud = expected[issuer.name];
    if (aud === undefined) {
      t.equal(token.split('.').length, 1, `${issuer.name}: opaque`);
    } else {
      t.equal(decodeJwt(token).aud, aud, `${issuer.name}: aud ${aud}`);
      await t.resolves(jwtVerify(token, createRemoteJWKSet(new URL(lab.issuer(issuer.name).jwksUrl)), { audience: aud }));
    }
  }
});
