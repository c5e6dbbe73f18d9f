import type { KoaContextWithOIDC } from 'oidc-provider';
import { escapeHtml, page } from '../../util/html.js';

/**
 * The pages oidc-provider renders itself (logout confirmation, signed out, error), in the lab's own
 * style. oidc-provider's defaults load a web font from fonts.googleapis.com; an offline lab must not.
 */
export const providerPages = {
  /** RP-initiated logout: `form` is oidc-provider's hidden form (id `op.logoutForm`, with its xsrf token). */
  async logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
    const client = ctx.oidc.client?.clientId;
    ctx.type = 'html';
    ctx.body = page(
      'Sign out',
      `<main><h1>Sign out?</h1>
<p>${client ? `Client <code>${escapeHtml(client)}</code> asks to end your session.` : 'End your session with this issuer?'}</p>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button></main>`,
    );
  },

  async postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
    const client = ctx.oidc.client?.clientId;
    ctx.type = 'html';
    ctx.body = page('Signed out', `<main><h1>Signed out</h1><p>You are signed out${client ? ` of <code>${escapeHtml(client)}</code>` : ''}.</p></main>`);
  },

  /** Only the public code and description: never a stack or an internal message. */
  async renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): Promise<void> {
    ctx.type = 'html';
    ctx.body = page(
      `Error — ${out.error}`,
      `<main><h1>The issuer refused this request</h1>
<p><code>${escapeHtml(out.error)}</code>${out.error_description ? `: ${escapeHtml(out.error_description)}` : ''}</p></main>`,
    );
  },
};
