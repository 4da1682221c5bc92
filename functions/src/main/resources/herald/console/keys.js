// Keys: list, create (the key shown once), change role, projects and expiry, revoke, delete and restore.
import { api, enc, list } from './api.js?v={{version}}';
import { busy, clear, confirmAction, copyButton, field, h, select, table, time, toast } from './dom.js?v={{version}}';

const ROLES = [['user', 'user: reads events, updates its own'], ['service', 'service: dispatches, enrolls, updates any'],
  ['admin', 'admin: everything']];

export async function render(page, context) {
  const keys = await api('GET', 'api/v2/system/api_key?include_deleted=true');
  const shown = h('div', { id: 'new-key' });
  clear(page, h('h1', {}, 'API keys'), createForm(shown), shown,
    table('Keys', ['Name', 'Role', 'Projects', 'Prefix', 'Status', 'Expires', 'Last used', 'Actions'],
      keys.resource.map((k) => ({ attrs: { dataset: { name: k.name } }, cells: [k.name, k.role || '?',
        k.projects ? k.projects.join(', ') : 'every project', h('code', {}, k.key_prefix), k.status,
        k.expires_at ? time(k.expires_at) : 'never', k.last_used_at ? time(k.last_used_at) : 'never',
        actions(k, context)] })), 'No keys.'));
  return null;
}

function createForm(shown) {
  const name = h('input', { name: 'name', required: true, spellcheck: 'false' });
  const role = select(ROLES, 'user', { name: 'role' });
  const projects = h('input', { name: 'projects', spellcheck: 'false' });
  const expires = h('input', { name: 'expires_at', type: 'datetime-local' });
  const create = h('button', { type: 'submit', class: 'primary', id: 'create-key' }, 'Create key');
  const form = h('form', { class: 'card', 'aria-labelledby': 'create-title' }, h('h2', { id: 'create-title' }, 'New key'),
    h('div', { class: 'row' }, field('Name', name, 'Recorded as the user of what the key does'), field('Role', role),
      field('Projects', projects, 'Comma-separated; empty: every project'), field('Expires', expires, 'Empty: never')),
    h('div', { class: 'actions' }, create));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(create, async () => {
      const body = { name: name.value.trim(), role: role.value };
      if (list(projects.value).length) body.projects = list(projects.value);
      if (expires.value) body.expires_at = new Date(expires.value).toISOString();
      const created = await api('POST', 'api/v2/system/api_key', body);
      clear(shown, h('div', { class: 'card once', role: 'alert' },
        h('p', {}, h('strong', {}, `The key for ${created.name}, shown this once: `),
          'copy it now. Herald keeps only its hash and cannot show it again.'),
        h('code', { id: 'new-key-value' }, created.key), ' ', copyButton(created.key),
        h('p', {}, h('button', { type: 'button', id: 'key-done', onclick: () => location.reload() }, 'I have copied it'))));
      form.reset();
    });
  });
  return form;
}

function actions(k, context) {
  const path = `api/v2/system/api_key/${enc(k.name)}`;
  const button = (label, work, confirmText) => h('button', { type: 'button', dataset: { action: label.toLowerCase() },
    onclick: async (e) => {
      const target = e.currentTarget;
      if (confirmText && !(await confirmAction(confirmText, label))) return;
      await busy(target, async () => { await work(); location.reload(); });
    } }, label);
  if (k.status === 'deleted') return button('Restore', () => api('POST', `${path}/restore`));
  const edit = h('details', { class: 'edit' }, h('summary', {}, 'Change'), changeForm(k, path));
  return h('div', { class: 'row-actions' }, edit,
    k.status !== 'revoked' && k.name !== context.session.name
      ? button('Revoke', () => api('PATCH', path, { revoked: true }),
        `Revoke ${k.name}? It stops working on its next request, for good.`) : null,
    k.name !== context.session.name
      ? button('Delete', () => api('DELETE', path), `Delete ${k.name}? It stops working; Restore brings it back.`) : null);
}

function changeForm(k, path) {
  const role = select(ROLES.map(([v]) => [v, v]), k.role, { name: 'role' });
  const projects = h('input', { name: 'projects', value: k.projects ? k.projects.join(', ') : '' });
  const expires = h('input', { name: 'expires_at', type: 'datetime-local',
    value: k.expires_at ? k.expires_at.slice(0, 16) : '' });
  const save = h('button', { type: 'submit' }, 'Save');
  const form = h('form', { class: 'inline-form' }, field('Role', role), field('Projects', projects, 'Empty: every project'),
    field('Expires', expires, 'Empty: never'), save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      await api('PATCH', path, { role: role.value, projects: list(projects.value).length ? list(projects.value) : null,
        expires_at: expires.value ? new Date(expires.value).toISOString() : null });
      toast(`Changed ${k.name}`, 'info');
      location.reload();
    });
  });
  return form;
}
