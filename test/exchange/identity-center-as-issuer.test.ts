import t from 'tap';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { decodeJwt } from 'jose';
import { CreateTrustedTokenIssuerCommand, PutApplicationGrantCommand } from '@aws-sdk/client-sso-admin';
import { fixedClock } from '../../server/index.js';
import { fetchJson, FetchJsonError } from '../../server/util/fetch-json.js';
import { awsDomainOf } from '../../server/util/aws-domain.js';
import { CLIENT_ID, JWT_BEARER, labReason, startTipLab } from './helpers/tip-lab.js';

/**
 * Issue #14 item 1: registering Identity Center itself as a trusted token issuer and exchanging its
 * idToken is refused at issuer-trusted (issuer.identity_center), with no request leaving the lab;
 * and fetchJson refuses any URL of an AWS domain before a DNS lookup or a connection.
 */

// A spy on every outbound connection attempt: http(s).request and DNS lookups of non-loopback names.
const require = createRequire(import.meta.url);
const outbound: string[] = [];
const loopback = (host: string) => host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
const hostOf = (arg: unknown) => (arg instanceof URL ? arg.hostname : typeof arg === 'string' ? new URL(arg).hostname : String((arg as { hostname?: string; host?: string })?.hostname ?? (arg as { host?: string })?.host ?? ''));
for (const name of ['node:http', 'node:https']) {
  const mod = require(name) as { request: (...a: unknown[]) => unknown; get: (...a: unknown[]) => unknown };
  const original = mod.request;
  mod.request = (...a: unknown[]) => {
    const host = hostOf(a[0]);
    if (!loopback(host)) outbound.push(`${name} ${host}`);
    return original(...a);
  };
  t.teardown(() => {
    mod.request = original;
    syncBuiltinESMExports();
  });
}
const dns = require('node:dns') as { lookup: (...a: unknown[]) => unknown };
const originalLookup = dns.lookup;
dns.lookup = (...a: unknown[]) => {
  if (!loopback(String(a[0]))) outbound.push(`dns ${String(a[0])}`);
  return originalLookup(...a);
};
syncBuiltinESMExports();
t.teardown(() => {
  dns.lookup = originalLookup;
  syncBuiltinESMExports();
});

const clock = fixedClock(Date.parse('2026-06-01T12:00:00Z'));
const tip = await startTipLab({ clock });
t.teardown(() => tip.lab.close());

t.test('Identity Center registered as its own trusted token issuer: refused at issuer-trusted, nothing fetched', async (t) => {
  const { idToken } = await tip.exchange({ assertion: await tip.mint() });
  const claims = decodeJwt(idToken!);
  t.match(claims.iss, /^https:\/\/identitycenter\.amazonaws\.com\/ssoins-/);
  // CreateTrustedTokenIssuer does not check the URL (reference §2): the registration succeeds.
  const { TrustedTokenIssuerArn: selfArn } = await tip.ssoAdmin.send(
    new CreateTrustedTokenIssuerCommand({
      InstanceArn: tip.instanceArn,
      Name: 'identity-center-itself',
      TrustedTokenIssuerType: 'OIDC_JWT',
      TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: claims.iss!, ClaimAttributePath: 'sub', IdentityStoreAttributePath: 'id', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
    }),
  );
  t.ok(selfArn, 'CreateTrustedTokenIssuer accepts Identity Center\'s URL');
  await tip.ssoAdmin.send(
    new PutApplicationGrantCommand({
      ApplicationArn: tip.applicationArn,
      GrantType: JWT_BEARER,
      Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: tip.ttiArn, AuthorizedAudiences: [CLIENT_ID] }, { TrustedTokenIssuerArn: selfArn!, AuthorizedAudiences: [String(claims.aud)] }] } },
    }),
  );
  outbound.length = 0;
  const err = (await tip.exchange({ assertion: idToken! }).catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number } };
  t.equal(err.name, 'InvalidGrantException');
  t.equal(err.$metadata.httpStatusCode, 400);
  const reason = labReason(err);
  t.match(reason, /^issuer-trusted: iss https:\/\/identitycenter\.amazonaws\.com\/ssoins-\w+ is Identity Center itself, registered as trusted token issuer "identity-center-itself" and authorized by the grant: Identity Center cannot be its own trusted token issuer/);
  t.match(reason, /No key was fetched: the lab never fetches from an AWS domain/);
  t.match(reason, /Fix: to sign users in with Identity Center, give the application an authorization_code grant/);
  t.match(reason, /delete trusted token issuer "identity-center-itself"/);
  t.notMatch(reason, /ENOTFOUND|getaddrinfo/);
  const entry = tip.lab.exchanges({ limit: 1 })[0]!;
  t.equal(entry.failure?.key, 'issuer.identity_center');
  t.same(
    entry.trace.filter((s) => ['issuer-trusted', 'issuer-keys-fetched'].includes(s.step)).map((s) => `${s.step}:${s.verdict}`),
    ['issuer-trusted:fail', 'issuer-keys-fetched:skip'],
    'the key fetch is never reached',
  );
  t.same(outbound, [], 'no DNS lookup and no connection left the lab');
});

