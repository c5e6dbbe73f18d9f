import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

/** Authorize 8. The login form's answer: the user picked is a user of the instance, or they cancelled. */
export const checkAuthorizeUser: Step<'authorize' | 'identityStore', 'user'> = {
  name: 'authorize-user-signed-in',
  title: 'a user of the instance signed in',
  run(ctx) {
    const form = ctx.authorize.form ?? { decision: 'approve' };
    if (form.decision === 'deny') throw new ExchangeFailure('authorize.access_denied', 'the user cancelled on the login page');
    const user = form.userId === undefined ? undefined : ctx.identityStore.Users[form.userId];
    if (!user) {
      throw new ExchangeFailure(
        'authorize.user_unknown',
        form.userId === undefined ? 'the login form named no user' : `${JSON.stringify(form.userId)} is not a user of identity store ${ctx.identityStore.IdentityStoreId}`,
        'pick a user on the login page; add users with identitystore CreateUser',
        { userId: form.userId },
      );
    }
    return { reason: `signed in as ${user.UserName} (${user.UserId})`, facts: { userId: user.UserId }, set: { user } };
  },
};

/** Authorize 9. A code for this client, user, redirect URI and challenge, good once until its TTL. */
export const issueAuthorizationCode: Step<'client' | 'instance' | 'user' | 'redirectUri', 'issuedCode'> & { effect: true } = {
  name: 'authorization-code-issued',
  title: 'an authorization code is issued',
  effect: true,
  run(ctx) {
    const ttl = ctx.profile.settings.authorization_code_ttl_seconds.value;
    const { client, user } = ctx;
    const issuedCode = ctx.tokens.credentials.issueCode({
      client: { kind: client.kind, id: client.id },
      instanceArn: ctx.instance.InstanceArn,
      issuedAt: ctx.now,
      expiresAt: ctx.now + ttl * 1000,
      userId: user.UserId,
      redirectUri: ctx.redirectUri,
      ...(ctx.codeChallenge ? { codeChallenge: ctx.codeChallenge } : {}),
      ...(ctx.requestedScopes ? { scopes: ctx.requestedScopes } : {}),
      authTime: Math.floor(ctx.now / 1000),
    });
    return { reason: `a code for ${user.UserName}, valid ${ttl} s, once`, facts: { expiresAt: new Date(issuedCode.expiresAt).toISOString() }, set: { issuedCode } };
  },
};
