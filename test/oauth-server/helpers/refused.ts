import type { Test } from 'tap';
import { labReason } from '../../exchange/helpers/tip-lab.js';

export type TapTest = Test;

/** Expects an SDK call to fail with exactly this exception and status, at this step; returns the lab's reason. */
export async function refused(t: TapTest, call: Promise<unknown>, expected: { name: string; status: number; step: string }): Promise<string> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!err) {
    t.fail(`expected ${expected.name} at ${expected.step}, the call succeeded`);
    return '';
  }
  const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
  t.equal(e.name, expected.name, 'exception');
  t.equal(e.$metadata?.httpStatusCode, expected.status, 'status');
  const why = labReason(err);
  t.match(why, new RegExp(`^${expected.step}: `), `failed at ${expected.step}`);
  return why;
}
