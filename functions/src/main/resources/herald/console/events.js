// Live events: a table fed by the WebSocket (newest on top, status and progress updated in place), a history mode
// that pages the REST listing with the same filters, and one event with its payload, its source and its dependants.
import { api, enc, list, query } from './api.js?v={{version}}';
import { LiveSocket } from './live.js?v={{version}}';
import { busy, clear, field, h, pretty, statusBadge, time } from './dom.js?v={{version}}';

const MAX_ROWS = 200;
const COLUMNS = ['Time', 'Topic', 'Status', 'Progress', 'User', 'Project', 'Sender', 'Description'];

export async function render(page, context) {
  if (context.path[0]) return detail(page, context, context.path[0]);
  const topics = h('input', { name: 'topics', value: context.params.get('topics') || '*', spellcheck: 'false' });
  const project = context.session.projects
    ? h('select', { name: 'project' }, h('option', { value: '' }, 'All of mine'),
      context.session.projects.map((p) => h('option', { value: p, selected: p === context.params.get('project') }, p)))
    : h('input', { name: 'project', value: context.params.get('project') || '', spellcheck: 'false' });
  const mode = context.params.get('mode') === 'history' ? 'history' : 'live';
  const state = h('span', { class: 'state', id: 'live-state', role: 'status' });
  const pause = h('button', { type: 'button', id: 'pause', 'aria-pressed': 'false' }, 'Pause');
  const body = h('tbody', { id: 'event-rows' });
  const more = h('div', { class: 'actions' });
  const form = h('form', { class: 'filters', role: 'search' },
    field('Topics', topics, 'Comma-separated; * matches anything, e.g. convert.*'),
    field('Project', project, context.session.projects ? null : 'Empty: every project'),
    h('fieldset', { class: 'mode' }, h('legend', {}, 'Mode'),
      ['live', 'history'].map((m) => h('label', {}, h('input', { type: 'radio', name: 'mode', value: m, checked: m === mode }),
        m === 'live' ? ' Live' : ' History'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      mode === 'live' ? pause : null, mode === 'live' ? state : null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = form.querySelector('input[name=mode]:checked').value;
    location.hash = `#/events${query({ topics: topics.value.trim(), project: project.value, mode: chosen })}`;
  });
  form.addEventListener('change', (e) => { if (e.target.name === 'mode') form.requestSubmit(); });
  clear(page, h('h1', {}, mode === 'live' ? 'Live events' : 'Event history'), form,
    h('div', { class: 'scroll' }, h('table', { class: 'events' },
      h('caption', {}, mode === 'live' ? `Newest first, the last ${MAX_ROWS} at most` : 'Newest first'),
      h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))), body)), more);

  const rows = new Map();
  const open = (id) => { location.hash = `#/events/${enc(id)}`; };
  const patterns = list(topics.value);
  if (mode === 'history') {
    await history(body, more, patterns, project.value, rows, open);
    return null;
  }
  let paused = false;
  const waiting = [];
  const apply = (message) => upsert(body, rows, message, open);
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
    if (!paused) waiting.splice(0).forEach(apply);
    state.textContent = paused ? 'Paused' : 'Live';
  });
  const socket = new LiveSocket(context.config.webSocketUrl, context.key, {
    subscribe: patterns.length ? patterns : ['*'],
    project: project.value || null,
    onMessage: (message) => {
      if (!message.id || message.topic === 'notification') return;
      if (paused) {
        if (waiting.length < 1000) waiting.push(message);
        state.textContent = `Paused: ${waiting.length} waiting`;
      } else {
        apply(message);
      }
    },
    onState: (s, why) => {
      if (!paused) state.textContent = why || { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' }[s] || s;
      state.dataset.state = s;
    },
  }).open();
  return () => socket.close();
}

/** Adds an event at the top, or changes its row in place; keeps at most MAX_ROWS rows. */
function upsert(body, rows, event, open) {
  const known = rows.get(event.id);
  const merged = known ? { ...known.event, ...event, progress: event.progress ?? known.event.progress } : event;
  const row = eventRow(merged, open);
  if (known) {
    known.row.replaceWith(row);
  } else {
    body.prepend(row);
  }
  rows.set(event.id, { event: merged, row });
  while (rows.size > MAX_ROWS) {
    const [oldest] = rows.keys();
    rows.get(oldest).row.remove();
    rows.delete(oldest);
  }
}

function eventRow(event, open) {
  const progress = typeof event.progress === 'number' ? event.progress : (event.status === 'finished' ? 100 : null);
  const row = h('tr', { tabindex: '0', class: 'clickable', dataset: { id: event.id, status: event.status } },
    h('td', {}, time(event.updatedAt || event.createdAt)),
    h('td', { class: 'topic' }, event.topic),
    h('td', {}, statusBadge(event.status)),
    h('td', {}, progress === null ? '' : h('progress', { max: '100', value: String(progress),
      'aria-label': `${Math.round(progress)}%` }, `${Math.round(progress)}%`)),
    h('td', {}, event.user || ''),
    h('td', {}, event.project || ''),
    h('td', {}, event.sender || ''),
    h('td', { class: 'description' }, event.description || ''));
  row.addEventListener('click', () => open(event.id));
  row.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(event.id); });
  return row;
}

async function history(body, more, patterns, project, rows, open) {
  const load = async (cursor, button) => busy(button, async () => {
    const page = await api('GET', `api/events${query({
      topics: patterns.filter((p) => p !== '*').join(','), projects: project, limit: 50, cursor,
    })}`);
    page.events.forEach((e) => body.append(eventRow(e, open)));
    if (!page.events.length && !cursor) body.append(h('tr', {}, h('td', { colspan: COLUMNS.length, class: 'muted' }, 'No events.')));
    clear(more, page.cursor ? h('button', { type: 'button', id: 'older',
      onclick: (e) => load(page.cursor, e.currentTarget) }, 'Older events') : null);
  });
  await load(null, null);
}

async function detail(page, context, id) {
  const event = await api('GET', `api/events/${enc(id)}`);
  const dependants = await api('GET', `api/events${query({ dependsOn: id, limit: 100 })}`);
  const fields = ['id', 'topic', 'status', 'project', 'user', 'sender', 'senderType', 'hash', 'retries', 'description',
    'createdAt', 'updatedAt'];
  clear(page,
    h('p', {}, h('a', { href: '#/events' }, '← Live events')),
    h('h1', {}, event.topic, ' ', statusBadge(event.status)),
    h('dl', { class: 'facts' }, fields.flatMap((f) => [h('dt', {}, f), h('dd', {}, String(event[f] ?? ''))]),
      h('dt', {}, 'dependsOn'), h('dd', {}, event.dependsOn
        ? h('a', { href: `#/events/${enc(event.dependsOn)}`, id: 'source-link' }, event.dependsOn) : 'nothing')),
    h('h2', {}, 'Summary'), h('pre', { class: 'json', id: 'event-summary', tabindex: '0' }, pretty(event.summary)),
    h('h2', {}, 'Payload'), h('pre', { class: 'json', id: 'event-payload', tabindex: '0' }, pretty(event.payload)),
    h('h2', {}, 'Dependants'),
    dependants.events.length
      ? h('ul', { id: 'dependants' }, dependants.events.map((d) => h('li', {},
        h('a', { href: `#/events/${enc(d.id)}` }, d.topic), ' ', statusBadge(d.status), ` ${d.sender || ''} ${time(d.updatedAt)}`)))
      : h('p', { class: 'muted' }, 'No event depends on this one.'));
  return null;
}
