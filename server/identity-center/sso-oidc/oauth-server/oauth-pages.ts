import { escapeHtml, page } from '../../../util/html.js';
import type { ApplicationRecord, IdentityStoreRecord, InstanceRecord, UserRecord } from '../../state/model.js';
import { assignmentOf } from '../steps/check-user-assigned.js';

/** Hidden form fields that carry a request's parameters into the next POST. */
const hidden = (entries: [string, string][]) => entries.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');

const instanceId = (instance: InstanceRecord) => instance.InstanceArn.slice(instance.InstanceArn.lastIndexOf('/') + 1);
const userLabel = (u: UserRecord) => String(u.DisplayName ?? u.UserName);
const sortedUsers = (store: IdentityStoreRecord) => Object.values(store.Users).sort((a, b) => a.UserName.localeCompare(b.UserName));

function userDetail(u: UserRecord, app?: ApplicationRecord, store?: IdentityStoreRecord): string {
  const email = u.Emails?.find((e) => e.Primary)?.Value ?? u.Emails?.[0]?.Value;
  const parts = [`userName: <code>${escapeHtml(u.UserName)}</code>`, ...(email ? [`email: ${escapeHtml(email)}`] : []), `id: <code>${escapeHtml(u.UserId)}</code>`];
  if (app && store && app.AssignmentRequired && assignmentOf(app, store, u.UserId) === false) parts.push('<strong>not assigned to this application</strong>: the token request will be refused');
  return parts.join(' · ');
}

/** One "Sign in as …" form per user of the instance, posting `fields` plus the user id. */
function userForms(opts: { action: string; fields: [string, string][]; store: IdentityStoreRecord; verb: string; app?: ApplicationRecord }): string {
  const users = sortedUsers(opts.store);
  if (!users.length) return `<p>Identity store <code>${escapeHtml(opts.store.IdentityStoreId)}</code> has no users. Add some with <code>identitystore CreateUser</code> or under <code>identity_center</code> in the lab configuration.</p>`;
  const items = users
    .map(
      (u) => `<li><form method="post" action="${escapeHtml(opts.action)}">${hidden([...opts.fields, ['user_id', u.UserId], ['decision', 'approve']])}
<button type="submit">${escapeHtml(opts.verb)} as ${escapeHtml(userLabel(u))}</button>
<div class="muted">${userDetail(u, opts.app, opts.store)}</div></form></li>`,
    )
    .join('\n');
  return `<h2 id="users">Choose a user</h2>\n<ul aria-labelledby="users">${items}</ul>`;
}

const denyForm = (action: string, fields: [string, string][], label: string) =>
  `<form method="post" action="${escapeHtml(action)}">${hidden([...fields, ['decision', 'deny']])}<button type="submit" class="secondary">${escapeHtml(label)}</button></form>`;

/** The authorize endpoint's login page: pick a user of the instance's identity store, no passwords. */
export function authorizeLoginPage(opts: {
  action: string;
  fields: [string, string][];
  clientKind: 'application' | 'public';
  clientName: string;
  clientId: string;
  instance: InstanceRecord;
  store: IdentityStoreRecord;
  redirectUri: string;
  scopes?: string[];
  application?: ApplicationRecord;
}): string {
  const what = opts.clientKind === 'application' ? 'Application' : 'Client';
  return page(
    `Sign in — IAM Identity Center ${instanceId(opts.instance)}`,
    `<main><h1>Sign in to IAM Identity Center</h1>
<p>${what} <strong>${escapeHtml(opts.clientName)}</strong> (<code>${escapeHtml(opts.clientId)}</code>) of instance <code>${escapeHtml(instanceId(opts.instance))}</code> asks you to sign in.
It will receive an authorization code at <code>${escapeHtml(opts.redirectUri)}</code>${opts.scopes?.length ? ` for scopes <code>${escapeHtml(opts.scopes.join(' '))}</code>` : ''}.</p>
${userForms({ action: opts.action, fields: opts.fields, store: opts.store, verb: 'Sign in', ...(opts.application ? { app: opts.application } : {}) })}
${denyForm(opts.action, opts.fields, 'Cancel')}</main>`,
  );
}

