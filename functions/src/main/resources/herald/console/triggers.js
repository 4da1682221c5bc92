// Triggers: list, create and edit (a filter in either form, an action), a filter tester that says which conditions
// fail, and each trigger's delivery log with every attempt, and retry.
import { api, enc, query } from './api.js?v={{version}}';
import {
  busy, checkbox, clear, confirmAction, copyButton, field, h, parseJson, pretty, select, statusBadge, table, time, toast,
} from './dom.js?v={{version}}';

export async function render(page, context) {
  if (context.path[1] === 'deliveries') return deliveries(page, context.path[0], context.params.get('status') || null);
  if (context.path[0] || context.params.has('new')) return editor(page, context.path[0] || null);
  const triggers = await api('GET', 'api/v2/system/trigger?include_deleted=true');
  clear(page, h('h1', {}, 'Triggers'),
    h('div', { class: 'actions' }, h('a', { class: 'button primary', href: '#/triggers?new=1', id: 'new-trigger' }, 'New trigger')),
    table('Triggers', ['Name', 'Filter', 'On', 'Action', 'Active', 'State', ''], triggers.resource.map((t) => ({
      attrs: { dataset: { name: t.name } },
      cells: [h('a', { href: `#/triggers/${enc(t.name)}` }, t.name), h('code', {}, JSON.stringify(t.filter)), t.on,
        describeAction(t.action), t.is_active ? 'yes' : 'no', t.deleted_date ? `deleted ${time(t.deleted_date)}` : 'live',
        t.action.type === 'webhook' ? h('a', { href: `#/triggers/${enc(t.name)}/deliveries` }, 'Deliveries') : ''] })),
    'No triggers yet.'),
    tester(null));
  return null;
}

function describeAction(action) {
  if (action.type === 'webhook') return `webhook → ${action.url}`;
  if (action.type === 'notify') return `notify ${action.user_property || (action.users || []).join(', ')}`;
  return `script ${action.script}`;
}

