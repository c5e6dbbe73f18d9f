import t from 'tap';
import fc from 'fast-check';
import { oneEditApart } from '../../server/util/one-edit-apart.js';

t.test('each kind of single edit, with its index', async (t) => {
  t.same(oneEditApart('0oa1b2c3', '0oa1b2c4'), { kind: 'substitution', index: 7, from: '3', to: '4' });
  t.same(oneEditApart('Xoa1', '0oa1'), { kind: 'substitution', index: 0, from: 'X', to: '0' });
  t.same(oneEditApart('0oa1b2c', '0oa1b2c3'), { kind: 'insertion', index: 7, to: '3' });
  t.same(oneEditApart('oa1', '0oa1'), { kind: 'insertion', index: 0, to: '0' });
  t.same(oneEditApart('0oa1b2c33', '0oa1b2c3'), { kind: 'deletion', index: 8, from: '3' });
  t.same(oneEditApart('0oax1', '0oa1'), { kind: 'deletion', index: 3, from: 'x' });
  t.same(oneEditApart('0ao1', '0oa1'), { kind: 'transposition', index: 1, from: 'ao', to: 'oa' });
  t.same(oneEditApart('', 'a'), { kind: 'insertion', index: 0, to: 'a' });
});

t.test('equal, or two or more edits apart: undefined', async (t) => {
  for (const [a, b] of [
    ['same', 'same'],
    ['', ''],
    ['0oa1b2c3', '0oa1b2'],
    ['abcd', 'abdc1'],
    ['abcd', 'axcy'],
    ['abc', 'cba'],
    ['api://default', '0oa1b2c3d4e5f6g7h8i9'],
  ]) {
    t.equal(oneEditApart(a!, b!), undefined, `${a} / ${b}`);
  }
});

t.test('applying the edit it reports turns one string into the other', async (t) => {
  const apply = (s: string, e: NonNullable<ReturnType<typeof oneEditApart>>) =>
    e.kind === 'substitution' ? s.slice(0, e.index) + e.to + s.slice(e.index + 1)
      : e.kind === 'insertion' ? s.slice(0, e.index) + e.to + s.slice(e.index)
        : e.kind === 'deletion' ? s.slice(0, e.index) + s.slice(e.index + 1)
          : s.slice(0, e.index) + e.to + s.slice(e.index + 2);
  fc.assert(
    fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
      const e = oneEditApart(a, b);
      if (e) return apply(a, e) === b;
      return true;
    }),
  );
  // And every single edit of a string is found.
  fc.assert(
    fc.property(fc.string({ minLength: 2, maxLength: 12, unit: fc.constantFrom('a', 'b', 'c') }), fc.nat(), fc.constantFrom('a', 'b', 'c', 'd'), (s, n, c) => {
      const i = n % s.length;
      for (const other of [s.slice(0, i) + s.slice(i + 1), s.slice(0, i) + c + s.slice(i), s.slice(0, i) + c + s.slice(i + 1)]) {
        if (other !== s && !oneEditApart(s, other)) return false;
      }
      return true;
    }),
  );
});
