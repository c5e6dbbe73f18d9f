import t from 'tap';
import { createHash } from 'node:crypto';
import { randomBase64url } from '../../server/util/random-base64url.js';
import { sha256 } from '../../server/util/sha256.js';

t.test('sha256 is SHA-256: the FIPS 180-2 vector, UTF-8 strings, Buffers', async (t) => {
  t.equal(sha256('abc', 'hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  t.equal(sha256('', 'base64url'), '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU');
  for (const data of ['é✓ naïve', Buffer.from([0, 255, 1, 254])]) {
    t.equal(sha256(data, 'hex'), createHash('sha256').update(data).digest('hex'));
    t.equal(sha256(data, 'base64url'), createHash('sha256').update(data).digest('base64url'));
  }
});

t.test('randomBase64url: the asked length, never a repeat across pool refills', async (t) => {
  t.equal(Buffer.from(randomBase64url(48), 'base64url').length, 48);
  t.equal(Buffer.from(randomBase64url(4096), 'base64url').length, 4096, 'a whole pool at once');
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i += 1) seen.add(randomBase64url(48)); // ~23 refills of the 4 KiB pool
  t.equal(seen.size, 2000, 'all distinct');
  const bytes = Buffer.from([...seen].join(''), 'base64url');
  const ones = [...bytes].reduce((n, b) => n + b.toString(2).replaceAll('0', '').length, 0);
  t.ok(Math.abs(ones / (bytes.length * 8) - 0.5) < 0.01, `about half the bits set (${(ones / (bytes.length * 8)).toFixed(4)})`);
  for (const bad of [0, -1, 4097, 1.5, Number.NaN]) t.throws(() => randomBase64url(bad), RangeError, `${bad} refused`);
});
