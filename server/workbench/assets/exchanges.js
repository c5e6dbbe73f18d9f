import { allApplications, api, code, el, failureLine, loadOverview, renderTrace, setStatus, show } from './common.js';

const entries = document.getElementById('entries');
const filter = document.getElementById('filter');
let names = new Map();

/** Who the exchange was for: the user the mapped claim resolved to, or the claim value when no user was found. */
function userOf(e) {
  const step = (e.trace ?? []).find((s) => s.step === 'user-resolved' || s.step === 'verifying-user-known');
  const facts = step?.facts ?? {};
  if (step?.verdict === 'pass') return el('span', {}, 'user ', el('strong', {}, step.reason.replace(/^.* is user /, '').replace(/^approved by /, '')));
  if (typeof facts.claimValue === 'string') return el('span', {}, 'claim ', code(`${facts.claimAttributePath} = ${facts.claimValue}`), ' (no user)');
  return null;
}

function entry(e) {
  const app = names.get(e.clientId) ?? e.clientId ?? '(no clientId)';
  const verdict = e.outcome === 'success' ? 'pass' : 'fail';
  const summary = el('summary', {},
    el('span', { class: `verdict ${verdict}` }, e.outcome === 'success' ? 'success' : 'failure'),
    el('span', { class: 'time' }, e.time),
    el('span', {}, e.operation, e.grantType ? [' · ', code(e.grantType.replace('urn:ietf:params:oauth:grant-type:', ''))] : null),
    el('span', {}, 'application ', el('strong', {}, app)),
    userOf(e),
    e.failure ? el('span', {}, 'failed at ', code(e.failure.step)) : null,
  );
  const body = el('div', { class: 'entry-body' },
    e.failure
      ? el('div', { class: 'banner fail' }, el('p', {}, failureLine(e.failure)), el('p', {}, e.failure.reason), e.failure.fix ? el('p', {}, el('strong', {}, 'Fix: '), e.failure.fix) : null)
      : el('div', { class: 'banner pass' }, el('p', {}, 'Every check passed; Identity Center issued tokens.')),
    el('p', { class: 'muted' }, 'caller ', code(e.caller ?? '(unsigned)'), ' · entry ', code(e.id)),
    renderTrace(e.trace, { label: `Trace of exchange ${e.id}` }),
  );
  const details = el('details', { id: e.id, 'data-outcome': e.outcome }, summary, body);
  return el('li', {}, details);
}

async function refresh() {
  try {
    const query = filter.value ? `?outcome=${filter.value}` : '';
    const { exchanges } = await api(`/_lab/exchanges${query}`);
    show(entries, exchanges.slice().reverse().map(entry));
    setStatus(exchanges.length ? `${exchanges.length} exchange${exchanges.length === 1 ? '' : 's'}.` : 'No exchanges yet: exchange a token from the token workbench, or call CreateTokenWithIAM against the lab.');
    const wanted = decodeURIComponent(location.hash.slice(1));
    const target = wanted ? document.getElementById(wanted) : null;
    if (target) {
      target.open = true;
      target.querySelector('summary').focus();
    }
  } catch (err) {
    setStatus(`Could not load the exchange log: ${err.message}`, 'error');
  }
}

try {
  const ov = await loadOverview();
  names = new Map(allApplications(ov).map((a) => [a.applicationArn, a.name]));
} catch {
  // Names are a nicety: the log shows ARNs without them.
}
document.getElementById('refresh').addEventListener('click', refresh);
filter.addEventListener('change', refresh);
await refresh();
document.body.dataset.ready = 'true';
