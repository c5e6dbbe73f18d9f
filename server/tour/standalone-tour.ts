import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { startLab, type Lab } from '../lab/start-lab.js';
import { formsOf } from '../util/html-forms.js';
import { errorHeader, sdkSender, type SdkSender } from '../sdk/sdk-sender.js';

/**
 * `tti-lab standalone`: the question of a user of an account ("standalone") instance — "can Identity
 * Center be the trusted token issuer of my customer managed application, and where do I get a JWT
 * for its aud field?" — answered by running it. A lab in this process, every call through the
 * unmodified AWS SDK, the sign-in through the lab's own login page over HTTP:
 *
 * 1. an account instance (CreateInstance), a user, and a customer managed application with the
 *    authorization_code grant;
 * 2. the PKCE sign-in at the instance's authorize endpoint, and CreateTokenWithIAM with the code:
 *    the tokens, and what the idToken's aud is;
 * 3. Identity Center registered as its own trusted token issuer: accepted at creation, refused at the
 *    exchange (issuer.identity_center), with nothing fetched;
 * 4. what AuthorizedAudiences expects: the aud of an ID token from an external IdP (the lab's
 *    Okta-shaped issuer), exchanged successfully; its access token refused, and why.
 */

export const STANDALONE_TOUR_VERSION = 1;

const ACCOUNT = '000000000000';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Where the application would receive the browser; nothing listens there: the tour reads the redirect. */
export const TOUR_REDIRECT_URI = 'http://127.0.0.1:8400/callback';
/** The Okta-shaped client the application is registered as at the external IdP. */
export const TOUR_OKTA_CLIENT_ID = '0oa1b2c3d4e5f6g7h8i9';
const ALICE = { sub: '00u1alice', email: 'alice@example.com', name: 'Alice Example', preferred_username: 'alice@example.com' };

/** One call the tour made, for the reader: the operation and what it did. */
export interface TourCall {
  call: string;
  detail: string;
  /** For a refused CreateTokenWithIAM: the lab's reason. */
  refusal?: TourRefusal;
  /** What the answer says, when it is worth a line of its own. */
  note?: string;
}

/** A refused CreateTokenWithIAM: the wire answer, and the lab's reason from its exchange log. */
export interface TourRefusal {
  exception: string;
  status: number;
  error: string;
  step: string;
  key: string;
  reason: string;
  fix: string | null;
  /** Whether the issuer-keys-fetched step ran (it must not, for Identity Center's own URL). */
  keysFetched: boolean;
}

export interface StandaloneTour {
  version: typeof STANDALONE_TOUR_VERSION;
  ok: boolean;
  /** What did not go as the tour expects, when not ok. */
  problems: string[];
  lab: string;
  setup: {
    calls: TourCall[];
    instance: { instanceArn: string; identityStoreId: string; ownerAccountId: string; type: string };
    application: { name: string; applicationArn: string; redirectUri: string };
    user: { userName: string; userId: string };
  };
  signIn: {
    authorizeUrl: string;
    loginPage: { status: number; buttons: string[] };
    redirect: string;
    stateMatches: boolean;
    tokens: { tokenType: string; expiresIn: number; scope: string[]; accessToken: string; idToken: string; idTokenClaims: Record<string, unknown> };
    aud: { value: unknown; explanation: string };
  };
  identityCenterAsIssuer: {
    calls: TourCall[];
    issuerUrl: string;
    trustedTokenIssuerArn: string;
    refusal: TourRefusal | null;
    why: string;
  };
  trustedIssuerAud: {
    calls: TourCall[];
    issuer: { name: string; url: string };
    idToken: { token: string; claims: Record<string, unknown>; aud: unknown };
    authorizedAudiences: string[];
    accepted: { idTokenClaims: Record<string, unknown> } | null;
    accessToken: { token: string; aud: unknown; refusal: TourRefusal | null };
    explanation: string;
  };
}