async function editor(page, name) {
  const t = name ? await api('GET', `api/v2/system/trigger/${enc(name)}?include_deleted=true`)
    : { name: '', filter: { topic: 'entity.*' }, on: 'created', is_active: true, action: { type: 'webhook', url: '' } };
  const nameInput = h('input', { name: 'name', value: t.name, required: true, readonly: name ? true : null, spellcheck: 'false' });
  const filter = h('textarea', { name: 'filter', rows: '6', spellcheck: 'false' }, pretty(t.filter));
  const on = select([['created', 'Created'], ['updated', 'Updated'], ['both', 'Both']], t.on, { name: 'on' });
  const active = checkbox('Active', t.is_active, { name: 'is_active' });
  const type = select([['webhook', 'Webhook'], ['notify', 'Notify users'], ['script', 'Run a script']], t.action.type,
    { name: 'action_type' });
  const a = t.action;
  // a webhook's other rules (retry, pacing, order, health) are edited as JSON and kept as they are
  const rules = {};
  if (a.type === 'webhook') {
    Object.entries(a).filter(([k]) => !['type', 'url', 'max_attempts'].includes(k)).forEach(([k, v]) => { rules[k] = v; });
  }
  const inputs = {
    url: h('input', { name: 'url', type: 'url', value: a.url || '', placeholder: 'https://hooks.example.com/herald' }),
    max_attempts: h('input', { name: 'max_attempts', type: 'number', min: '1', value: a.max_attempts || '' }),
    user_property: h('input', { name: 'user_property', value: a.user_property || '', placeholder: 'payload.user.id' }),
    users: h('input', { name: 'users', value: (a.users || []).join(', ') }),
    message: h('input', { name: 'message', value: a.message || '' }),
    script: h('input', { name: 'script', value: a.script || '', placeholder: 'trigger.audit.run.queued' }),
    rules: h('textarea', { name: 'rules', rows: '4', spellcheck: 'false' }, Object.keys(rules).length ? pretty(rules) : ''),
  };
  const groups = {
    webhook: h('div', {}, field('URL', inputs.url), field('Attempts at most', inputs.max_attempts, 'Default 8'),
      field('Retries, pacing and order', inputs.rules, 'JSON, optional: {"retry": {"base_seconds": 30, '
        + '"cap_seconds": 3600}, "max_in_flight": 4, "rate_per_second": 20, "order_by": "payload.resource.id", '
        + '"disable_after": {"seconds": 86400, "failures": 100}}')),
    notify: h('div', {}, field('User property', inputs.user_property, 'A dotted path in the event naming the user(s)'),
      field('Or users', inputs.users, 'Comma-separated names'), field('Message', inputs.message)),
    script: h('div', {}, field('Event script', inputs.script)),
  };
  const showAction = () => Object.entries(groups).forEach(([k, el]) => { el.hidden = k !== type.value; });
  type.addEventListener('change', showAction);
  const secret = h('div', { id: 'secret' });
  const save = h('button', { type: 'submit', class: 'primary', id: 'save' }, 'Save');
  const buttons = h('div', { class: 'actions' }, save);
  const form = h('form', { class: 'editor', 'aria-label': 'Trigger' },
    field('Name', nameInput),
    field('Filter', filter, 'JSON: {"event": "resource.ResourceCreated", "resource.type": "itemsvc.*"} or an '
      + 'EventBridge pattern; paths outside the event\'s fields are read in payload; on updates, new.status, '
      + 'old.status and changed read the change'),
    field('On', on), active.el,
    h('fieldset', {}, h('legend', {}, 'Action'), field('Type', type), Object.values(groups)),
    buttons, secret);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      const action = { type: type.value };
      if (type.value === 'webhook') {
        const more = parseJson(inputs.rules.value, 'Retries, pacing and order');
        if (more !== undefined && (more === null || typeof more !== 'object' || Array.isArray(more))) {
          throw new Error('Retries, pacing and order must be a JSON object, e.g. {"max_in_flight": 4}');
        }
        Object.assign(action, more || {});
        action.url = inputs.url.value.trim();
        if (inputs.max_attempts.value) action.max_attempts = Number(inputs.max_attempts.value);
      } else if (type.value === 'notify') {
        if (inputs.user_property.value.trim()) action.user_property = inputs.user_property.value.trim();
        const users = inputs.users.value.split(',').map((u) => u.trim()).filter(Boolean);
        if (users.length) action.users = users;
        action.message = inputs.message.value;
      } else {
        action.script = inputs.script.value.trim();
      }
      const body = { filter: parseJson(filter.value, 'The filter'), on: on.value, is_active: active.input.checked, action };
      const saved = name ? await api('PATCH', `api/v2/system/trigger/${enc(name)}`, body)
        : await api('POST', 'api/v2/system/trigger', { name: nameInput.value.trim(), ...body });
      toast(`Saved ${saved.name}`, 'info');
      if (saved.secret) {
        clear(secret, h('div', { class: 'card once', role: 'alert' },
          h('p', {}, h('strong', {}, 'The webhook secret, shown this once: '), 'keep it where the receiver can check signatures.'),
          h('code', { id: 'secret-value' }, saved.secret), ' ', copyButton(saved.secret),
          h('p', {}, h('a', { href: `#/triggers/${enc(saved.name)}` }, 'Done: open the trigger'))));
      } else if (!name) {
        location.hash = `#/triggers/${enc(saved.name)}`;
      }
    });
  });
  if (name) {
    const path = `api/v2/system/trigger/${enc(name)}`;
    buttons.append(t.deleted_date
      ? h('button', { type: 'button', id: 'restore', onclick: (e) => busy(e.currentTarget, async () => {
        await api('POST', `${path}/restore`);
        location.reload();
      }) }, 'Restore')
      : h('button', { type: 'button', id: 'delete', onclick: async (e) => {
        const button = e.currentTarget;
        if (await confirmAction(`Delete trigger ${name}? It stops; Restore brings it back.`, 'Delete')) {
          await busy(button, async () => { await api('DELETE', path); location.hash = '#/triggers'; });
        }
      } }, 'Delete'));
    if (t.action.type === 'webhook') buttons.append(h('a', { class: 'button', href: `#/triggers/${enc(name)}/deliveries` }, 'Deliveries'));
  }
  clear(page, h('p', {}, h('a', { href: '#/triggers' }, '← Triggers')),
    h('h1', {}, name ? `Trigger ${name}` : 'New trigger'), h('div', { class: 'split' }, form, tester(() => filter.value)));
  showAction();
  return null;
}

