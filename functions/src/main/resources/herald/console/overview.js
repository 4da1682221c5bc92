// Overview: what Herald can tell cheaply from one listing each: events per topic in the last hour and day, open
// jobs per topic, and, for admins, the day's failed deliveries (the dead letters) and script failures, each linking to
// its page.
import { api, enc, query } from './api.js?v={{version}}';
import { clear, h, table, time } from './dom.js?v={{version}}';

const PAGE = 2000;
const TOPICS = 25;

export async function render(page, context) {
  const now = Date.now();
  const hourAgo = now - 3600e3;
  const dayAgo = new Date(now - 86400e3).toISOString();
  const [recent, open] = await Promise.all([
    api('GET', `api/events${query({ newerThan: dayAgo, limit: PAGE })}`),
    api('GET', `api/events${query({ statuses: 'pending,in_progress,failed,restarted', limit: PAGE })}`)]);
  const perTopic = new Map();
  for (const e of recent.events) {
    const counts = perTopic.get(e.topic) || { hour: 0, day: 0 };
    counts.day += 1;
    if (new Date(e.createdAt).getTime() >= hourAgo) counts.hour += 1;
    perTopic.set(e.topic, counts);
  }
  const jobs = new Map();
  for (const e of open.events) jobs.set(e.topic, (jobs.get(e.topic) || 0) + 1);
  const plus = (listing) => (listing.cursor ? '+' : '');
  const cards = h('div', { class: 'cards' },
    card('Events, last day', `${recent.events.length}${plus(recent)}`, '#/events?mode=history'),
    card('Open jobs', `${open.events.length}${plus(open)}`, null));
  const sections = [
    h('h1', {}, 'Overview'), cards,
    table(`Events per topic${perTopic.size > TOPICS ? `: the ${TOPICS} busiest of ${perTopic.size}` : ''}`
      + `${recent.cursor ? ` (in the newest ${PAGE} events of the day)` : ''}`, ['Topic', 'Last hour', 'Last day'],
      [...perTopic.entries()].sort((a, b) => b[1].day - a[1].day).slice(0, TOPICS).map(([topic, c]) => [
        h('a', { href: `#/events${query({ topics: topic, mode: 'history' })}` }, topic), String(c.hour), String(c.day)]),
      'No events in the last day.'),
    table(`Open jobs per target topic${jobs.size > TOPICS ? `: the ${TOPICS} with most of ${jobs.size}` : ''}`,
      ['Topic', 'Open jobs'], [...jobs.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOPICS)
        .map(([topic, n]) => [h('a', { href: `#/jobs${query({ topic })}` }, topic), String(n)]), 'No open jobs.'),
  ];
  if (context.session.isAdmin) sections.push(...await adminSections(dayAgo, cards));
  clear(page, sections);
  return null;
}

function card(title, value, href) {
  return h('div', { class: 'card stat' }, h('span', { class: 'stat-title' }, title),
    href ? h('a', { class: 'stat-value', href }, value) : h('span', { class: 'stat-value' }, value));
}

async function adminSections(dayAgo, cards) {
  const [dead, logs] = await Promise.all([
    api('GET', `api/v2/system/deliveries${query({ status: 'failed', since: dayAgo, limit: 500 })}`),
    api('GET', `api/events${query({ topics: 'log.script', newerThan: dayAgo, limit: 500 })}`)]);
  const perTrigger = new Map();
  for (const d of dead.resource) perTrigger.set(d.trigger, (perTrigger.get(d.trigger) || 0) + 1);
  const failed = [...perTrigger.entries()].sort((a, b) => b[1] - a[1]);
  const failures = logs.events.filter((e) => e.summary && e.summary.level === 'error');
  cards.append(card('Failed deliveries, last day', `${dead.resource.length}${dead.resource.length === 500 ? '+' : ''}`,
    '#/triggers'), card('Script failures, last day', String(failures.length), '#/scripts'));
  return [
    table('Failed deliveries', ['Trigger', 'Failed'], failed.map(([name, n]) => [
      h('a', { href: `#/triggers/${enc(name)}/deliveries?status=failed` }, name), String(n)]), 'No failed deliveries.'),
    table('Script failures', ['Time', 'Script', 'Event', 'Error'], failures.slice(0, 20).map((e) => [
      time(e.createdAt), h('a', { href: `#/scripts/event_script/${enc(e.summary.script)}` }, e.summary.script),
      e.summary.event_name || '', (e.payload && e.payload.error && e.payload.error.message) || e.description || '']),
    'No script failures in the last day.'),
  ];
}
