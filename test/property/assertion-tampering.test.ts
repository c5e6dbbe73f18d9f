import t from 'tap';
import fc from 'fast-check';
import { base64url } from 'jose';
import { startPropertyLab } from './helpers/property-lab.js';

/**
 * Property: change the signed bytes of a valid assertion in any way — flip, insert or delete a
 * byte of the header, the payload or the signature — and CreateTokenWithIAM refuses it. Never a
 * success, never a 5xx. The valid assertion itself is never exchanged, so replay protection plays
 * no part: what refuses a mutant is the check that should.
 *
 * Bounded and reproducible: fixed seed, fixed number of runs (docs/reliability.md records them).
 */
export const SEED = 20261126;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 250);

const pl = await startPropertyLab();
t.teardown(() => pl.tip.lab.close());
const valid = await pl.tip.mint({ exp: '+1h' });
const [h, p, s] = valid.split('.') as [string, string, string];
const parts = { header: base64url.decode(h), payload: base64url.decode(p), signature: base64url.decode(s) };
const body = (assertion: string) => ({ clientId: pl.tip.applicationArn, grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });

// The unmutated token would pass (checked on a copy with another jti, so `valid` stays unused).
t.equal((await pl.createTokenWithIam(body(await pl.tip.mint({ exp: '+1h' })))).status, 200, 'a fresh valid assertion is accepted');

type Mutation = { part: keyof typeof parts; op: 'flip' | 'insert' | 'delete'; at: number; bit: number; byte: number };

function mutate(m: Mutation): string {
  const bytes = parts[m.part];
  const at = m.at % (bytes.length + (m.op === 'insert' ? 1 : 0));
  let out: Uint8Array;
  if (m.op === 'flip') {
    out = Uint8Array.from(bytes);
    out[at] = out[at]! ^ (1 << m.bit);
  } else if (m.op === 'insert') {
    out = new Uint8Array([...bytes.subarray(0, at), m.byte, ...bytes.subarray(at)]);
  } else {
    out = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
  }
  const enc = { header: h, payload: p, signature: s, [m.part]: base64url.encode(out) };
  return `${enc.header}.${enc.payload}.${enc.signature}`;
}

const mutation = fc.record({
  part: fc.constantFrom('header' as const, 'payload' as const, 'signature' as const),
  op: fc.constantFrom('flip' as const, 'insert' as const, 'delete' as const),
  at: fc.nat(),
  bit: fc.integer({ min: 0, max: 7 }),
  byte: fc.integer({ min: 0, max: 255 }),
});

t.test('a byte flipped, inserted or deleted in any part of a signed assertion is refused', async (t) => {
  const steps = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(mutation, async (m) => {
      const mutant = mutate(m);
      if (mutant === valid) return true; // cannot happen for a flip; an insert/delete always changes the length
      const a = await pl.createTokenWithIam(body(mutant));
      steps.set(a.step ?? '?', (steps.get(a.step ?? '?') ?? 0) + 1);
      return a.status >= 400 && a.status < 500 && a.json?.error !== undefined && a.json?.accessToken === undefined;
    }),
    { seed: SEED, numRuns: RUNS },
  );
  t.pass(`${RUNS} mutants refused; failed steps: ${JSON.stringify(Object.fromEntries(steps))}`);
});

t.test('a character changed anywhere in the signing input (header.payload text) is refused', async (t) => {
  const input = `${h}.${p}`;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  await fc.assert(
    fc.asyncProperty(fc.nat(), fc.constantFrom(...alphabet), async (i, ch) => {
      const at = i % input.length;
      if (input[at] === '.' || input[at] === ch) return true;
      const changed = `${input.slice(0, at)}${ch}${input.slice(at + 1)}`;
      const a = await pl.createTokenWithIam(body(`${changed}.${s}`));
      return a.status >= 400 && a.status < 500 && a.json?.accessToken === undefined;
    }),
    { seed: SEED + 1, numRuns: RUNS },
  );
  t.pass(`${RUNS} text mutants of the signing input refused`);
});

t.test('the untouched assertion still passes afterwards (the mutants did not spend it)', async (t) => {
  const a = await pl.createTokenWithIam(body(valid));
  t.equal(a.status, 200);
});
