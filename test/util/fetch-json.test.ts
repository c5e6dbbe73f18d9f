import t from 'tap';
import { startLab } from '../../server/index.js';
import { fetchJson, FetchJsonError } from '../../server/util/fetch-json.js';

// fetchJson loads node:https on the first https URL (not when the lab starts): an https issuer's
// discovery is fetched with the CA it is given, and refused without it.
t.test('fetchJson over https: trusts the CA it is given, refuses a certificate it cannot verify', async (t) => {
  const lab = await startLab({ config: { tls: { self_signed: true }, issuers: [{ name: 'okta', algorithm: 'ES256' }] }, inMemory: true });
  t.teardown(() => lab.close());
  const okta = lab.issuer('okta');
  t.match(okta.discoveryUrl, /^https:\/\/127\.0\.0\.1:/);

  t.match(await fetchJson(okta.discoveryUrl, { timeoutMs: 10_000, ca: lab.tls!.cert }), { issuer: okta.url, jwks_uri: okta.jwksUrl });
  const refused = await fetchJson(okta.discoveryUrl, { timeoutMs: 10_000 }).catch((e: unknown) => e);
  t.type(refused, FetchJsonError);
  t.equal((refused as FetchJsonError).kind, 'network', 'a self-signed certificate without its CA is a network error');
});
