import t from 'tap';
import { ModelPattern } from '../../server/aws/input-validator.js';
import { shapes } from '../../server/identity-center/identity-store/identity-store-shapes.js';

// A ModelPattern builds its RegExp on the first test, not when the shapes load at the lab's start:
// every pattern of the Identity Store shapes must still be one JavaScript reads, matched whole.
t.test('every Identity Store shape pattern compiles and matches the whole value', async (t) => {
  const patterns = Object.entries(shapes).flatMap(([name, shape]) => ('pattern' in shape ? [[name, shape.pattern] as const] : []));
  t.ok(patterns.length >= 9, 'the shapes have patterns');
  for (const [name, pattern] of patterns) t.doesNotThrow(() => pattern.test('x'), name);
  t.equal(shapes.AttributePath.pattern.test('name.givenName'), true);
  t.equal(shapes.AttributePath.pattern.test('name.givenName!'), false, 'matched whole, not a prefix');
  t.equal(shapes.ExternalIdIssuer.pattern.test('ARN:x'), false, 'the spelled-out (?i) lookahead');
  t.equal(shapes.ExternalIdIssuer.pattern.source, '(?!(?i)(arn|aws):)[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+', "source is the model's text");
});

t.test('a pattern JavaScript cannot read throws when it is first used', async (t) => {
  const bad = new ModelPattern('(?i)x');
  t.throws(() => bad.test('x'), SyntaxError);
});
