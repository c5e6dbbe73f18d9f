import { InputValidator } from '../../aws/input-validator.js';
import { paginate } from './paginate.js';
import { readPageRequest } from './read-members.js';
import { notFound, operation, type SsoAdminCall, type SsoAdminOperation } from './sso-admin-operation.js';
import { shapes } from './sso-admin-shapes.js';

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

const listApplicationProviders = operation('ListApplicationProviders', [], (call) => {
  const v = new InputValidator(call.input);
  const page = readPageRequest(v, { maxShape: shapes.MaxResults, defaultMax: shapes.MaxResults.max });
  v.done();
  const { items, nextToken } = paginate(APPLICATION_PROVIDERS, (p) => p.ApplicationProviderArn, page, 'ListApplicationProviders');
  return { ApplicationProviders: items.map(providerOutput), ...(nextToken ? { NextToken: nextToken } : {}) };
});

const describeApplicationProvider = operation('DescribeApplicationProvider', ['ResourceNotFoundException'], (call) => {
  const v = new InputValidator(call.input);
  const arn = v.string('ApplicationProviderArn', { required: true, ...shapes.ApplicationProviderArn });
  v.done();
  return providerOutput(findApplicationProvider(call, arn!));
});

export const applicationProviderOperations: SsoAdminOperation[] = [listApplicationProviders, describeApplicationProvider];
