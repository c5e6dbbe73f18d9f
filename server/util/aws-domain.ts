/**
 * AWS's own service domains. The lab is offline: it stands in for AWS and never calls it, so a URL
 * under one of these (an Identity Center issuer `https://identitycenter.amazonaws.com/ssoins-…`, a
 * Cognito user pool, an S3 bucket, a portal `*.awsapps.com`) is never fetched (`fetchJson`).
 */
export const AWS_DOMAINS = ['amazonaws.com', 'amazonaws.com.cn', 'amazon.com', 'aws', 'awsapps.com', 'amazoncognito.com'] as const;

/** The AWS domain a host name is, or is under (`identitycenter.amazonaws.com` → `amazonaws.com`); undefined for any other host. */
export function awsDomainOf(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  return AWS_DOMAINS.find((d) => host === d || host.endsWith(`.${d}`));
}
