import t from 'tap';
import { startLab } from '../../server/lab/start-lab.js';
import { buildApp } from '../../server/app/build-app.js';

// buildApp hands fastify compilers that load ajv and fast-json-stringify on the first route with a
// schema (none of the lab's has one; the CLI bundle leaves both out): such a route still validates
// its body and serialises its answer as fastify's defaults would.
t.test('a route with a schema validates and serialises', async (t) => {
  const lab = await startLab({ config: {}, inMemory: true });
  t.teardown(() => lab.close());
  const app = await buildApp(lab.services);
  t.teardown(() => app.close());
  const schema = {
    body: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
    response: { 200: { type: 'object', properties: { n: { type: 'number' } } } },
  };
  app.post<{ Body: { n: number } }>('/schema', { schema }, async (req) => ({ n: req.body.n, dropped: 'by the serialiser' }));
  const ok = await app.inject({ method: 'POST', url: '/schema', payload: { n: 2 }, headers: { host: 'localhost' } });
  t.equal(ok.statusCode, 200);
  t.equal(ok.body, '{"n":2}');
  const bad = await app.inject({ method: 'POST', url: '/schema', payload: { m: 2 }, headers: { host: 'localhost' } });
  t.equal(bad.statusCode, 400);
  t.same(bad.json(), { error: 'invalid_request', message: "body must have required property 'n'" });
});