t.test('an Identity Center idToken without such a registration: the same key and fix', async (t) => {
  const { idToken } = await tip.exchange({ assertion: await tip.mint() });
  await tip.ssoAdmin.send(new PutApplicationGrantCommand({ ApplicationArn: tip.applicationArn, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: tip.ttiArn, AuthorizedAudiences: [CLIENT_ID] }] } } }));
  const err = await tip.exchange({ assertion: idToken! }).catch((e: unknown) => e);
  t.match(labReason(err), /^issuer-trusted: iss https:\/\/identitycenter\.amazonaws\.com\/ssoins-\w+ is Identity Center itself: Identity Center cannot be its own trusted token issuer/);
  t.equal(tip.lab.exchanges({ limit: 1 })[0]!.failure?.key, 'issuer.identity_center');
});

t.test('defence in depth: a trusted token issuer under an AWS domain is never fetched', async (t) => {
  const pool = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example1';
  const { TrustedTokenIssuerArn } = await tip.ssoAdmin.send(
    new CreateTrustedTokenIssuerCommand({
      InstanceArn: tip.instanceArn,
      Name: 'real-cognito',
      TrustedTokenIssuerType: 'OIDC_JWT',
      TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: pool, ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
    }),
  );
  await tip.ssoAdmin.send(new PutApplicationGrantCommand({ ApplicationArn: tip.applicationArn, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: TrustedTokenIssuerArn!, AuthorizedAudiences: [CLIENT_ID] }] } } }));
  outbound.length = 0;
  const err = await tip.exchange({ assertion: await tip.mint({ claims: { iss: pool } }) }).catch((e: unknown) => e);
  t.equal((err as Error).name, 'InvalidGrantException');
  t.match(labReason(err), /^issuer-keys-fetched: could not get the issuer's discovery document https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_Example1\/\.well-known\/openid-configuration: cognito-idp\.us-east-1\.amazonaws\.com is an AWS domain \(amazonaws\.com\), and the lab never fetches from AWS/);
  t.match(labReason(err), /Fix: trust a lab issuer standing in for that IdP/);
  t.equal(tip.lab.exchanges({ limit: 1 })[0]!.failure?.key, 'issuer.discovery_failed');
  t.same(outbound, [], 'no DNS lookup and no connection left the lab');
});

t.test('fetchJson refuses every AWS domain before any lookup or connection', async (t) => {
  const urls = [
    'https://identitycenter.amazonaws.com/ssoins-1111222233334444/.well-known/openid-configuration',
    'https://oidc.us-east-1.amazonaws.com/',
    'http://s3.cn-north-1.amazonaws.com.cn/bucket/jwks',
    'https://aws.amazon.com/',
    'https://amazon.com/',
    'https://d-1234567890.awsapps.com/start',
    'https://example.auth.us-east-1.amazoncognito.com/.well-known/jwks.json',
    'https://lambda-url.us-east-1.on.aws/',
    'https://IDENTITYCENTER.AMAZONAWS.COM./x',
  ];
  outbound.length = 0;
  for (const url of urls) {
    const err = await fetchJson(url, { timeoutMs: 1000 }).catch((e: unknown) => e);
    t.ok(err instanceof FetchJsonError, url);
    t.equal((err as FetchJsonError).kind, 'aws_domain', url);
    t.match((err as Error).message, /is an AWS domain \(.+\), and the lab never fetches from AWS: it is offline and stands in for AWS itself; nothing was sent$/);
  }
  t.same(outbound, [], 'nothing was looked up or connected');
});

t.test('awsDomainOf: AWS domains and their subdomains only', async (t) => {
  t.equal(awsDomainOf('identitycenter.amazonaws.com'), 'amazonaws.com');
  t.equal(awsDomainOf('amazonaws.com'), 'amazonaws.com');
  t.equal(awsDomainOf('s3.cn-north-1.amazonaws.com.cn'), 'amazonaws.com.cn');
  t.equal(awsDomainOf('aws.amazon.com'), 'amazon.com');
  t.equal(awsDomainOf('api.aws'), 'aws');
  for (const other of ['notamazonaws.com', 'amazonaws.com.evil.example', 'example.okta.com', 'login.microsoftonline.com', '127.0.0.1', 'aws.example.com', 'myaws']) {
    t.equal(awsDomainOf(other), undefined, other);
  }
});