/** The filter tester: does a filter match an event, and which conditions fail. */
function tester(currentFilter) {
  const filter = h('textarea', { name: 'test_filter', rows: '4', spellcheck: 'false' }, '{"topic": "entity.*"}');
  const event = h('textarea', { name: 'test_event', rows: '5', spellcheck: 'false' },
    pretty({ topic: 'entity.task.created', project: 'demo', status: 'finished', payload: { resource: { type: 'task' } } }));
  const recent = h('select', { name: 'test_event_id' }, h('option', { value: '' }, 'The event above'));
  const run = h('button', { type: 'submit', id: 'test-filter' }, 'Test the filter');
  const output = h('div', { id: 'filter-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'tester-title' }, h('h2', { id: 'tester-title' }, 'Filter tester'),
    currentFilter ? h('p', { class: 'muted' }, 'Tests the filter in the form above.') : field('Filter', filter),
    field('Event', event, 'JSON, as GET /api/events/{id} shows an event'),
    field('Or a recent event', recent), h('div', { class: 'actions' }, run), output);
  api('GET', `api/events${query({ limit: 20 })}`).then((page) => page.events.forEach((e) =>
    recent.append(h('option', { value: e.id }, `${e.topic} · ${time(e.createdAt)} · ${e.id.slice(0, 8)}`)))).catch(() => {});
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(run, async () => {
      const body = { filter: parseJson(currentFilter ? currentFilter() : filter.value, 'The filter') };
      if (recent.value) body.event_id = recent.value; else body.event = parseJson(event.value, 'The event');
      const result = await api('POST', 'api/v2/system/trigger/_test', body);
      clear(output, h('p', { id: 'filter-verdict', class: result.matches ? 'ok' : 'error' },
        result.matches ? 'The filter matches this event.' : 'The filter does not match this event.'),
      table('Conditions', ['Path', 'Pattern', 'Value in the event', 'Result'], result.conditions.map((c) => ({
        attrs: { class: c.matches ? 'pass' : 'fail' },
        cells: [h('code', {}, c.path), h('code', {}, JSON.stringify(c.pattern)), h('code', {}, JSON.stringify(c.value)),
          c.matches ? 'passes' : 'fails'] }))));
    });
  });
  return form;
}

async function deliveries(page, name, status) {
  const list = await api('GET', `api/v2/system/trigger/${enc(name)}/deliveries${query({ limit: 100, status })}`);
  const since = h('input', { name: 'recover_since', type: 'datetime-local', required: true });
  const recover = h('button', { type: 'submit', id: 'recover' }, 'Recover failed deliveries');
  const recoverForm = h('form', { class: 'filters', 'aria-label': 'Recover failed deliveries' },
    field('Failed since', since, 'Every failed delivery created since then is due again'),
    h('div', { class: 'actions' }, recover));
  recoverForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(recover, async () => {
      const done = await api('POST', `api/v2/system/trigger/${enc(name)}/recover`,
        { since: new Date(since.value).toISOString() });
      toast(`Recovered ${done.recovered} deliveries`, 'info');
      await deliveries(page, name, status);
    });
  });
  const states = h('nav', { class: 'tabs', 'aria-label': 'States' }, ['', 'pending', 'delivering', 'delivered', 'failed',
    'cancelled'].map((s) => h('a', { href: `#/triggers/${enc(name)}/deliveries${query({ status: s })}`,
    'aria-current': (status || '') === s ? 'page' : null }, s || 'all')));
  const action = (label, path, confirmText) => h('button', { type: 'button', dataset: { action: label.toLowerCase() },
    onclick: async (e) => {
      const button = e.currentTarget;
      if (confirmText && !(await confirmAction(confirmText, label))) return;
      await busy(button, async () => {
        await api('POST', path);
        toast(`${label}: done`, 'info');
        await deliveries(page, name, status);
      });
    } }, label);
  clear(page, h('p', {}, h('a', { href: `#/triggers/${enc(name)}` }, `← Trigger ${name}`)),
    h('h1', {}, `Deliveries of ${name}`), states, recoverForm,
    table('Newest first', ['Created', 'Event', 'Status', 'Attempts', 'Next attempt', ''], list.resource.map((d) => ({
      attrs: { dataset: { id: d.id, status: d.status } },
      cells: [time(d.created_date), h('a', { href: `#/events/${enc(d.event_id)}` }, d.topic || d.event_id),
        statusBadge(d.status), h('details', {}, h('summary', {}, `${d.attempt_count} of ${d.max_attempts}`),
          h('ol', {}, d.attempts.map((at) => h('li', {}, `${time(at.at)}: ${at.response_code ?? 'no answer'}, `
            + `${at.duration_ms} ms${at.error ? `, ${at.error}` : ''}`,
          at.response_excerpt ? h('pre', { class: 'excerpt' }, at.response_excerpt) : null))),
          d.notes.length ? h('ul', { class: 'notes' }, d.notes.map((n) => h('li', {}, `${time(n.at)} ${n.by}: ${n.note}`)))
            : null),
        d.next_attempt_at ? time(d.next_attempt_at) : '',
        h('div', { class: 'row-actions' },
          d.status === 'delivering' ? null
            : action('Retry', `api/v2/system/trigger/${enc(name)}/deliveries/${enc(d.id)}/retry`),
          d.status === 'pending' ? action('Cancel', `api/v2/system/trigger/${enc(name)}/deliveries/${enc(d.id)}/cancel`,
            `Cancel delivery ${d.id}? It will not be attempted again unless retried.`) : null)] })),
    'No deliveries.'));
  return null;
}
