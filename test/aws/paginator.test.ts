import t from 'tap';
import { AwsError } from '../../server/aws/aws-error.js';
import type { AwsCallContext } from '../../server/aws/aws-registry.js';
import type { ModelCall } from '../../server/aws/model/model-service.js';
import { paginator } from '../../server/aws/paginator.js';

/** The one paginator: a table per service, opaque tokens that name their list, the model's output bound. */

const paginate = paginator({
  source: 'test',
  invalidTokenMessage: 'Invalid NextToken',
  operations: {
    ListThings: { resultKey: 'Things', uniqueAttribute: 'Id', limitDefault: 3, limitMax: 4 },
    ListPairs: { resultKey: 'Pairs', uniqueAttribute: ['Type', 'Id'], limitDefault: 10 },
  },
});

const call = (name: string, input: Record<string, unknown>, accountId = '111111111111') =>
  ({ input, operation: { name, input: '', output: '', errors: [] }, ctx: { principal: { accountId } } as unknown as AwsCallContext, service: {} }) as unknown as ModelCall<AwsCallContext>;
const things = ['e', 'a', 'd', 'b', 'c', 'f'].map((Id) => ({ Id }));
const ids = (page: Record<string, unknown>) => (page.Things as { Id: string }[]).map((x) => x.Id);

t.test('pages in key order, the default size without MaxResults, never more than the output bound', async (t) => {
  const first = paginate(call('ListThings', { Scope: 'x' }), things);
  t.same(ids(first), ['a', 'b', 'c']);
  const second = paginate(call('ListThings', { Scope: 'x', NextToken: first.NextToken }), things);
  t.same(ids(second), ['d', 'e', 'f']);
  t.equal(second.NextToken, undefined, 'no token on the last page');
  t.same(ids(paginate(call('ListThings', { Scope: 'x', MaxResults: 100 }), things)), ['a', 'b', 'c', 'd'], 'limitMax caps MaxResults');
});

t.test('a token continues after the key it names, whatever changed in between', async (t) => {
  const first = paginate(call('ListThings', { MaxResults: 2 }), things);
  const fewer = things.filter((x) => x.Id !== 'b' && x.Id !== 'c');
  t.same(ids(paginate(call('ListThings', { MaxResults: 2, NextToken: first.NextToken }), fewer)), ['d', 'e']);
});

t.test('several unique attributes make one key', async (t) => {
  const pairs = [{ Type: 'USER', Id: '2' }, { Type: 'GROUP', Id: '9' }, { Type: 'USER', Id: '1' }];
  t.same(paginate(call('ListPairs', {}), pairs).Pairs, [{ Type: 'GROUP', Id: '9' }, { Type: 'USER', Id: '1' }, { Type: 'USER', Id: '2' }]);
});

t.test('a token from another list, another caller or nowhere is a ValidationException', async (t) => {
  const { NextToken } = paginate(call('ListThings', { Scope: 'x' }), things);
  const refused = (c: ModelCall<AwsCallContext>) => {
    try {
      paginate(c, things);
    } catch (err) {
      return err instanceof AwsError ? [err.type, err.message] : err;
    }
    return 'accepted';
  };
  t.same(refused(call('ListThings', { Scope: 'y', NextToken })), ['ValidationException', 'Invalid NextToken'], 'another filter');
  t.same(refused(call('ListThings', { Scope: 'x', NextToken }, '222222222222')), ['ValidationException', 'Invalid NextToken'], 'another caller');
  t.same(refused(call('ListThings', { Scope: 'x', NextToken: 'garbage' })), ['ValidationException', 'Invalid NextToken']);
  t.same(ids(paginate(call('ListThings', { Scope: 'x', NextToken, MaxResults: 1 }), things)), ['d'], 'MaxResults is not part of the list');
  t.throws(() => paginate(call('ListOther', {}), things), /not in the pagination table/);
});
