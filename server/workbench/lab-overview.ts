import type { LabServices } from '../lab/lab-services.js';
import type { AuthorizedTokenIssuer, GrantType } from '../identity-center/state/model.js';

const JWT_BEARER: GrantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** What the workbench shows of the lab: its issuers and, per instance, the Identity Center setup. */
export interface LabOverview {
  lab: { url: string };
  issuers: {
    name: string;
    url: string;
    description: string | null;
    clients: { clientId: string; defaultAudience: string | null }[];
    /** Each configured user: `sub` and the claims a minted token copies. */
    users: { sub: string; claims: Record<string, unknown> }[];
  }[];
  instances: {
    instanceArn: string;
    name: string | null;
    type: string;
    identityStoreId: string;
    ownerAccountId: string;
    users: { userId: string; userName: string; displayName: string | null; emails: string[]; groups: string[] }[];
    groups: { groupId: string; displayName: string; members: string[] }[];
    trustedTokenIssuers: {
      trustedTokenIssuerArn: string;
      name: string;
      issuerUrl: string;
      claimAttributePath: string;
      identityStoreAttributePath: string;
      /** The lab issuer at this IssuerUrl, if one is. */
      labIssuer: string | null;
    }[];
    applications: {
      applicationArn: string;
      name: string;
      status: string;
      grants: string[];
      jwtBearer: { trustedTokenIssuerArn: string; trustedTokenIssuer: string | null; authorizedAudiences: string[] }[];
      hasIamAuthenticationMethod: boolean;
      scopes: string[];
      assignmentRequired: boolean;
      assignments: { type: 'USER' | 'GROUP'; id: string; name: string | null }[];
    }[];
  }[];
}

/** Reads the overview from the lab's services (state and config); changes nothing. */
export function labOverview(lab: LabServices): LabOverview {
  const state = lab.identityCenter.state.read;
  const issuerByUrl = new Map([...lab.issuers.values()].map((i) => [i.url, i.name]));
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return {
    lab: { url: lab.baseUrl() },
    issuers: [...lab.issuers.values()]
      .map((i) => ({
        name: i.name,
        url: i.url,
        description: i.config.description ?? null,
        clients: i.config.clients.map((c) => ({ clientId: c.client_id, defaultAudience: c.default_audience ?? null })),
        users: i.config.users.map((u) => {
          const { sub, ...claims } = u;
          return { sub, claims };
        }),
      }))
      .sort(byName),
    instances: Object.values(state.instances).map((instance) => {
      const store = state.identityStores[instance.IdentityStoreId];
      const users = Object.values(store?.Users ?? {});
      const groups = Object.values(store?.Groups ?? {});
      const memberships = Object.values(store?.Memberships ?? {});
      const userName = (id: string) => store?.Users[id]?.UserName ?? null;
      const groupName = (id: string) => store?.Groups[id]?.DisplayName ?? null;
      const ttis = Object.values(state.trustedTokenIssuers).filter((t) => t.InstanceArn === instance.InstanceArn);
      return {
        instanceArn: instance.InstanceArn,
        name: instance.Name ?? null,
        type: instance.InstanceType,
        identityStoreId: instance.IdentityStoreId,
        ownerAccountId: instance.OwnerAccountId,
        users: users
          .map((u) => ({
            userId: u.UserId,
            userName: u.UserName,
            displayName: u.DisplayName ?? null,
            emails: (u.Emails ?? []).map((e) => e.Value).filter((v): v is string => typeof v === 'string'),
            groups: memberships.filter((m) => m.MemberId.UserId === u.UserId).map((m) => groupName(m.GroupId) ?? m.GroupId),
          }))
          .sort((a, b) => a.userName.localeCompare(b.userName)),
        groups: groups
          .map((g) => ({ groupId: g.GroupId, displayName: g.DisplayName, members: memberships.filter((m) => m.GroupId === g.GroupId).map((m) => userName(m.MemberId.UserId) ?? m.MemberId.UserId) }))
          .sort((a, b) => a.displayName.localeCompare(b.displayName)),
        trustedTokenIssuers: ttis
          .map((t) => {
            const c = t.TrustedTokenIssuerConfiguration.OidcJwtConfiguration;
            return {
              trustedTokenIssuerArn: t.TrustedTokenIssuerArn,
              name: t.Name,
              issuerUrl: c.IssuerUrl,
              claimAttributePath: c.ClaimAttributePath,
              identityStoreAttributePath: c.IdentityStoreAttributePath,
              labIssuer: issuerByUrl.get(c.IssuerUrl) ?? null,
            };
          })
          .sort(byName),
        applications: Object.values(state.applications)
          .filter((a) => a.InstanceArn === instance.InstanceArn)
          .map((a) => {
            const grant = a.Grants[JWT_BEARER] as { JwtBearer?: { AuthorizedTokenIssuers?: AuthorizedTokenIssuer[] } } | undefined;
            return {
              applicationArn: a.ApplicationArn,
              name: a.Name,
              status: a.Status,
              grants: Object.keys(a.Grants),
              jwtBearer: (grant?.JwtBearer?.AuthorizedTokenIssuers ?? []).map((i) => ({
                trustedTokenIssuerArn: i.TrustedTokenIssuerArn,
                trustedTokenIssuer: state.trustedTokenIssuers[i.TrustedTokenIssuerArn]?.Name ?? null,
                authorizedAudiences: [...i.AuthorizedAudiences],
              })),
              hasIamAuthenticationMethod: a.AuthenticationMethods.IAM !== undefined,
              scopes: Object.keys(a.AccessScopes),
              assignmentRequired: a.AssignmentRequired,
              assignments: a.Assignments.map((x) => ({ type: x.PrincipalType, id: x.PrincipalId, name: x.PrincipalType === 'USER' ? userName(x.PrincipalId) : groupName(x.PrincipalId) })),
            };
          })
          .sort(byName),
      };
    }),
  };
}
