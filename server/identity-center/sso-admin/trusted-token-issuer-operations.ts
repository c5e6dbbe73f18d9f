import type { OidcJwtConfiguration, TrustedTokenIssuerRecord } from '../state/model.js';
import { arns, ids, instanceIdOf } from '../state/ids.js';
import { idempotent } from './client-token.js';
import { findInstance, findTrustedTokenIssuer } from './sso-admin-lookup.js';
import { conflict, type SsoAdminHandlers } from './sso-admin-operation.js';
import { paginate } from './sso-admin-pagination.js';

/**
 * Trusted token issuers: the external IdPs whose JWTs an application's jwt-bearer grant accepts.
 * Identity Center does not fetch or check the issuer URL when one is created (reference §2); the
 * token exchange finds out later.
 */

const describeOutput = (tti: TrustedTokenIssuerRecord) => ({
  TrustedTokenIssuerArn: tti.TrustedTokenIssuerArn,
  Name: tti.Name,
  TrustedTokenIssuerType: tti.TrustedTokenIssuerType,
  TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { ...tti.TrustedTokenIssuerConfiguration.OidcJwtConfiguration } },
});

interface CreateInput {
  InstanceArn: string;
  Name: string;
  TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: OidcJwtConfiguration };
  ClientToken?: string;
  Tags?: TrustedTokenIssuerRecord['Tags'];
}

export const trustedTokenIssuerHandlers: SsoAdminHandlers = {
  CreateTrustedTokenIssuer(call) {
    const input = call.input as unknown as CreateInput;
    const configuration = input.TrustedTokenIssuerConfiguration.OidcJwtConfiguration;
    return call.ic.state.mutate((s) =>
      idempotent(s, call, input.ClientToken, () => {
        const instance = findInstance(s, call, input.InstanceArn);
        // One issuer per IssuerUrl in an instance (assumed: the token exchange picks the issuer by
        // the JWT's iss, which two issuers with one URL would make ambiguous).
        const same = Object.values(s.trustedTokenIssuers).find(
          (t) => t.InstanceArn === instance.InstanceArn && t.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl === configuration.IssuerUrl,
        );
        if (same) throw conflict(`A trusted token issuer with IssuerUrl ${configuration.IssuerUrl} already exists in instance ${instance.InstanceArn}: ${same.TrustedTokenIssuerArn}`);
        const arn = arns.trustedTokenIssuer(call.accountId, instanceIdOf(instance.InstanceArn)!, ids.trustedTokenIssuerId());
        s.trustedTokenIssuers[arn] = {
          TrustedTokenIssuerArn: arn,
          InstanceArn: instance.InstanceArn,
          Name: input.Name,
          TrustedTokenIssuerType: 'OIDC_JWT',
          TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { ...configuration } },
          Tags: input.Tags ?? [],
        };
        return { TrustedTokenIssuerArn: arn };
      }),
    );
  },

  DescribeTrustedTokenIssuer(call) {
    return describeOutput(findTrustedTokenIssuer(call.ic.state.read, call, call.input.TrustedTokenIssuerArn as string));
  },

  /**
   * Name and the attribute mapping can change; IssuerUrl cannot — OidcJwtUpdateConfiguration has no
   * such member, so one sent anyway is ignored like any unknown member (the SDK would not even send it).
   */
  UpdateTrustedTokenIssuer(call) {
    const input = call.input as { TrustedTokenIssuerArn: string; Name?: string; TrustedTokenIssuerConfiguration?: { OidcJwtConfiguration: Partial<OidcJwtConfiguration> } };
    return call.ic.state.mutate((s) => {
      const tti = s.trustedTokenIssuers[findTrustedTokenIssuer(s, call, input.TrustedTokenIssuerArn).TrustedTokenIssuerArn]!;
      if (input.Name !== undefined) tti.Name = input.Name;
      Object.assign(tti.TrustedTokenIssuerConfiguration.OidcJwtConfiguration, input.TrustedTokenIssuerConfiguration?.OidcJwtConfiguration);
      return {};
    });
  },

  /** Grants that name the issuer keep naming it: their users lose access (model documentation). */
  DeleteTrustedTokenIssuer(call) {
    return call.ic.state.mutate((s) => {
      delete s.trustedTokenIssuers[findTrustedTokenIssuer(s, call, call.input.TrustedTokenIssuerArn as string).TrustedTokenIssuerArn];
      return {};
    });
  },

  ListTrustedTokenIssuers(call) {
    const state = call.ic.state.read;
    const instance = findInstance(state, call, call.input.InstanceArn as string);
    const all = Object.values(state.trustedTokenIssuers).filter((t) => t.InstanceArn === instance.InstanceArn);
    return paginate(call, all.map((t) => ({ TrustedTokenIssuerArn: t.TrustedTokenIssuerArn, Name: t.Name, TrustedTokenIssuerType: t.TrustedTokenIssuerType })));
  },
};
