import t from 'tap';
import { randomBytes } from 'node:crypto';
import { IdentityContextSeal } from '../../server/identity-center/sso-oidc/tokens/identity-context-seal.js';

const secret = randomBytes(32);
const seal = new IdentityContextSeal(secret);
const payload = { sub: '1234567890-8f1c2f2e-4d8a-4a43-9f0e-1d2c3b4a5e6f', application_arn: 'arn:aws:sso::000000000000:application/ssoins-1234567890abcdef/apl-abc', exp: 1 };

t.test('a sealed context is standard base64 that hides its payload, and opens to it under the same secret', async (t) => {
  const sealed = seal.seal(payload);
  t.match(sealed, /^[A-Za-z0-9+/]+={0,2}$/, 'standard base64 with padding');
  t.equal(sealed.length % 4, 0);
  const bytes = Buffer.from(sealed, 'base64');
  t.equal(bytes[0], 1, 'a version byte, then nonce, ciphertext and tag');
  t.notOk(bytes.toString('latin1').includes('application'), 'no readable payload inside');
  t.notOk(bytes.toString('latin1').includes(payload.sub), 'the user id is not readable');
  t.same(seal.open(sealed), payload);
  t.same(new IdentityContextSeal(Buffer.from(secret)).open(sealed), payload, 'the same secret (after a restart) opens it');
  t.not(seal.seal(payload), sealed, 'a fresh nonce each time: two seals of one payload differ');
});

t.test('any change, truncation, other key or other shape is refused', async (t) => {
  const sealed = seal.seal(payload);
  const bytes = Buffer.from(sealed, 'base64');
  for (let i = 0; i < bytes.length; i += 1) {
    const changed = Buffer.from(bytes);
    changed[i]! ^= 0x01;
    if (seal.open(changed.toString('base64')) !== undefined) t.fail(`a flipped bit in byte ${i} opened`);
  }
  t.pass('a flipped bit in any byte is refused');
  t.equal(seal.open(bytes.subarray(0, bytes.length - 1).toString('base64')), undefined, 'cut by one byte');
  t.equal(seal.open(bytes.subarray(0, 20).toString('base64')), undefined, 'cut short');
  t.equal(seal.open(Buffer.concat([bytes, Buffer.of(0)]).toString('base64')), undefined, 'one byte added');
  t.equal(new IdentityContextSeal(randomBytes(32)).open(sealed), undefined, 'another lab\'s secret');
  t.equal(seal.open(bytes.toString('base64url')), undefined, 'base64url is not the format');
  t.equal(seal.open(`${sealed}\n`), undefined, 'trailing garbage');
  for (const bad of ['', '====', 'AAAA', 'not base64!', 'ttic1.e30.abc']) t.equal(seal.open(bad), undefined, JSON.stringify(bad));
});
