import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';
import { TOKEN_TYPE_ACCESS } from '../tokens/token-service.js';
import { CredentialStore } from '../tokens/credential-store.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The token-exchange grant: subjectToken is an Identity Center access token (subjectTokenType the
 * access_token URN, the only one the model allows), live, issued by this instance to a *different*
 * application (model doc string). The new tokens are for the same user, sign-in time and vouching
 * issuer.
 */
export const checkSubjectToken: Step<'application' | 'instance' | 'identityStore', 'subject' | 'user' | 'authTime'> = {
  name: 'subject-token-valid',
  title: 'the subject token is another application\'s live access token of this instance',
  run(ctx) {
    const { subjectToken, subjectTokenType } = ctx.request;
    if (!subjectToken) throw new ExchangeFailure('exchange.subject_missing', 'the token-exchange grant needs subjectToken: an access token another application of this instance got from CreateTokenWithIAM');
    if (subjectTokenType !== TOKEN_TYPE_ACCESS) {
      throw new ExchangeFailure(
        'exchange.subject_type_unsupported',
        subjectTokenType === undefined ? `subjectTokenType is missing; it must be ${TOKEN_TYPE_ACCESS}` : `subjectTokenType ${JSON.stringify(subjectTokenType)} is not supported; Identity Center exchanges only ${TOKEN_TYPE_ACCESS}`,
        `pass subjectTokenType ${TOKEN_TYPE_ACCESS} with an Identity Center access token`,
        { subjectTokenType },
      );
    }
    const app = ctx.application;
    const found = ctx.tokens.credentials.find('access_token', subjectToken);
    const record = found?.client.kind === 'application' ? found : undefined;
    if (!record) {
      throw new ExchangeFailure(
        'exchange.subject_unknown',
        found
          ? `the subject token was issued by CreateToken to public client ${found.client.id}, not to an application; token exchange takes access tokens from CreateTokenWithIAM`
          : ctx.tokens.credentials.kindOf(subjectToken) === 'refresh_token'
            ? 'the subject token is a refresh token; token exchange takes an access token'
            : `the subject token is not an access token this lab issued (or it was revoked, or forgotten: when the lab restarted, or as one older than the newest ${ctx.tokens.limits.tokenTableSize} — token_table_size); an external IdP's JWT goes to the jwt-bearer grant instead`,
        'pass the accessToken another application got from CreateTokenWithIAM',
      );
    }
    const facts = { issuedTo: record.client.id, instanceArn: record.instanceArn, userId: record.userId };
    if (record.instanceArn !== ctx.instance.InstanceArn) {
      throw new ExchangeFailure('exchange.subject_foreign_instance', `the subject token was issued by instance ${record.instanceArn}, not by ${ctx.instance.InstanceArn}`, 'exchange tokens between applications of one instance', facts);
    }
    if (record.client.id === app.ApplicationArn) {
      throw new ExchangeFailure(
        'exchange.subject_same_application',
        `the subject token was issued to application "${app.Name}" itself; token exchange moves a token from another application to this one`,
        'use the refresh_token grant to renew your own tokens, or call with the clientId of the application that should receive the token',
        facts,
      );
    }
    if (CredentialStore.expired(record, ctx.now)) {
      throw new ExchangeFailure('exchange.subject_expired', `the subject token expired at ${iso(record.expiresAt)}`, 'have the other application refresh its token first', facts);
    }
    const user = ctx.identityStore.Users[record.userId];
    if (!user) throw new ExchangeFailure('user.not_found', `the user ${record.userId} the subject token was issued for no longer exists`, undefined, facts);
    const from = ctx.state.applications[record.client.id];
    return {
      reason: `access token of user ${user.UserName} from application "${from?.Name ?? record.client.id}", valid until ${iso(record.expiresAt)}`,
      facts,
      set: { subject: record, user, authTime: record.authTime, ...(record.actSub ? { actSub: record.actSub } : {}) },
    };
  },
};
