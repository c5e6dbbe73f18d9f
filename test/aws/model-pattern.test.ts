import t from 'tap';
import type { ConstraintTable } from '../../server/aws/model/constraint-table.js';
import { ModelPattern } from '../../server/aws/input-validator.js';
import { IDENTITY_STORE_CONSTRAINTS } from '../../server/identity-center/identity-store/identity-store-constraints.js';

const shapes: ConstraintTable['shapes'] = IDENTITY_STORE_CONSTRAINTS.shapes;

// A ModelPattern builds its RegExp on the first test, not when the constraint table loads at the
// lab's start: every pattern of the Identity Store's table must still be one JavaScript reads, matched whole.
t.test('every Identity Store shape pattern compiles and matches the whole value', async (t) => {
  const patterns = Object.entries(shapes).flatMap(([name, shape]) => (shape.pattern ? [[name, shape.pattern] as const] : []));
  t.ok(patterns.length >= 9, 'the shapes have patterns');
  for (const [name, pattern] of patterns) t.doesNotThrow(() => pattern.test('x'), name);
  t.equal(shapes.AttributePath!.pattern!.test('name.givenName'), true);
  t.equal(shapes.AttributePath!.pattern!.test('name.givenName!'), false, 'matched whole, not a prefix');
  t.equal(shapes.ExternalIdIssuer!.pattern!.test('ARN:x'), false, 'the spelled-out (?i) lookahead');
  t.equal(shapes.ExternalIdIssuer!.pattern!.source, '(?!(?i)(arn|aws):)[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+', "source is the model's text");
});

t.test('a pattern JavaScript cannot read throws when it is first used', async (t) => {
  const bad = new ModelPattern('(?i)x');
  t.throws(() => bad.test('x'), SyntaxError);
});
