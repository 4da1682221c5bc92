// Jobs: a target topic's open jobs (pending, in progress, failed, restarted) with sender, retries, age and lease;
// abort, restart and delete, each confirmed, each through the events API.
import { api, enc, query } from './api.js?v={{version}}';
import { busy, clear, confirmAction, field, h, relative, statusBadge, table, toast } from './dom.js?v={{version}}';

const OPEN = ['pending', 'in_progress', 'failed', 'restarted'];

export async function render(page, context) {
  const topic = context.params.get('topic') || '';
  const wanted = (context.params.get('statuses') || OPEN.join(',')).split(',');
  const input = h('input', { name: 'topic', value: topic, required: true, spellcheck: 'false' });
  const boxes = OPEN.map((s) => h('label', {}, h('input', { type: 'checkbox', name: 'status', value: s,
    checked: wanted.includes(s) }), ` ${s.replace('_', ' ')}`));
  const form = h('form', { class: 'filters', role: 'search' },
    field('Target topic', input, 'The topic workers enroll jobs as, e.g. convert.video'),
    h('fieldset', {}, h('legend', {}, 'Statuses'), boxes),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Show jobs')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const statuses = [...form.querySelectorAll('input[name=status]:checked')].map((b) => b.value).join(',');
    location.hash = `#/jobs${query({ topic: input.value.trim(), statuses })}`;
  });
  const results = h('div', { id: 'jobs' });
  clear(page, h('h1', {}, 'Jobs'), form, results);
  if (!topic) {
    results.append(h('p', { class: 'muted' }, 'Choose a target topic. The overview lists the topics with open jobs.'));
    return null;
  }
  const refresh = async () => {
    const listing = await api('GET', `api/events${query({ topics: topic, statuses: wanted.join(','), limit: 200 })}`);
    const lease = context.config.jobLeaseMinutes;
    const actions = (job) => {
      if (!context.session.isService) return '';
      const act = (label, message, work) => h('button', { type: 'button', dataset: { action: label.toLowerCase() },
        onclick: async (e) => {
          if (!(await confirmAction(message, label))) return;
          await busy(e.currentTarget, async () => { await work(); toast(`${label}: done`, 'info'); await refresh(); });
        } }, label);
      const patch = (status) => () => api('PATCH', `api/events/${enc(job.id)}`, { status });
      return h('div', { class: 'row-actions' },
        ['pending', 'in_progress', 'restarted'].includes(job.status)
          ? act('Abort', `Abort job ${job.id}? Its worker's next update will find it aborted.`, patch('aborted')) : null,
        ['failed', 'aborted', 'finished'].includes(job.status)
          ? act('Restart', `Restart job ${job.id}? The next enroll hands it out again.`, patch('restarted')) : null,
        act('Delete', `Delete job ${job.id} for good?`, () => api('DELETE', `api/events/${enc(job.id)}`)));
    };
    const leaseOf = (job) => {
      if (!['pending', 'in_progress'].includes(job.status) || !lease) return lease ? '' : 'no lease';
      const ends = new Date(new Date(job.updatedAt).getTime() + lease * 60e3);
      return ends < new Date() ? 'expired: the next enroll may take it over' : `ends ${relative(ends.toISOString())}`;
    };
    clear(results, table(`Open jobs of ${topic}: ${listing.events.length}${listing.cursor ? '+' : ''}`,
      ['Job', 'Status', 'Sender', 'Retries', 'Age', 'Lease', 'Source', 'Actions'],
      listing.events.map((job) => ({ attrs: { dataset: { id: job.id } }, cells: [
        h('a', { href: `#/events/${enc(job.id)}` }, job.id.slice(0, 12)),
        statusBadge(job.status), job.sender || '', String(job.retries), relative(job.createdAt), leaseOf(job),
        job.dependsOn ? h('a', { href: `#/events/${enc(job.dependsOn)}` }, job.dependsOn.slice(0, 12)) : '',
        actions(job)] })), 'No open jobs.'));
  };
  await refresh();
  return null;
}
