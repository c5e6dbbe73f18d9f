import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

/**
 * The login form (authorize) and the approval form (device verification) act for the user they
 * name, so they must come from the lab's own page: a form another site posts (login CSRF) would
 * sign a victim's browser in, or approve an attacker's device code, as anyone. The route reads the
 * browser's Origin / Sec-Fetch-Site / Referer (server/security/same-origin.ts) into `crossSite`.
 */
export const checkFormSameOrigin: Step = {
  name: 'form-same-origin',
  title: "the form was posted from the lab's own page",
  run(ctx) {
    const crossSite = ctx.authorize?.form?.crossSite ?? ctx.verification?.crossSite;
    const form = ctx.authorize ? 'sign-in form' : 'approval form';
    if (crossSite !== undefined) {
      throw new ExchangeFailure(
        'form.cross_site',
        `the ${form} was posted from ${crossSite}, not from the lab's own page`,
        `open the page on the lab (${ctx.baseUrl ?? 'its URL'}) and submit it there; a page on another site cannot submit it for you`,
        { crossSite },
      );
    }
    return { reason: `the ${form} came from the lab's own page (or from a client that is not a browser)` };
  },
};
