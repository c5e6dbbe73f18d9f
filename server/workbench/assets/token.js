import { allApplications, api, code, decodeJwtParts, el, failureLine, json, loadOverview, option, renderTrace, setStatus, show } from './common.js';

const $ = (id) => document.getElementById(id);
const form = {
  issuer: $('issuer'), user: $('user'), aud: $('aud'), audArray: $('aud-array'), claims: $('claims'), exp: $('exp'), variant: $('variant'),
  token: $('token'), application: $('application'), scope: $('scope'), decoded: $('decoded'),
};
const result = $('result');
const trace = $('trace');
let ov;

/** The applications whose jwt-bearer grant trusts a trusted token issuer at this lab issuer's URL. */
function applicationsTrusting(issuerName) {
  return allApplications(ov).filter((a) => a.jwtBearer.some((j) => a.instance.trustedTokenIssuers.some((t) => t.trustedTokenIssuerArn === j.trustedTokenIssuerArn && t.labIssuer === issuerName)));
}

function fillUsers() {
  const issuer = ov.issuers.find((i) => i.name === form.issuer.value);
  show(form.user, option('', '(no user: only the claims below)'), (issuer?.users ?? []).map((u, i) => option(u.sub, `${u.sub}${u.claims.email ? ` — ${u.claims.email}` : ''}`, i === 0)));
  const trusting = applicationsTrusting(form.issuer.value);
  const audience = trusting[0]?.jwtBearer[0]?.authorizedAudiences[0] ?? issuer?.clients[0]?.clientId ?? '';
  form.aud.value = audience;
  if (trusting[0]) form.application.value = trusting[0].applicationArn;
}

function showDecoded() {
  const parts = decodeJwtParts(form.token.value);
  form.decoded.textContent = parts ? `header:\n${JSON.stringify(parts.header, null, 2)}\n\npayload:\n${JSON.stringify(parts.payload, null, 2)}` : form.token.value.trim() ? 'This is not a compact JWT (header.payload.signature).' : '';
}

function busy(on) {
  for (const id of ['mint', 'explain', 'exchange']) $(id).disabled = on;
}

