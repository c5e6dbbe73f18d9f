import type { Context } from './schema.js';

/**
 * The rules no single field can check: uniqueness across a list, and options that only make sense
 * together. They read the raw input (not the validated config), so they run even when a field
 * elsewhere is wrong, and a user sees every problem of their file in one pass. Each rule reads only
 * values of the right type and leaves type errors to the field checks, so nothing is reported twice.
 */

type Raw = Record<string, unknown>;

const mapping = (v: unknown): Raw | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : undefined);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const present = (v: unknown) => v !== undefined && v !== null;

/** The grant types a client has once defaults apply (see ClientConfig.grant_types). */
export function effectiveGrantTypes(client: { client_secret?: unknown; grant_types?: unknown }): string[] {
  if (Array.isArray(client.grant_types)) return client.grant_types.filter((g): g is string => typeof g === 'string');
  return present(client.client_secret)
    ? ['authorization_code', 'refresh_token', 'client_credentials']
    : ['authorization_code', 'refresh_token'];
}

interface Rule {
  name: string;
  check(config: Raw, ctx: Context): void;
}

function eachIssuer(config: Raw, fn: (issuer: Raw, at: string) => void): void {
  items(config.issuers).forEach((v, i) => {
    const issuer = mapping(v);
    if (issuer) fn(issuer, `issuers[${i}]`);
  });
}

/** Reports the second and later entries of `list` whose `key` repeats an earlier one. */
function unique(list: unknown, key: string, at: string, ctx: Context, what: (value: string) => string): void {
  const seen = new Set<string>();
  items(list).forEach((v, i) => {
    const value = mapping(v)?.[key];
    if (typeof value !== 'string') return;
    if (seen.has(value)) ctx.fail(`${at}[${i}].${key}`, what(value));
    seen.add(value);
  });
}

const issuerName = (issuer: Raw) => (typeof issuer.name === 'string' ? `issuer "${issuer.name}"` : 'this issuer');

export const CONFIG_RULES: readonly Rule[] = [
  {
    name: 'uniqueIssuerNames',
    check: (config, ctx) =>
      unique(config.issuers, 'name', 'issuers', ctx, (v) => `duplicate issuer name "${v}": expected each issuer to have its own name (issuer URLs are made from names)`),
  },
  {
    name: 'uniqueClientIds',
    check: (config, ctx) =>
      eachIssuer(config, (issuer, at) =>
        unique(issuer.clients, 'client_id', `${at}.clients`, ctx, (v) => `duplicate client_id "${v}": expected each client of ${issuerName(issuer)} to have its own id`),
      ),
  },
  {
    name: 'uniqueUserSubs',
    check: (config, ctx) =>
      eachIssuer(config, (issuer, at) =>
        unique(issuer.users, 'sub', `${at}.users`, ctx, (v) => `duplicate sub "${v}": expected each user of ${issuerName(issuer)} to have their own sub`),
      ),
  },
  {
    name: 'uniqueResourceIndicators',
    check: (config, ctx) =>
      eachIssuer(config, (issuer, at) =>
        unique(issuer.resources, 'indicator', `${at}.resources`, ctx, (v) => `duplicate indicator "${v}": expected each resource of ${issuerName(issuer)} to have its own indicator`),
      ),
  },
  {
    name: 'codeFlowNeedsRedirectUris',
    check: (config, ctx) =>
      eachIssuer(config, (issuer, at) =>
        items(issuer.clients).forEach((v, j) => {
          const client = mapping(v);
          if (!client || !effectiveGrantTypes(client).includes('authorization_code')) return;
          const uris = client.redirect_uris;
          if (present(uris) && !(Array.isArray(uris) && uris.length === 0)) return;
          const defaulted = Array.isArray(client.grant_types) ? '' : ' (a default grant)';
          ctx.fail(
            `${at}.clients[${j}].redirect_uris`,
            `expected a list of URLs: a client with the authorization_code grant${defaulted} needs at least one redirect URI; or set grant_types to leave authorization_code out`,
          );
        }),
      ),
  },
  {
    name: 'authenticationMatchesSecret',
    check: (config, ctx) =>
      eachIssuer(config, (issuer, at) =>
        items(issuer.clients).forEach((v, j) => {
          const client = mapping(v);
          if (!client) return;
          const method = client.token_endpoint_auth_method;
          const hasSecret = present(client.client_secret);
          if (!hasSecret && effectiveGrantTypes(client).includes('client_credentials')) {
            ctx.fail(`${at}.clients[${j}].client_secret`, 'is required for the client_credentials grant: expected a client secret (a public client cannot authenticate)');
          } else if (!hasSecret && (method === 'client_secret_basic' || method === 'client_secret_post')) {
            ctx.fail(`${at}.clients[${j}].client_secret`, `is required with token_endpoint_auth_method ${method}: expected a client secret`);
          } else if (hasSecret && method === 'none') {
            ctx.fail(
              `${at}.clients[${j}].token_endpoint_auth_method`,
              'expected client_secret_basic or client_secret_post for a client with a client_secret; "none" is for public clients (remove the secret, or the method)',
            );
          }
        }),
      ),
  },
  {
    name: 'tlsSource',
    check: (config, ctx) => {
      const tls = mapping(config.tls);
      if (!tls) return;
      const cert = present(tls.cert);
      const key = present(tls.key);
      if (tls.self_signed === true) {
        if (cert || key) ctx.fail('tls', 'expected either cert and key, or self_signed: true, not both');
      } else if (cert && !key) {
        ctx.fail('tls.key', 'is required when tls.cert is set: expected a path to a PEM private key (or use self_signed: true)');
      } else if (key && !cert) {
        ctx.fail('tls.cert', 'is required when tls.key is set: expected a path to a PEM certificate (or use self_signed: true)');
      } else if (!cert && !key) {
        ctx.fail('tls', 'expected cert and key (PEM file paths), or self_signed: true');
      }
    },
  },
];

/** Runs every rule over the raw configuration. */
export function checkConfigRules(value: unknown, ctx: Context): void {
  const config = mapping(value);
  if (!config) return;
  for (const rule of CONFIG_RULES) rule.check(config, ctx);
}
