import { code, el, loadOverview, setStatus, show, urlCode } from './common.js';

const list = (values, empty = 'none') => (values.length ? el('ul', { class: 'tags' }, values.map((v) => el('li', {}, code(v)))) : el('span', { class: 'muted' }, empty));

function table(caption, headers, rows) {
  return el('table', {},
    el('caption', { class: 'muted' }, caption),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, c) : el('td', {}, c)))))),
  );
}

function issuers(ov) {
  if (!ov.issuers.length) return el('p', { class: 'muted' }, 'No issuers: add some under issuers in the lab configuration.');
  return table('Mock OIDC issuers of this lab', ['issuer', 'issuer URL (iss)', 'clients (client id → default access-token aud)', 'users'], ov.issuers.map((i) => [
    el('span', {}, code(i.name), i.description ? el('div', { class: 'muted' }, i.description) : null),
    urlCode(i.url),
    i.clients.length ? el('ul', { class: 'tags' }, i.clients.map((c) => el('li', {}, code(c.clientId), c.defaultAudience ? [' → ', code(c.defaultAudience)] : null))) : el('span', { class: 'muted' }, 'none'),
    list(i.users.map((u) => u.sub)),
  ]));
}

function application(app) {
  const grants = app.jwtBearer.length
    ? table(`Issuers and audiences ${app.name} trusts (its jwt-bearer grant)`, ['trusted token issuer', 'AuthorizedAudiences'], app.jwtBearer.map((j) => [code(j.trustedTokenIssuer ?? j.trustedTokenIssuerArn), list(j.authorizedAudiences)]))
    : el('p', { class: 'muted' }, 'No jwt-bearer grant: it accepts no external token.');
  const props = el('dl', { class: 'props' });
  const prop = (term, value) => props.append(el('dt', {}, term), el('dd', {}, value));
  prop('ARN', code(app.applicationArn));
  prop('grants', list(app.grants));
  prop('IAM authentication method', app.hasIamAuthenticationMethod ? 'yes' : el('strong', {}, 'none — no AWS principal may call CreateTokenWithIAM for it'));
  prop('access scopes', list(app.scopes));
  prop('assignment required', app.assignmentRequired ? 'yes (the default)' : 'no');
  prop('assigned', list(app.assignments.map((a) => `${a.type === 'GROUP' ? 'group ' : ''}${a.name ?? a.id}`), 'nobody'));
  return el('article', { class: 'card', 'aria-labelledby': `app-${app.applicationArn}` }, el('h4', { id: `app-${app.applicationArn}` }, app.name), props, grants);
}

function instance(i) {
  const title = `Instance ${i.name ?? ''} (${i.type === 'ACCOUNT' ? 'account instance' : 'organization instance'})`;
  return el('section', { 'aria-labelledby': `inst-${i.instanceArn}` },
    el('h2', { id: `inst-${i.instanceArn}` }, title),
    el('p', {}, code(i.instanceArn), ' · identity store ', code(i.identityStoreId), ' · account ', code(i.ownerAccountId)),
    el('h3', {}, 'Trusted token issuers'),
    i.trustedTokenIssuers.length
      ? table('Trusted token issuers of this instance', ['name', 'IssuerUrl', 'user mapping (claim → Identity Store attribute)', 'lab issuer'], i.trustedTokenIssuers.map((t) => [
          code(t.name), urlCode(t.issuerUrl), [code(t.claimAttributePath), ' → ', code(t.identityStoreAttributePath)], t.labIssuer ? code(t.labIssuer) : el('span', { class: 'muted' }, 'not one of this lab\'s'),
        ]))
      : el('p', { class: 'muted' }, 'None.'),
    el('h3', {}, 'Applications'),
    i.applications.length ? i.applications.map(application) : el('p', { class: 'muted' }, 'None.'),
    el('h3', {}, 'Users'),
    i.users.length
      ? table('Users of this instance\'s identity store', ['user name', 'display name', 'emails', 'groups', 'user id'], i.users.map((u) => [u.userName, u.displayName ?? '', list(u.emails), list(u.groups), code(u.userId)]))
      : el('p', { class: 'muted' }, 'None.'),
    el('h3', {}, 'Groups'),
    i.groups.length
      ? table('Groups of this instance\'s identity store', ['group', 'members'], i.groups.map((g) => [g.displayName, list(g.members)]))
      : el('p', { class: 'muted' }, 'None.'),
  );
}

try {
  const ov = await loadOverview();
  show(document.getElementById('issuers'), issuers(ov));
  show(document.getElementById('instances'), ov.instances.map(instance));
  setStatus(`Lab at ${ov.lab.url} — ${ov.instances.length} instance${ov.instances.length === 1 ? '' : 's'}, ${ov.issuers.length} issuer${ov.issuers.length === 1 ? '' : 's'}. AWS SDKs reach it with AWS_ENDPOINT_URL=${ov.lab.url}.`);
} catch (err) {
  setStatus(`Could not load the overview: ${err.message}`, 'error');
}
document.body.dataset.ready = 'true';
