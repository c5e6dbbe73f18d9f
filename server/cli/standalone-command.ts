import { HarnessError } from '../sdk/sdk-sender.js';
import { formatStandaloneTour } from '../tour/format-standalone-tour.js';
import { runStandaloneTour } from '../tour/standalone-tour.js';
import type { Command } from './command.js';

export const standaloneCommand: Command = {
  name: 'standalone',
  summary: 'Identity Center on an account instance, end to end: sign-in, tokens, why it is not its own trusted token issuer, what aud expects',
  usage: `Usage: tti-lab standalone [--json]

Answers "can Identity Center be the trusted token issuer of my customer managed application, and
where do I get a JWT for its aud field?" by running it, against a lab it starts in this process (in
memory, on a free loopback port; nothing is kept, no other lab is needed). Every call goes through
the AWS SDK:

  1. CreateInstance (an account instance), a user, a customer managed application with the
     authorization_code grant and a redirect URI;
  2. the PKCE sign-in through the instance's login page, and CreateTokenWithIAM with the code:
     the tokens, the idToken's claims, and what its aud is;
  3. Identity Center registered as its own trusted token issuer, and its idToken exchanged:
     refused at issuer-trusted, with the reason and what works instead;
  4. what a trusted token issuer's AuthorizedAudiences expects: the aud of an ID token from an
     external IdP (the lab's Okta-shaped issuer), exchanged; its access token refused, and why.

Options:
  --json       print the whole run as JSON (tokens in full; "version": 1)
  -h, --help   this help

Exit codes: 0 every part went as described; 1 something did not (the output says what), or the
AWS SDK clients are not installed.

See docs/identity-center-as-issuer.md and docs/cookbook.md.`,
  options: { json: { type: 'boolean' } },
  async run(v, _positionals, io) {
    try {
      const tour = await runStandaloneTour();
      io.out(v.json ? JSON.stringify(tour, null, 2) : formatStandaloneTour(tour));
      return tour.ok ? 0 : 1;
    } catch (err) {
      if (!(err instanceof HarnessError)) throw err;
      io.err(`tti-lab standalone: ${err.message}`);
      return 1;
    }
  },
};
