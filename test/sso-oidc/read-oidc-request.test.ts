import t from 'tap';
import { readOidcRequest } from '../../server/identity-center/sso-oidc/read-oidc-request.js';

const body = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

t.test("the body read by the sso-oidc model: the operation's members only, required members left to the steps", async (t) => {
  t.same(await readOidcRequest('CreateTokenWithIAM', body({ clientId: 'c', scope: ['openid'], clientSecret: 'not a CreateTokenWithIAM member', extra: 1 })), { clientId: 'c', scope: ['openid'] });
  t.same(await readOidcRequest('CreateToken', body({ grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: 'd' })), { grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: 'd' }, 'no clientId: not refused here');
  t.same(await readOidcRequest('StartDeviceAuthorization', body({ clientId: null, startUrl: 'u' })), { startUrl: 'u' }, 'null is absent');
  t.same(await readOidcRequest('RegisterClient', body('')), {}, 'an empty body is an empty input');
});

t.test('what is not the modelled shape says why, for the profile\'s request.malformed', async (t) => {
  t.equal(await readOidcRequest('CreateTokenWithIAM', body('{"clientId":')), 'the body is not valid JSON');
  t.equal(await readOidcRequest('CreateTokenWithIAM', body('[]')), 'the body must be a JSON object');
  t.equal(await readOidcRequest('CreateTokenWithIAM', body({ clientId: 1 })), "the body is not CreateTokenWithIAM's modelled shape: Unexpected value type for 'clientId': expected string, got number");
  t.equal(await readOidcRequest('RegisterClient', body({ scopes: 'openid' })), "the body is not RegisterClient's modelled shape: Unexpected value type for 'scopes': expected list, got string");
  t.equal(await readOidcRequest('CreateToken', body({ scope: [null] })), "the body is not CreateToken's modelled shape: 1 validation error detected: Value null at 'scope.1.member' failed to satisfy constraint: Member must not be null");
});