/** The verification page's first form: type the code the device shows. */
export function deviceCodeEntryPage(action: string): string {
  return page('Authorize a device — IAM Identity Center', `<main><h1>Authorize a device</h1>
${codeEntryForm(action)}</main>`);
}

/** The form where the user types the code their device shows. */
const codeEntryForm = (action: string) => `<form method="get" action="${escapeHtml(action)}">
<p><label for="user_code">Code shown on your device</label><br>
<input id="user_code" name="user_code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required></p>
<button type="submit">Continue</button></form>`;

/**
 * The fragment route of the access portal's device page, `/start/#/device?user_code=…`
 * (StartDeviceAuthorization's verificationUri on the real service): the fragment never reaches the
 * server, so this script, run by the portal page, takes the browser to the lab's `/device` page with
 * the code. Any other fragment stays on the portal page.
 */
export const PORTAL_ROUTE_SCRIPT =
  "(function(){var m=/^#\\/device(?:\\?(.*))?$/.exec(location.hash);if(!m)return;" +
  "var code=new URLSearchParams(m[1]||'').get('user_code');" +
  "location.replace('/device'+(code?'?user_code='+encodeURIComponent(code):''));})();";

/**
 * The lab's stand-in for the access portal, `/start/`: the device code form, and the script that
 * follows the `#/device` route. Without script, the form still works.
 */
export function portalStartPage(): string {
  return page(
    'AWS access portal — IAM Identity Center (tti-lab)',
    `<main><h1>Authorize a device</h1>
<p class="muted">The lab's access portal. A device's verification link (<code>/start/#/device?user_code=…</code>) opens the code's page.</p>
${codeEntryForm('/device')}</main>
<script>${PORTAL_ROUTE_SCRIPT}</script>`,
  );
}

/** The verification page for one user code: which client, which instance, approve as a user or deny. */
export function deviceApprovalPage(opts: { action: string; userCode: string; clientName: string; instance: InstanceRecord; store: IdentityStoreRecord }): string {
  const fields: [string, string][] = [['user_code', opts.userCode]];
  return page(
    'Authorize a device — IAM Identity Center',
    `<main><h1>Authorize a device</h1>
<p>Client <strong>${escapeHtml(opts.clientName)}</strong> asks to sign in to instance <code>${escapeHtml(instanceId(opts.instance))}</code>.
Check that your device shows the code <strong><code>${escapeHtml(opts.userCode)}</code></strong>.</p>
${userForms({ action: opts.action, fields, store: opts.store, verb: 'Approve' })}
${denyForm(opts.action, fields, 'Deny')}</main>`,
  );
}

/** The verification page after the decision. */
export function deviceDonePage(approved: boolean, userCode: string, userName?: string): string {
  return page(
    approved ? 'Device approved' : 'Request denied',
    approved
      ? `<main><h1>Device approved</h1><p>Code <code>${escapeHtml(userCode)}</code> is approved${userName ? ` for <code>${escapeHtml(userName)}</code>` : ''}. You can close this window and return to your device.</p></main>`
      : `<main><h1>Request denied</h1><p>Code <code>${escapeHtml(userCode)}</code> is denied. The device will be told so.</p></main>`,
  );
}

/**
 * A refusal the lab shows the user rather than sending to a redirect URI: only the public error
 * code and description; the full reason is in `x-tti-lab-reason` and the exchange log entry.
 */
export function refusalPage(opts: { title: string; error: string; description?: string; exchangeId?: string }): string {
  return page(
    `${opts.title} — ${opts.error}`,
    `<main><h1>${escapeHtml(opts.title)}</h1>
<p><code>${escapeHtml(opts.error)}</code>${opts.description ? `: ${escapeHtml(opts.description)}` : ''}</p>
${opts.exchangeId ? `<p class="muted">Why: the lab's exchange log, <a href="/_lab/exchanges/${escapeHtml(opts.exchangeId)}"><code>/_lab/exchanges/${escapeHtml(opts.exchangeId)}</code></a>, and this response's <code>x-tti-lab-reason</code> header.</p>` : ''}</main>`,
  );
}