const q = (v: unknown) => JSON.stringify(v);

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Runs a CreateTokenWithIAM that is expected to be refused, and reads the lab's reason from its exchange log. */
async function refusal(lab: Lab, sender: SdkSender, input: Record<string, unknown>): Promise<TourRefusal | null> {
  try {
    await sender.send('sso-oidc', 'CreateTokenWithIAM', input);
    return null;
  } catch (err) {
    const id = errorHeader(err, 'x-tti-lab-exchange');
    const entry = id ? lab.exchanges().find((e) => e.id === id) : undefined;
    if (!entry?.failure) throw err;
    const f = entry.failure;
    const keys = entry.trace.find((s) => s.step === 'issuer-keys-fetched');
    return { exception: f.exception, status: f.status, error: f.error, step: f.step, key: f.key, reason: f.reason, fix: f.fix ?? null, keysFetched: keys !== undefined && keys.verdict !== 'skip' };
  }
}

/** Runs the whole tour against a fresh in-memory lab on a free loopback port, and closes it. */
export async function runStandaloneTour(): Promise<StandaloneTour> {
  const lab = await startLab({
    inMemory: true,
    port: 0,
    config: {
      issuers: [
        {
          name: 'okta',
          clients: [{ client_id: TOUR_OKTA_CLIENT_ID, client_secret: 'tour-secret', redirect_uris: [TOUR_REDIRECT_URI], default_audience: 'api://default' }],
          resources: [{ indicator: 'api://default', scopes: ['openid', 'profile', 'email'] }],
          users: [ALICE],
        },
      ],
    },
  });
  const sender = sdkSender({ region: 'us-east-1', endpoint: lab.url, credentials: CREDENTIALS });
  try {
    return await tour(lab, sender);
  } finally {
    sender.destroy();
    await lab.close();
  }
}

