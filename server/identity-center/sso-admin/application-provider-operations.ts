import { notFound, type SsoAdminCall, type SsoAdminHandlers } from './sso-admin-operation.js';
import { paginate } from './sso-admin-pagination.js';

/**
 * The application providers the lab knows: AWS's two customer-managed ones. `custom` (OAuth 2.0) is
 * what trusted identity propagation uses; `custom-saml` is there because tools create SAML
 * applications with it. ARNs and protocols are real (terraform's acceptance tests, public
 * configurations); DisplayData wording is assumed.
 */
export const APPLICATION_PROVIDERS = [
  {
    ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom',
    FederationProtocol: 'OAUTH',
    DisplayData: { DisplayName: 'Custom OAuth 2.0 application', Description: 'A customer managed application that uses OAuth 2.0' },
  },
  {
    ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom-saml',
    FederationProtocol: 'SAML',
    DisplayData: { DisplayName: 'Custom SAML 2.0 application', Description: 'A customer managed application that uses SAML 2.0' },
  },
] as const;

export type ApplicationProvider = (typeof APPLICATION_PROVIDERS)[number];

export function findApplicationProvider(call: SsoAdminCall, arn: string): ApplicationProvider {
  const provider = APPLICATION_PROVIDERS.find((p) => p.ApplicationProviderArn === arn);
  if (!provider) throw notFound(call, `Application provider ${arn} does not exist`, `known providers: ${APPLICATION_PROVIDERS.map((p) => p.ApplicationProviderArn).join(', ')}`);
  return provider;
}

const providerOutput = (p: ApplicationProvider) => ({ ApplicationProviderArn: p.ApplicationProviderArn, FederationProtocol: p.FederationProtocol, DisplayData: { ...p.DisplayData } });

export const applicationProviderHandlers: SsoAdminHandlers = {
  ListApplicationProviders(call) {
    return paginate(call, APPLICATION_PROVIDERS.map(providerOutput));
  },

  DescribeApplicationProvider(call) {
    return providerOutput(findApplicationProvider(call, call.input.ApplicationProviderArn as string));
  },
};