function mintRequest() {
  let claims;
  try {
    claims = JSON.parse(form.claims.value.trim() || '{}');
  } catch (err) {
    throw new Error(`Other claims: not JSON (${err.message})`);
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new Error('Other claims: expected a JSON object such as {"groups": ["admins"]}');
  const auds = form.aud.value.split('\n').map((s) => s.trim()).filter(Boolean);
  claims.aud = auds.length === 0 ? null : auds.length === 1 && !form.audArray.checked ? auds[0] : auds;
  const req = { claims, variant: form.variant.value };
  if (form.user.value) req.user = form.user.value;
  const exp = form.exp.value.trim();
  if (exp) req.exp = exp === 'none' ? null : /^\d+$/.test(exp) ? Number(exp) : exp;
  return req;
}

async function mint(event) {
  event.preventDefault();
  busy(true);
  try {
    const minted = await api(`/issuers/${encodeURIComponent(form.issuer.value)}/mint`, { method: 'POST', body: mintRequest() });
    form.token.value = minted.token;
    showDecoded();
    setStatus(`Minted by ${form.issuer.value}: ${minted.variant} — ${minted.note}`);
    show(result, el('p', { class: 'muted' }, 'Token minted. Explain it, or exchange it for real.'));
    show(trace, el('p', { class: 'muted' }, 'No trace yet.'));
  } catch (err) {
    setStatus(`Mint failed: ${err.message}`, 'error');
  } finally {
    busy(false);
  }
}

function tokenRequest() {
  const token = form.token.value.trim();
  if (!token) throw new Error('Mint a token first, or paste one.');
  const scope = form.scope.value.split(/\s+/).filter(Boolean);
  return { token, applicationArn: form.application.value, ...(scope.length ? { scope } : {}) };
}

function audSummary(report, app) {
  const box = el('div', {});
  box.append(el('h3', {}, 'aud'));
  const dl = el('dl', { class: 'aud-facts' });
  const row = (t, d) => dl.append(el('dt', {}, t), el('dd', {}, d));
  row('the token\'s aud', report.aud.present ? [code(json(report.aud.value)), ` (${report.aud.shape === 'array' ? `an array of ${report.aud.values.length}` : report.aud.shape === 'string' ? 'a string' : 'neither a string nor an array'})`] : '(no aud claim)');
  row('AuthorizedAudiences', app.aud.trustedTokenIssuer ? [code(json(app.aud.authorizedAudiences)), ` — trusted token issuer `, code(app.aud.trustedTokenIssuer)] : 'none: this application trusts no issuer with this token\'s iss');
  row('check', [el('span', { class: `verdict ${app.aud.verdict}` }, app.aud.verdict), ' ', app.aud.reason]);
  box.append(dl);
  if (app.aud.fixes.length) box.append(el('p', {}, el('strong', {}, 'How to fix it:')), el('ul', {}, app.aud.fixes.map((f) => el('li', {}, f))));
  box.append(el('details', { class: 'facts' }, el('summary', {}, 'The rule (RFC 7519 §4.1.3) and what this kind of token means'), el('p', {}, report.aud.rule), report.aud.advice.map((a) => el('p', {}, a))));
  return box;
}

async function explain() {
  busy(true);
  try {
    const report = await api('/_lab/explain', { method: 'POST', body: tokenRequest() });
    const app = report.applications[0];
    show(result,
      app.outcome === 'accepted'
        ? el('div', { class: 'banner pass', 'data-outcome': 'accepted' }, el('strong', {}, 'Would be accepted'), el('p', {}, `Every check passed for ${app.name}. Read-only: nothing was exchanged or logged.`))
        : el('div', { class: 'banner fail', 'data-outcome': 'refused' }, el('strong', {}, 'Would be refused'), el('p', {}, failureLine(app.failure)), el('p', {}, app.failure.reason), app.failure.fix ? el('p', {}, el('strong', {}, 'Fix: '), app.failure.fix) : null),
      el('p', { class: 'muted' }, `Token kind: ${report.kind.summary}.`),
      audSummary(report, app),
    );
    show(trace, renderTrace(app.trace, { label: `Trace of the read-only check against ${app.name ?? app.applicationArn}` }));
    setStatus('');
  } catch (err) {
    setStatus(`Explain failed: ${err.message}`, 'error');
  } finally {
    busy(false);
  }
}

/** The copyable CLI form of the AssumeRole step, for the chosen role. */
function assumeRoleCli(roleArn, session, identityContext) {
  return [
    `aws sts assume-role --role-arn ${roleArn} \\`,
    `  --role-session-name ${session} \\`,
    `  --provided-contexts ProviderArn=arn:aws:iam::aws:contextProvider/IdentityCenter,ContextAssertion=${identityContext}`,
  ].join('\n');
}

/** What STS answered the workbench's AssumeRole: the identity-enhanced session, or the refusal with the lab's reason. */
function assumeRoleAnswer(answer) {
  if (answer.outcome === 'success') {
    const r = answer.result;
    const dl = el('dl', { class: 'aud-facts', 'data-session': 'context' });
    const row = (t, d) => dl.append(el('dt', {}, t), el('dd', {}, d));
    row('session', code(r.assumedRoleArn));
    if (r.userName) row('the user', r.userName);
    for (const [k, v] of Object.entries(r.sessionContext)) row(code(k), code(v));
    row('from', code(r.contextClaim ?? 'unknown'));
    row('access key id', code(r.accessKeyId));
    row('secret access key', 'issued, not shown');
    row('expires', code(r.expiration));
    return [
      el('div', { class: 'banner pass', 'data-outcome': 'assumed' }, el('strong', {}, 'AssumeRole: an identity-enhanced session'), el('p', {}, `STS issued credentials for ${answer.roleArn}, signed as ${answer.caller}. AWS services that read the identity context see the user below, not only the role.`)),
      dl,
      getDataAccessStep(r.accessKeyId),
    ];
  }
  const f = answer.failure;
  return [el('div', { class: 'banner fail', 'data-outcome': 'assume-refused' },
    el('strong', {}, 'AssumeRole refused'),
    el('p', {}, 'A real call gets ', code(f.exception), ` (${f.status}): ${f.message}`),
    el('p', {}, 'The lab\'s reason (', code('x-tti-lab-reason'), '): ', code(f.labReason)),
    f.fix ? el('p', {}, el('strong', {}, 'Fix: '), f.fix) : null,
  )];
}

/** What S3 Access Grants answered: the matched grant and the vended key, or the refusal; the grants weighed either way. */
function getDataAccessAnswer(answer) {
  const trace = renderTrace(answer.trace, { label: 'GetDataAccess: the grants weighed' });
  if (answer.outcome === 'success') {
    const r = answer.result;
    const dl = el('dl', { class: 'aud-facts', 'data-data-access': 'granted' });
    const row = (t, d) => dl.append(el('dt', {}, t), el('dd', {}, d));
    row('MatchedGrantTarget', code(r.matchedGrantTarget));
    row('grantee', code(`${r.grantee.GranteeType} ${r.grantee.GranteeIdentifier}`));
    row('credentials scope', code(r.scope));
    row('access key id', code(r.accessKeyId));
    row('expires', code(r.expiration));
    return [el('div', { class: 'banner pass', 'data-outcome': 'data-access' }, el('strong', {}, 'GetDataAccess: credentials for the data'), el('p', {}, `S3 Access Grants matched a grant for ${answer.permission} on ${answer.target}.`)), dl, trace];
  }
  const f = answer.failure;
  return [el('div', { class: 'banner fail', 'data-outcome': 'data-access-refused' },
    el('strong', {}, 'GetDataAccess refused'),
    el('p', {}, 'A real call gets ', code(f.exception), ` (${f.status}): ${f.message}`),
    el('p', {}, 'The lab\'s reason (', code('x-tti-lab-reason'), '): ', code(f.labReason)),
  ), trace];
}

/**
 * Runs one of the steps after an exchange for real (`POST <path>` with `body`) and shows its answer
 * in `out` with `render`: a success, or the service's refusal (which the API sends as an error status
 * with `outcome: 'refused'`); any other failure as a banner. The button is disabled while it runs.
 */
async function runStep(button, out, name, path, body, render) {
  button.disabled = true;
  try {
    let answer;
    try {
      answer = await api(path, { method: 'POST', body });
    } catch (err) {
      if (err.body?.outcome !== 'refused') throw err;
      answer = err.body;
    }
    show(out, render(answer));
  } catch (err) {
    show(out, el('p', { class: 'banner fail' }, `${name} failed: ${err.message}`));
  } finally {
    button.disabled = false;
  }
}

/** After AssumeRole: S3 Access Grants GetDataAccess for a target, with that session (docs/s3-access-grants.md). */
function getDataAccessStep(accessKeyId) {
  const box = el('div', { class: 'get-data-access' });
  const target = el('input', { id: 'data-target', value: 's3://', spellcheck: 'false' });
  const permission = el('select', { id: 'data-permission' }, option('READ', 'READ'), option('WRITE', 'WRITE'), option('READWRITE', 'READWRITE'));
  const out = el('div', { id: 'data-access-result', 'aria-live': 'polite' });
  const button = el('button', { type: 'button', id: 'get-data-access' }, 'Get data access');
  button.addEventListener('click', () =>
    runStep(button, out, 'GetDataAccess', '/_lab/workbench/get-data-access', { accessKeyId, target: target.value.trim(), permission: permission.value }, getDataAccessAnswer));
  box.append(
    el('h3', {}, 'Next: get data access (S3 Access Grants)'),
    el('p', {}, 'With this session your application calls S3 Control ', code('GetDataAccess'), ' for a target; S3 Access Grants matches the user\'s, their groups\' and the role\'s grants and vends credentials scoped to the most specific one (', el('a', { href: '/workbench/docs/s3-access-grants.md' }, 'docs/s3-access-grants.md'), ').'),
    el('div', { class: 'row' },
      el('div', { class: 'field' }, el('label', { for: 'data-target' }, 'Target'), target),
      el('div', { class: 'field' }, el('label', { for: 'data-permission' }, 'Permission'), permission),
    ),
    button,
    out,
  );
  return box;
}

/** The step after a successful exchange: AssumeRole with its identity context, for a role the user picks, run for real. */
function assumeRoleStep(identityContext) {
  const box = el('div', { class: 'assume-role' });
  const role = el('select', { id: 'role' });
  const session = el('input', { id: 'session-name', value: 'workbench', spellcheck: 'false' });
  const note = el('p', { id: 'role-note', class: 'help' });
  const cli = el('pre', { 'data-step': 'assume-role' });
  const out = el('div', { id: 'assume-result', 'aria-live': 'polite' });
  const button = el('button', { type: 'button', id: 'assume-role' }, 'AssumeRole with this identity context');
  let roles = [];
  const refresh = () => {
    const chosen = roles.find((x) => x.arn === role.value);
    show(note, chosen ? (chosen.allowsSetContext ? `Its trust policy ${chosen.note}.` : `Its trust policy, before the context is seen: ${chosen.note}. AssumeRole will tell.`) : '');
    cli.textContent = assumeRoleCli(role.value || '<role-arn>', session.value || 'workbench', identityContext);
  };
  role.addEventListener('change', refresh);
  session.addEventListener('input', refresh);
  button.addEventListener('click', () =>
    runStep(button, out, 'AssumeRole', '/_lab/workbench/assume-role', { roleArn: role.value, identityContext, ...(session.value.trim() ? { roleSessionName: session.value.trim() } : {}) }, assumeRoleAnswer));
  api('/_lab/workbench/roles').then((answer) => {
    roles = answer.roles;
    show(role, roles.length ? roles.map((x) => option(x.arn, `${x.name}${x.allowsSetContext ? '' : ' (may refuse)'}`)) : option('', 'no roles in this lab (aws.roles)'));
    button.disabled = roles.length === 0;
    refresh();
  }, (err) => show(note, `Could not list the lab's roles: ${err.message}`));
  box.append(
    el('h3', {}, 'Next: AssumeRole with this identity context'),
    el('p', {}, 'Your application passes the identity context to STS AssumeRole (', code('ProvidedContexts'), '), with a role whose trust policy allows ', code('sts:AssumeRole'), ' and ', code('sts:SetContext'), '. The session then carries the user. Run it here, for real, against this lab\'s STS:'),
    el('div', { class: 'row' },
      el('div', { class: 'field' }, el('label', { for: 'role' }, 'Role ', el('span', { class: 'hint' }, '(aws.roles)')), role),
      el('div', { class: 'field' }, el('label', { for: 'session-name' }, 'Session name'), session),
    ),
    note,
    button,
    out,
    el('p', { class: 'muted' }, 'The same call from a shell, with AWS_ENDPOINT_URL set to this lab (', el('a', { href: '/workbench/docs/README.md' }, 'README'), ', Quick tour); in code: ', el('a', { href: '/workbench/docs/cookbook.md' }, 'docs/cookbook.md'), ' (reports.mjs). The identity context expires with the access token.'),
    cli,
  );
  refresh();
  return box;
}

async function exchange() {
  busy(true);
  try {
    const answer = await api('/_lab/workbench/exchange', { method: 'POST', body: tokenRequest() });
    const logLink = answer.entryId ? el('p', {}, el('a', { href: `/workbench/exchanges#${answer.entryId}` }, 'Open this exchange in the log')) : null;
    if (answer.outcome === 'success') {
      const r = answer.result;
      show(result,
        el('div', { class: 'banner pass', 'data-outcome': 'success' }, el('strong', {}, 'Exchanged: Identity Center issued tokens'), el('p', {}, `Signed as ${answer.caller}.`)),
        el('dl', { class: 'aud-facts' },
          el('dt', {}, 'scope'), el('dd', {}, code(r.scope.join(' '))),
          el('dt', {}, 'expiresIn'), el('dd', {}, `${r.expiresIn} s`),
          el('dt', {}, 'issuedTokenType'), el('dd', {}, code(r.issuedTokenType)),
          el('dt', {}, 'refresh token'), el('dd', {}, r.refreshToken ? 'issued' : 'none (the application has no refresh_token grant)'),
        ),
        el('h3', {}, 'The idToken\'s claims'),
        el('pre', {}, JSON.stringify(r.idTokenClaims, null, 2)),
        assumeRoleStep(r.awsAdditionalDetails.identityContext),
        logLink,
      );
    } else {
      show(result,
        el('div', { class: 'banner fail', 'data-outcome': 'failure' }, el('strong', {}, 'Refused'), el('p', {}, failureLine(answer.failure)), el('p', {}, answer.failure.reason), answer.failure.fix ? el('p', {}, el('strong', {}, 'Fix: '), answer.failure.fix) : null),
        logLink,
      );
    }
    show(trace, renderTrace(answer.trace, { label: 'Trace of the exchange' }));
    setStatus('');
  } catch (err) {
    setStatus(`Exchange failed: ${err.message}`, 'error');
  } finally {
    busy(false);
  }
}

try {
  ov = await loadOverview();
  if (!ov.issuers.length) throw new Error('this lab has no issuers to mint from; add some under issuers in its configuration');
  show(form.issuer, ov.issuers.map((i) => option(i.name, `${i.name} — ${i.url}`)));
  const apps = allApplications(ov);
  show(form.application, apps.length ? apps.map((a) => option(a.applicationArn, `${a.name} (${a.applicationArn.split('/').pop()})`)) : option('', 'no applications in this lab'));
  const preferred = ov.issuers.find((i) => applicationsTrusting(i.name).length);
  if (preferred) form.issuer.value = preferred.name;
  fillUsers();
  form.issuer.addEventListener('change', fillUsers);
  form.token.addEventListener('input', showDecoded);
  $('mint-form').addEventListener('submit', mint);
  $('explain').addEventListener('click', explain);
  $('exchange').addEventListener('click', exchange);
  setStatus('');
} catch (err) {
  setStatus(`Could not load the lab: ${err.message}`, 'error');
}
document.body.dataset.ready = 'true';
