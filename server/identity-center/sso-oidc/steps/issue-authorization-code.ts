import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

/** Authorize 8. The login form's answer: the user picked is a user of the instance, or they cancelled. */
export const checkAuthorizeUser: Step = {
  name: 'authorize-user-signed-in',
  title: 'a user of the instance signed in',
  run(ctx) {
    const form = ctx.authorize!.form!;
    if (form.decision === 'deny') throw new ExchangeFailure('authorize.access_denied', 'the user cancelled on the login page');
    const user = form.userId === undefined ? undefined : ctx.identityStore!.Users[form.userId];
    if (!user) {
      throw new ExchangeFailure(
        'authorize.user_unknown',
        form.userId === undefined ? 'the login form named no user' : `${JSON.stringify(form.userId)} is not a user of identity store ${ctx.identityStore!.IdentityStoreId}`,
        'pick a user on the login page; add users with identitystore CreateUser',
        { userId: form.userId },
      );
    }
    ctx.user = user;
    return { reason: `signed in as ${user.UserName} (${user.UserId})`, facts: { userId: user.UserId } };
  },
};

/** Authorize 9. A code for this client, user, redirect URI and challenge, good once until its TTL. */
export const issueAuthorizationCode: Step = {
  name: 'authorization-code-issued',
  title: 'an authorization code is issued',
  effect: true,
  run(ctx) {
    const a = ctx.authorize!;
    const ttl = ctx.profile.settings.authorization_code_ttl_seconds.value;
    a.issuedCode = ctx.tokens.codes.issue({
      clientKind: a.client!.kind,
      clientId: a.client!.id,
      instanceArn: ctx.instance!.InstanceArn,
      userId: ctx.user!.UserId,
      redirectUri: a.params.redirect_uri!,
      ...(a.codeChallenge ? { codeChallenge: a.codeChallenge } : {}),
      ...(a.scopes ? { scopes: a.scopes } : {}),
      authTime: Math.floor(ctx.now / 1000),
      issuedAt: ctx.now,
      expiresAt: ctx.now + ttl * 1000,
    });
    return { reason: `a code for ${ctx.user!.UserName}, valid ${ttl} s, once`, facts: { expiresAt: new Date(a.issuedCode.expiresAt).toISOString() } };
  },
};
