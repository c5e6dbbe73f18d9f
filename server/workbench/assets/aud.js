import { allApplications, api, audFacts, code, el, json, loadOverview, option, renderTrace, setStatus, show } from './common.js';

const $ = (id) => document.getElementById(id);
const appSelect = $('lesson-app');
const tokenAud = $('token-aud');
const list = $('audiences');
const verdict = $('verdict');
const trace = $('trace');
let lessons = [];
let lesson;
let token;
let timer;
let checking = 0;

/** Applications the lesson can use: a jwt-bearer grant trusting an issuer of this lab (so it can mint). */
function lessonsOf(ov) {
  return allApplications(ov).flatMap((a) => {
    for (const j of a.jwtBearer) {
      const tti = a.instance.trustedTokenIssuers.find((t) => t.trustedTokenIssuerArn === j.trustedTokenIssuerArn && t.labIssuer);
      if (tti) return [{ app: a, issuer: ov.issuers.find((i) => i.name === tti.labIssuer), tti, saved: j.authorizedAudiences }];
    }
    return [];
  });
}

const audiences = () => [...list.querySelectorAll('input')].map((i) => i.value.trim()).filter(Boolean);
const tokenAudValues = () => tokenAud.value.split('\n').map((s) => s.trim()).filter(Boolean);

function addAudience(value = '', focus = false) {
  const n = list.children.length + 1;
  const input = el('input', { id: `audience-${n}`, value, spellcheck: 'false' });
  input.addEventListener('input', scheduleCheck);
  const remove = el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove audience ${n}` }, 'Remove');
  remove.addEventListener('click', () => {
    item.remove();
    renumber();
    scheduleCheck();
  });
  const item = el('li', {}, el('label', { for: input.id, class: 'visually-hidden' }, `Audience ${n}`), input, remove);
  list.append(item);
  if (focus) input.focus();
}

function renumber() {
  [...list.children].forEach((li, i) => {
    li.querySelector('label').textContent = `Audience ${i + 1}`;
    li.querySelector('button').setAttribute('aria-label', `Remove audience ${i + 1}`);
  });
}

function setAudiences(values) {
  list.replaceChildren();
  for (const v of values) addAudience(v);
  renumber();
  check();
}

function scheduleCheck() {
  clearTimeout(timer);
  timer = setTimeout(check, 350);
}

async function mint() {
  const auds = tokenAudValues();
  const user = lesson.issuer.users[0]?.sub;
  const req = { claims: { aud: auds.length === 0 ? null : auds.length === 1 ? auds[0] : auds }, exp: '+1h', ...(user ? { user } : {}) };
  const minted = await api(`/issuers/${encodeURIComponent(lesson.issuer.name)}/mint`, { method: 'POST', body: req });
  token = minted.token;
  show($('token-summary'), 'A token from issuer ', code(lesson.issuer.name), ' with aud ', code(json(minted.payload.aud ?? null)), minted.payload.sub ? [' for ', code(minted.payload.sub)] : null, '. The same token is checked each time.');
}

async function check() {
  clearTimeout(timer);
  if (!token) return;
  const mine = ++checking;
  const authorizedAudiences = audiences();
  if (authorizedAudiences.length === 0 || authorizedAudiences.length > 10) {
    verdict.dataset.verdict = 'error';
    verdict.dataset.audiences = JSON.stringify(authorizedAudiences);
    show(verdict, el('div', { class: 'banner info' }, el('strong', {}, 'Not a valid grant'), el('p', {}, `A jwt-bearer grant lists 1 to 10 audiences for each trusted token issuer; PutApplicationGrant refuses ${authorizedAudiences.length}. Add an audience.`)));
    trace.replaceChildren();
    return;
  }
  try {
    const report = await api('/_lab/explain', { method: 'POST', body: { token, applicationArn: lesson.app.applicationArn, whatIf: { authorizedAudiences } } });
    if (mine !== checking) return;
    const app = report.applications[0];
    const step = app.trace.find((t) => t.step === 'audience-authorized');
    const v = step?.verdict ?? 'skip';
    verdict.dataset.verdict = v;
    verdict.dataset.audiences = JSON.stringify(authorizedAudiences);
    const head =
      v === 'pass'
        ? el('div', { class: 'banner pass' }, el('strong', { class: 'big' }, 'PASS — Identity Center finds itself in aud'), el('p', {}, step.reason))
        : v === 'fail'
          ? el('div', { class: 'banner fail' }, el('strong', { class: 'big' }, 'FAIL — aud names none of these audiences'), el('p', {}, step.reason))
          : el('div', { class: 'banner info' }, el('strong', { class: 'big' }, 'Not reached'), el('p', {}, `An earlier check failed (${app.failure?.step}): ${app.failure?.reason}`));
    show(verdict,
      head,
      step?.facts ? audFacts(step.facts) : null,
      v === 'fail' && app.aud.fixes.length ? [el('p', {}, el('strong', {}, 'How to fix it:')), el('ul', {}, app.aud.fixes.map((f) => el('li', {}, f)))] : null,
      el('p', { class: 'muted' }, app.outcome === 'accepted' ? 'With this list, the whole exchange would be accepted.' : `With this list, the exchange would stop at ${app.failure.step}.`),
    );
    show(trace, renderTrace(app.trace, { label: 'Trace of the read-only check' }));
  } catch (err) {
    if (mine !== checking) return;
    verdict.dataset.verdict = 'error';
    show(verdict, el('div', { class: 'banner info' }, el('strong', {}, 'Not a valid grant'), el('p', {}, err.message)));
    trace.replaceChildren();
  }
}

async function choose() {
  lesson = lessons.find((l) => l.app.applicationArn === appSelect.value);
  tokenAud.value = lesson.saved[0] ?? '';
  await mint();
  setAudiences(lesson.saved);
}

try {
  lessons = lessonsOf(await loadOverview());
  if (!lessons.length) throw new Error('no application here trusts one of this lab\'s issuers. Add one (docs/cookbook.md), or open the lab with examples/lab.yaml');
  show(appSelect, lessons.map((l) => option(l.app.applicationArn, `${l.app.name} — trusts ${l.tti.name}`)));
  appSelect.addEventListener('change', () => choose().catch((err) => setStatus(err.message, 'error')));
  $('add-audience').addEventListener('click', () => {
    addAudience('', true);
    renumber();
  });
  $('check').addEventListener('click', check);
  $('remint').addEventListener('click', async () => {
    try {
      await mint();
      await check();
    } catch (err) {
      setStatus(`Mint failed: ${err.message}`, 'error');
    }
  });
  for (const b of document.querySelectorAll('[data-preset]')) {
    b.addEventListener('click', () => {
      const first = tokenAudValues()[0] ?? lesson.saved[0] ?? 'client-id';
      const swapCase = first === first.toUpperCase() ? first.toLowerCase() : first.toUpperCase();
      const presets = { saved: lesson.saved, api: ['api://default'], case: [swapCase], slash: [`${first}/`] };
      setAudiences(presets[b.dataset.preset]);
    });
  }
  await choose();
  setStatus('');
} catch (err) {
  setStatus(`The lesson cannot start: ${err.message}`, 'error');
}
document.body.dataset.ready = 'true';
