import type { LabServices } from '../../lab/lab-services.js';
import { isLoopbackAddress } from '../../util/is-loopback.js';

/**
 * Keeps trusted token issuers that trust a *lab* issuer pointing at it after the lab moved (another
 * `--port`, host or scheme than the one the state was saved under).
 *
 * A lab issuer's URL is `<lab URL>/issuers/<name>`, so it changes with the port, while a trusted
 * token issuer's IssuerUrl is immutable (UpdateTrustedTokenIssuer has no such member, as in AWS):
 * without this, every exchange after a restart on another port fails at issuer-trusted with an
 * empty InvalidGrantException.
 *
 * - A trusted token issuer the config declares for a lab issuer (`trusted_token_issuers[].issuer`)
 *   whose IssuerUrl is that issuer's path under another origin is rewritten in place: same ARN, so
 *   the applications' grants that name it, and any ARN a script kept, stay valid. This is a
 *   lab-only reconciliation of the lab's own state (real AWS and the harness never see it); the
 *   alternative, delete and recreate, would change the ARN and need every grant re-pointed.
 * - Any other trusted token issuer (made through the API) that names a lab issuer under another
 *   loopback origin is left as it is, with a warning saying how to fix it.
 *
 * Returns one line per change or warning, for `tti-lab serve` to print at start.
 */
export async function reconcileLabIssuerUrls(lab: LabServices, declared: ReadonlyMap<string, string>): Promise<string[]> {
  const notices: string[] = [];
  const labOrigin = new URL(lab.baseUrl()).origin;
  const ttis = Object.values(lab.identityCenter.state.read.trustedTokenIssuers);
  for (const tti of ttis) {
    const oldUrl = tti.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl;
    const declaredIssuer = declared.get(tti.TrustedTokenIssuerArn);
    const labIssuer = declaredIssuer !== undefined ? lab.issuers.get(declaredIssuer) : issuerAtPath(lab, oldUrl);
    if (!labIssuer || labIssuer.url === oldUrl) continue;
    const old = parse(oldUrl);
    const samePath = old !== undefined && old.pathname === new URL(labIssuer.url).pathname;
    if (declaredIssuer !== undefined && samePath) {
      const taken = ttis.find((o) => o !== tti && o.InstanceArn === tti.InstanceArn && o.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl === labIssuer.url);
      if (taken) {
        notices.push(`warning: trusted token issuer "${tti.Name}" still trusts ${oldUrl}: "${taken.Name}" (${taken.TrustedTokenIssuerArn}) already has IssuerUrl ${labIssuer.url}, and an instance holds one issuer per URL; delete one of them`);
        continue;
      }
      await lab.identityCenter.state.mutate((s) => {
        s.trustedTokenIssuers[tti.TrustedTokenIssuerArn]!.TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl = labIssuer.url;
      });
      notices.push(`reconciled: trusted token issuer "${tti.Name}" now trusts ${labIssuer.url} (was ${oldUrl}, saved when the lab listened at ${old!.origin}); same ARN, its grants unchanged`);
    } else if (declaredIssuer !== undefined) {
      notices.push(
        `warning: trusted token issuer "${tti.Name}" has IssuerUrl ${oldUrl}, not the lab issuer "${labIssuer.name}" at ${labIssuer.url}, and the config says it trusts that issuer; left as it is: ` +
          `delete it (aws sso-admin delete-trusted-token-issuer --trusted-token-issuer-arn ${tti.TrustedTokenIssuerArn}) and restart to have it made again`,
      );
    } else if (old && old.origin !== labOrigin) {
      notices.push(
        `warning: trusted token issuer "${tti.Name}" (${tti.TrustedTokenIssuerArn}) trusts ${oldUrl}, but the lab issuer "${labIssuer.name}" is now at ${labIssuer.url}: ` +
          `its tokens are refused at issuer-trusted. Restart on ${old.host} (--port ${old.port || '80'}), or create a trusted token issuer for the new URL (IssuerUrl cannot be updated)`,
      );
    }
  }
  return notices;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The lab issuer whose path this URL has, when it is a loopback URL (a lab's, possibly an earlier port's). */
function issuerAtPath(lab: LabServices, url: string) {
  const u = parse(url);
  const m = u && /^\/issuers\/([^/]+)$/.exec(u.pathname);
  if (!u || !m || !(u.hostname === 'localhost' || isLoopbackAddress(u.hostname.replace(/^\[|\]$/g, '')))) return undefined;
  return lab.issuers.get(decodeURIComponent(m[1]!));
}