async function tour(lab: Lab, sender: SdkSender): Promise<StandaloneTour> {
  const problems: string[] = [];
  const admin = (op: string, input: Record<string, unknown>) => sender.send('sso-admin', op, input);

  // 1. An account instance, a user, a customer managed application with authorization_code.
  const setupCalls: TourCall[] = [];
  const { InstanceArn } = (await admin('CreateInstance', { Name: 'standalone' })) as { InstanceArn: string };
  const described = (await admin('DescribeInstance', { InstanceArn })) as { IdentityStoreId: string; OwnerAccountId: string };
  // The API has no member for the instance type; the lab keeps it, and this lab is in this process.
  const instanceType = lab.services.identityCenter.state.read.instances[InstanceArn]?.InstanceType;
  if (instanceType !== 'ACCOUNT') problems.push(`CreateInstance made an instance of type ${String(instanceType)}, not ACCOUNT`);
  setupCalls.push({ call: 'CreateInstance', detail: `${InstanceArn} — an account instance of account ${described.OwnerAccountId}, identity store ${described.IdentityStoreId}` });
  const { UserId } = (await sender.send('identitystore', 'CreateUser', {
    IdentityStoreId: described.IdentityStoreId,
    UserName: 'alice',
    DisplayName: ALICE.name,
    Name: { GivenName: 'Alice', FamilyName: 'Example' },
    Emails: [{ Value: ALICE.email, Primary: true, Type: 'work' }],
  })) as { UserId: string };
  setupCalls.push({ call: 'CreateUser', detail: `alice (${ALICE.email}) → ${UserId}` });
  const appName = 'my-web-app';
  const { ApplicationArn } = (await admin('CreateApplication', { InstanceArn, ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom', Name: appName })) as { ApplicationArn: string };
  setupCalls.push({ call: 'CreateApplication', detail: `${appName} (customer managed) → ${ApplicationArn}` });
  await admin('PutApplicationGrant', { ApplicationArn, GrantType: 'authorization_code', Grant: { AuthorizationCode: { RedirectUris: [TOUR_REDIRECT_URI] } } });
  setupCalls.push({ call: 'PutApplicationGrant', detail: `authorization_code, RedirectUris ${q([TOUR_REDIRECT_URI])}` });
  const actorPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sso-oauth:CreateTokenWithIAM', Resource: '*' }] };
  await admin('PutApplicationAuthenticationMethod', { ApplicationArn, AuthenticationMethodType: 'IAM', AuthenticationMethod: { Iam: { ActorPolicy: actorPolicy } } });
  setupCalls.push({ call: 'PutApplicationAuthenticationMethod', detail: `IAM: the ActorPolicy lets account ${ACCOUNT} call sso-oauth:CreateTokenWithIAM` });
  await admin('CreateApplicationAssignment', { ApplicationArn, PrincipalId: UserId, PrincipalType: 'USER' });
  setupCalls.push({ call: 'CreateApplicationAssignment', detail: 'alice' });

  // 2. The PKCE sign-in through the instance's login page, and the code redeemed.
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const authorize = new URL(`${lab.url}/identity-center/${InstanceArn.split('/').pop()}/authorize`);
  for (const [k, v] of Object.entries({ client_id: ApplicationArn, redirect_uri: TOUR_REDIRECT_URI, response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', state })) authorize.searchParams.set(k, v);
  const page = await fetch(authorize, { redirect: 'manual' });
  const html = await page.text();
  const forms = formsOf(html);
  const form = forms.find((f) => f.fields.user_id === UserId);
  if (page.status !== 200 || !form) throw new Error(`the login page did not offer alice (${page.status}): ${page.headers.get('x-tti-lab-reason') ?? html.slice(0, 200)}`);
  const posted = await fetch(new URL(form.action, authorize), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form.fields).toString() });
  const location = posted.headers.get('location');
  if (posted.status !== 302 || !location) throw new Error(`the login form did not redirect (${posted.status}): ${posted.headers.get('x-tti-lab-reason') ?? ''}`);
  const callback = new URL(location, authorize);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`the redirect carries no code: ${callback.search}`);
  const stateMatches = callback.searchParams.get('state') === state;
  if (!stateMatches) problems.push('the redirect\'s state is not the one sent');
  const tokens = (await sender.send('sso-oidc', 'CreateTokenWithIAM', { clientId: ApplicationArn, grantType: 'authorization_code', code, redirectUri: TOUR_REDIRECT_URI, codeVerifier: verifier })) as {
    tokenType: string;
    expiresIn: number;
    scope: string[];
    accessToken: string;
    idToken: string;
  };
  const idClaims = decodeJwt(tokens.idToken) as Record<string, unknown>;
  const redirectShown = `${callback.origin}${callback.pathname}?code=${code.slice(0, 6)}…&state=${callback.searchParams.get('state')}`;

  // 3. Identity Center registered as its own trusted token issuer.
  const icCalls: TourCall[] = [];
  const issuerUrl = String(idClaims.iss);
  const { TrustedTokenIssuerArn: selfArn } = (await admin('CreateTrustedTokenIssuer', {
    InstanceArn,
    Name: 'identity-center-itself',
    TrustedTokenIssuerType: 'OIDC_JWT',
    TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: issuerUrl, ClaimAttributePath: 'sub', IdentityStoreAttributePath: 'id', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
  })) as { TrustedTokenIssuerArn: string };
  icCalls.push({ call: 'CreateTrustedTokenIssuer', detail: `IssuerUrl ${issuerUrl} → accepted: Identity Center does not check the URL when a trusted token issuer is created` });
  const idAud = idClaims.aud;
  await admin('PutApplicationGrant', { ApplicationArn, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: selfArn, AuthorizedAudiences: [String(idAud)] }] } } });
  icCalls.push({ call: 'PutApplicationGrant', detail: `jwt-bearer: trusted token issuer identity-center-itself, AuthorizedAudiences ${q([String(idAud)])} (the idToken's own aud)` });
  const selfRefusal = await refusal(lab, sender, { clientId: ApplicationArn, grantType: JWT_BEARER, assertion: tokens.idToken });
  icCalls.push({ call: 'CreateTokenWithIAM', detail: selfRefusal ? `jwt-bearer, assertion = the idToken above → ${selfRefusal.exception} (${selfRefusal.status} ${selfRefusal.error})` : 'jwt-bearer, assertion = the idToken above → accepted (unexpected)', ...(selfRefusal ? { refusal: selfRefusal } : {}) });
  if (!selfRefusal) problems.push('Identity Center\'s own idToken was accepted as a jwt-bearer assertion');
  else if (selfRefusal.key !== 'issuer.identity_center' || selfRefusal.keysFetched) problems.push(`the idToken was refused at ${selfRefusal.step} (${selfRefusal.key}), not at issuer-trusted (issuer.identity_center)`);
  await admin('DeleteTrustedTokenIssuer', { TrustedTokenIssuerArn: selfArn });
  icCalls.push({ call: 'DeleteTrustedTokenIssuer', detail: 'identity-center-itself: it can never vouch for anyone' });

  // 4. What AuthorizedAudiences expects: the aud of the external IdP's ID token.
  const audCalls: TourCall[] = [];
  const okta = lab.issuer('okta');
  const { token: oktaIdToken } = await okta.mint({
    user: ALICE.sub,
    claims: { aud: TOUR_OKTA_CLIENT_ID, ver: 1, amr: ['pwd'], idp: '00o1lab2okta3idp4', nonce: randomBytes(8).toString('hex'), auth_time: Math.floor(lab.services.clock.now() / 1000) },
    exp: '+1h',
  });
  const oktaClaims = decodeJwt(oktaIdToken) as Record<string, unknown>;
  // The value is read from the token, as a user should: never typed from a settings page.
  const audValues = typeof oktaClaims.aud === 'string' ? [oktaClaims.aud] : (oktaClaims.aud as string[]);
  const { TrustedTokenIssuerArn: oktaArn } = (await admin('CreateTrustedTokenIssuer', {
    InstanceArn,
    Name: 'okta',
    TrustedTokenIssuerType: 'OIDC_JWT',
    TrustedTokenIssuerConfiguration: { OidcJwtConfiguration: { IssuerUrl: okta.url, ClaimAttributePath: 'email', IdentityStoreAttributePath: 'emails.value', JwksRetrievalOption: 'OPEN_ID_DISCOVERY' } },
  })) as { TrustedTokenIssuerArn: string };
  audCalls.push({ call: 'CreateTrustedTokenIssuer', detail: `okta, IssuerUrl ${okta.url} (the token's iss), email → emails.value` });
  await admin('PutApplicationGrant', { ApplicationArn, GrantType: JWT_BEARER, Grant: { JwtBearer: { AuthorizedTokenIssuers: [{ TrustedTokenIssuerArn: oktaArn, AuthorizedAudiences: audValues }] } } });
  audCalls.push({ call: 'PutApplicationGrant', detail: `jwt-bearer: trusted token issuer okta, AuthorizedAudiences ${q(audValues)} (the Okta ID token's aud)` });
  let accepted: StandaloneTour['trustedIssuerAud']['accepted'] = null;
  try {
    const exchanged = (await sender.send('sso-oidc', 'CreateTokenWithIAM', { clientId: ApplicationArn, grantType: JWT_BEARER, assertion: oktaIdToken })) as { idToken: string };
    accepted = { idTokenClaims: decodeJwt(exchanged.idToken) as Record<string, unknown> };
    const act = (accepted.idTokenClaims.act as { sub?: unknown } | undefined)?.sub;
    audCalls.push({ call: 'CreateTokenWithIAM', detail: 'jwt-bearer, assertion = the Okta ID token → accepted', note: `an Identity Center idToken for alice (sub ${q(accepted.idTokenClaims.sub)}), act.sub ${q(act)}: the trusted token issuer that vouched` });
  } catch (err) {
    const reason = errorHeader(err, 'x-tti-lab-reason');
    problems.push(`the Okta ID token was refused: ${(err as Error).name}${reason ? ` — ${reason}` : ''}`);
    audCalls.push({ call: 'CreateTokenWithIAM', detail: `jwt-bearer, assertion = the Okta ID token → ${(err as Error).name} (unexpected)` });
  }
  const { token: oktaAccessToken } = await okta.mint({ user: ALICE.sub, header: { typ: 'at+jwt' }, claims: { aud: 'api://default', cid: TOUR_OKTA_CLIENT_ID, scp: ['openid', 'email'], ver: 1 }, exp: '+1h' });
  const accessRefusal = await refusal(lab, sender, { clientId: ApplicationArn, grantType: JWT_BEARER, assertion: oktaAccessToken });
  if (!accessRefusal) problems.push('the Okta access token (aud api://default) was accepted');
  audCalls.push({
    call: 'CreateTokenWithIAM',
    detail: accessRefusal ? `jwt-bearer, assertion = an Okta access token (aud "api://default") → ${accessRefusal.exception} (${accessRefusal.status} ${accessRefusal.error})` : 'jwt-bearer, assertion = an Okta access token → accepted (unexpected)',
    ...(accessRefusal ? { refusal: accessRefusal } : {}),
  });

  return {
    version: STANDALONE_TOUR_VERSION,
    ok: problems.length === 0,
    problems,
    lab: lab.url,
    setup: {
      calls: setupCalls,
      instance: { instanceArn: InstanceArn, identityStoreId: described.IdentityStoreId, ownerAccountId: described.OwnerAccountId, type: String(instanceType) },
      application: { name: appName, applicationArn: ApplicationArn, redirectUri: TOUR_REDIRECT_URI },
      user: { userName: 'alice', userId: UserId },
    },
    signIn: {
      authorizeUrl: authorize.href,
      loginPage: { status: page.status, buttons: forms.map((f) => f.button) },
      redirect: redirectShown,
      stateMatches,
      tokens: { tokenType: tokens.tokenType, expiresIn: tokens.expiresIn, scope: tokens.scope, accessToken: tokens.accessToken, idToken: tokens.idToken, idTokenClaims: idClaims },
      aud: {
        value: idAud,
        explanation:
          `an opaque value Identity Center chose for application ${appName}: not its ARN, not a client id you registered, and not something you configure. ` +
          'It says this idToken is for this application; it is not the value a trusted token issuer\'s AuthorizedAudiences asks for, and Identity Center signs no JWT for an audience you choose.',
      },
    },
    identityCenterAsIssuer: {
      calls: icCalls,
      issuerUrl,
      trustedTokenIssuerArn: selfArn,
      refusal: selfRefusal,
      why:
        'a trusted token issuer is an OAuth 2.0 server outside Identity Center. Identity Center has no endpoint that signs a user in and hands your application a JWT for an audience you choose, ' +
        'and its idToken is already the answer of an exchange. On an account instance, sign users in with the authorization_code grant (step 2): no trusted token issuer and no aud are needed.',
    },
    trustedIssuerAud: {
      calls: audCalls,
      issuer: { name: 'okta', url: okta.url },
      idToken: { token: oktaIdToken, claims: oktaClaims, aud: oktaClaims.aud },
      authorizedAudiences: audValues,
      accepted,
      accessToken: { token: oktaAccessToken, aud: 'api://default', refusal: accessRefusal },
      explanation:
        'AuthorizedAudiences (the console\'s "Aud claim") holds the aud claim of the tokens your external IdP issues to your application: for an ID token, your application\'s client id at that IdP. ' +
        'Copy it from a real token (tti-lab explain --offline "$TOKEN" decodes one), exactly: same case, same trailing slash.',
    },
  };
}
