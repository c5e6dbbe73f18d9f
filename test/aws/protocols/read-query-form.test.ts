import t from 'tap';
import { readQueryForm } from '../../../server/aws/protocols/read-query-form.js';
import { loadServiceModels } from '../../../server/aws/model/service-models.js';
import type { ServiceModel } from '../../../server/aws/model/service-model.js';

const SERVICE_MODELS = await loadServiceModels();

const sts = SERVICE_MODELS.sts;

t.test('an awsQuery form becomes the operation input by the model: members, member lists, numbers', async (t) => {
  const form = new URLSearchParams({
    Action: 'AssumeRole',
    Version: '2011-06-15',
    RoleArn: 'arn:aws:iam::123456789012:role/R',
    RoleSessionName: 's1',
    DurationSeconds: '900',
    'ProvidedContexts.member.1.ProviderArn': 'p1',
    'ProvidedContexts.member.1.ContextAssertion': 'c1',
    'ProvidedContexts.member.2.ProviderArn': 'p2',
    'ProvidedContexts.member.4.ProviderArn': 'after a gap: not read',
    'Tags.member.1.Key': 'k',
    'Tags.member.1.Value': 'v',
    'TransitiveTagKeys.member.1': 'k',
    Unknown: 'ignored',
  });
  t.same(readQueryForm(sts, 'AssumeRoleRequest', form), {
    RoleArn: 'arn:aws:iam::123456789012:role/R',
    RoleSessionName: 's1',
    DurationSeconds: 900,
    Tags: [{ Key: 'k', Value: 'v' }],
    TransitiveTagKeys: ['k'],
    ProvidedContexts: [{ ProviderArn: 'p1', ContextAssertion: 'c1' }, { ProviderArn: 'p2' }],
  });
});

t.test('a value that does not convert stays text, for readInput to refuse by its type; the first of a repeated key counts', async (t) => {
  const form = new URLSearchParams('RoleArn=a&RoleArn=b&DurationSeconds=abc');
  t.same(readQueryForm(sts, 'AssumeRoleRequest', form), { RoleArn: 'a', DurationSeconds: 'abc' });
  t.same(readQueryForm(sts, 'AssumeRoleRequest', new URLSearchParams('DurationSeconds=1e400')), { DurationSeconds: Infinity });
});

t.test('maps (entry.N.key / value), booleans and timestamps by their type', async (t) => {
  const model = {
    ...sts,
    shapes: {
      In: { type: 'structure', members: { Attrs: { target: 'Map<String,String>' }, On: { target: 'Boolean' }, At: { target: 'Timestamp' } }, required: [] },
    },
  } as unknown as ServiceModel;
  const form = new URLSearchParams({ 'Attrs.entry.1.key': '__proto__', 'Attrs.entry.1.value': 'x', 'Attrs.entry.2.key': 'b', 'Attrs.entry.2.value': 'y', On: 'true', At: '2026-06-01T12:00:00Z' });
  const read = readQueryForm(model, 'In', form);
  t.same(Object.entries(read.Attrs as object), [['__proto__', 'x'], ['b', 'y']], 'a key named __proto__ is an ordinary key');
  t.equal(read.On, true);
  t.same(read.At, new Date('2026-06-01T12:00:00Z'));
  t.same(readQueryForm(model, 'In', new URLSearchParams('On=yes')), { On: 'yes' });
});
