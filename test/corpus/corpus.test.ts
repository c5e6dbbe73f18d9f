import t from 'tap';
import { fileURLToPath } from 'node:url';
import { loadCorpus } from './helpers/corpus-case.js';
import { startCorpusLab } from './helpers/corpus-lab.js';
import { shapeProblems } from './helpers/expect-shape.js';
import { awsFetch } from '../aws/helpers/sign-request.js';
import { LAB_REASON_HEADER, readLabReason } from '../../server/aws/protocols/lab-reason-header.js';

/**
 * The bad-input corpus (test/corpus/cases/): every malformed request gets the error its protocol
 * defines — awsJson `{__type, Message}`, SSO OIDC `{error}` with the Coral x-amzn-ErrorType,
 * awsQuery `<ErrorResponse>`, the lab's `{error, message}`, oidc-provider's OAuth error — the
 * Identity Center state is unchanged by it, and the lab keeps serving. Cases go through inject()
 * unless they need a real socket (header-level cases).
 *
 * CORPUS_PROBE=1 prints what each case actually got, to write a new case's expectation from.
 */
const corpus = await loadCorpus(fileURLToPath(new URL('./cases/', import.meta.url)));
const only = process.env.CORPUS_ONLY;
const cases = only ? corpus.cases.filter((c) => c.id.includes(only)) : corpus.cases;
const probe = process.env.CORPUS_PROBE === '1';

const lab = await startCorpusLab();
t.teardown(() => lab.tip.lab.close());
const state = () => JSON.stringify(lab.tip.lab.services.identityCenter.state.read);

if (!only) t.ok(corpus.cases.length >= 300, `the corpus holds ${corpus.cases.length} requests (${corpus.files.map((f) => `${f.file}: ${f.cases}`).join(', ')})`);

for (const { file } of corpus.files) {
  const inFile = cases.filter((c) => c.file === file);
  if (!inFile.length) continue;
  t.test(file, async (t) => {
    for (const c of inFile) {
      const before = state();
      let res;
      try {
        res = await lab.send(c);
      } catch (err) {
        t.fail(`${c.id}: no response (${(err as Error).message})`);
        continue;
      }
      if (probe) {
        const text = res.body.toString('utf8');
        console.log(JSON.stringify({ id: c.id, status: res.status, type: res.headers['x-amzn-errortype'], reason: readLabReason(res.headers[LAB_REASON_HEADER]).slice(0, 160), body: text.slice(0, 240), ...(text.length <= 4000 ? { full: text } : {}) }));
      }
      const problems = shapeProblems(res, c.expect);
      t.same(problems, [], `${c.id} (${lab.describe(c)})`);
      t.equal(state(), before, `${c.id}: state unchanged`);
    }
  });
}

t.test('afterwards the lab still serves every protocol', async (t) => {
  const base = lab.tip.lab.url;
  const listUsers = await awsFetch({ baseUrl: base, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSIdentityStore.ListUsers' }, body: JSON.stringify({ IdentityStoreId: lab.vars.identityStoreId }) });
  t.equal(listUsers.status, 200, 'Identity Store over a socket');
  const exchanged = await lab.tip.exchange({ assertion: await lab.tip.mint() });
  t.ok(exchanged.accessToken, 'CreateTokenWithIAM through the SDK');
  const discovery = await fetch(`${lab.vars.issuerUrl}/.well-known/openid-configuration`);
  t.equal(discovery.status, 200, 'issuer discovery');
  const health = await fetch(`${base}/_lab/health`);
  t.equal(health.status, 200, 'control API');
});
