import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import type { ApplicationRecord, InstanceRecord } from '../../state/model.js';
import { PUBLIC_GRANT_TYPES } from '../oauth-server/public-clients.js';
import { resolveInstance } from '../oauth-server/resolve-instance.js';

/** The access-scope pattern of the SSO Admin model (reference §3). */
const SCOPE = /^([A-Za-z0-9_]{1,50})(:[A-Za-z0-9_]{1,50}){0,1}(:[A-Za-z0-9_]{1,50}){0,1}$/;

function redirectUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `uses ${url.protocol}, not http or https`;
  if (url.hash || uri.includes('#')) return 'has a fragment (RFC 6749 §3.1.2 forbids one)';
  return undefined;
}

/**
 * RegisterClient: the metadata is one the service takes — a name, clientType public (model doc
 * string), known grant types, absolute http(s) redirect URIs (required with authorization_code),
 * scopes in the access-scope pattern, an issuerUrl naming an instance, an existing entitled
 * application.
 */
export const checkClientMetadata: Step<'registration'> = {
  name: 'client-metadata-valid',
  title: 'the client metadata is valid',
  run(ctx) {
    const r = ctx.registration;
    const missing = (['clientName', 'clientType'] as const).filter((m) => !r[m]);
    if (missing.length) throw new ExchangeFailure('register.missing_member', `RegisterClient needs ${missing.join(' and ')}`, 'pass clientName (any name) and clientType public');
    if (r.clientType !== 'public') {
      throw new ExchangeFailure('register.client_type_unsupported', `clientType ${JSON.stringify(r.clientType)} is not supported; the service supports only public clients`, 'pass clientType public', { clientType: r.clientType });
    }
    const grantTypes = r.grantTypes ?? [];
    const unknown = grantTypes.filter((g) => !(PUBLIC_GRANT_TYPES as readonly string[]).includes(g));
    if (unknown.length) {
      throw new ExchangeFailure('register.grant_type_unsupported', `grant type ${unknown.map((g) => JSON.stringify(g)).join(', ')} is not one a public client can register: ${PUBLIC_GRANT_TYPES.join(', ')}`, undefined, { grantTypes });
    }
    const redirectUris = r.redirectUris ?? [];
    if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
      throw new ExchangeFailure('register.redirect_uri_missing', 'the authorization_code grant needs redirectUris: where the authorize endpoint may send the code', 'pass redirectUris, e.g. http://127.0.0.1/oauth/callback (any port is then allowed)');
    }
    for (const uri of redirectUris) {
      const problem = redirectUriProblem(uri);
      if (problem) throw new ExchangeFailure('register.redirect_uri_invalid', `redirect URI ${JSON.stringify(uri)} ${problem}`, 'register absolute http(s) URLs without a fragment', { redirectUri: uri });
    }
    const badScopes = (r.scopes ?? []).filter((s) => !SCOPE.test(s));
    if (badScopes.length) {
      throw new ExchangeFailure('register.scope_invalid', `scope ${badScopes.map((s) => JSON.stringify(s)).join(', ')} does not match ${SCOPE.source}`, 'use scopes like sso:account:access', { scopes: r.scopes });
    }
    const { state } = ctx;
    let instance: InstanceRecord | undefined;
    let application: ApplicationRecord | undefined;
    if (r.issuerUrl !== undefined) {
      instance = resolveInstance(r.issuerUrl, state);
      if (!instance) {
        throw new ExchangeFailure(
          'register.issuer_unknown',
          `issuerUrl ${JSON.stringify(r.issuerUrl)} names no Identity Center instance of this lab`,
          'pass the instance\'s issuer (https://identitycenter.amazonaws.com/ssoins-…) or start URL (https://d-xxxxxxxxxx.awsapps.com/start)',
          { issuerUrl: r.issuerUrl },
        );
      }
    }
    if (r.entitledApplicationArn !== undefined) {
      const app = state.applications[r.entitledApplicationArn];
      if (!app) throw new ExchangeFailure('register.application_unknown', `no application ${r.entitledApplicationArn} exists in this lab`, 'pass the ARN CreateApplication returned', { entitledApplicationArn: r.entitledApplicationArn });
      if (instance && instance.InstanceArn !== app.InstanceArn) {
        throw new ExchangeFailure('register.application_unknown', `application ${app.ApplicationArn} belongs to instance ${app.InstanceArn}, not to ${instance.InstanceArn} that issuerUrl names`, undefined, { entitledApplicationArn: r.entitledApplicationArn });
      }
      application = app;
      instance = state.instances[app.InstanceArn];
    }
    return {
      reason: `public client "${r.clientName}"${grantTypes.length ? ` with grants ${grantTypes.join(', ')}` : ' (device flow)'}${instance ? ` of instance ${instance.InstanceArn}` : ''}`,
      facts: { grantTypes, redirectUris, scopes: r.scopes ?? [] },
      set: { ...(instance ? { instance } : {}), ...(application ? { application } : {}) },
    };
  },
};
