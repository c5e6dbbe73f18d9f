import type { UserConfig } from '../../config/lab-config.js';
import { escapeHtml, page } from '../../util/html.js';

export interface LoginPageInput {
  issuerName: string;
  description?: string;
  clientId: string;
  scopes: string[];
  users: UserConfig[];
  /** Where the forms post: `<issuer path>/interaction/<uid>`. */
  action: string;
}

/** The issuer's login page: pick a configured user, no passwords. */
export function loginPage(input: LoginPageInput): string {
  const users = input.users
    .map((u) => {
      const label = String(u.name ?? u.preferred_username ?? u.email ?? u.sub);
      const detail = ['email', 'preferred_username'].filter((k) => u[k] !== undefined).map((k) => `${k}: ${escapeHtml(u[k])}`).join(' · ');
      return `<li><form method="post" action="${escapeHtml(input.action)}/login">
<input type="hidden" name="sub" value="${escapeHtml(u.sub)}">
<button type="submit" aria-label="Sign in as ${escapeHtml(label)}">Sign in as ${escapeHtml(label)}</button>
<div class="muted">sub: <code>${escapeHtml(u.sub)}</code>${detail ? ` · ${detail}` : ''}</div></form></li>`;
    })
    .join('\n');
  return page(
    `Sign in — ${input.issuerName}`,
    `<main><h1>Sign in to issuer <code>${escapeHtml(input.issuerName)}</code></h1>
${input.description ? `<p>${escapeHtml(input.description)}</p>` : ''}
<p>Client <code>${escapeHtml(input.clientId)}</code> asks for scopes <code>${escapeHtml(input.scopes.join(' ') || '(none)')}</code>.
The ID token it gets will carry <code>aud: "${escapeHtml(input.clientId)}"</code>.</p>
${input.users.length ? `<ul>${users}</ul>` : '<p>This issuer has no users. Add some under <code>issuers[].users</code> in the lab configuration.</p>'}
<form method="post" action="${escapeHtml(input.action)}/abort"><button type="submit" class="secondary">Cancel</button></form></main>`,
  );
}
