// Scripts: event scripts and scripted services. A list (with the catalogue of event names), an editor for inline
// scripts (CodeMirror, loaded when first needed), linked ones' source and ref with a refresh, save, soft delete,
// restore, the cache, and a dry run that shows what the script would do without doing it.
import { api, enc, query, root } from './api.js?v={{version}}';
import {
  busy, checkbox, clear, confirmAction, field, h, parseJson, pretty, select, table, time, toast,
} from './dom.js?v={{version}}';

const KINDS = { event_script: 'Event scripts', service: 'Scripted services' };

export async function render(page, context) {
  const kind = KINDS[context.path[0]] ? context.path[0] : 'event_script';
  if (context.path.length > 1 || context.params.has('new')) return editor(page, kind, context.path[1] || null, context);
  const [records, catalogue] = await Promise.all([
    api('GET', `api/v2/system/${kind}?include_deleted=true`), api('GET', 'api/v2/system/event')]);
  const clearAll = h('button', { type: 'button', id: 'clear-cache' }, 'Clear the whole cache');
  clearAll.addEventListener('click', async () => {
    if (await confirmAction('Clear the script cache? Every container loads its scripts again.', 'Clear')) {
      await busy(clearAll, async () => { await api('DELETE', 'api/v2/system/cache'); toast('Cache cleared', 'info'); });
    }
  });
  clear(page, h('h1', {}, 'Scripts'),
    h('nav', { class: 'tabs', 'aria-label': 'Kinds of script' }, Object.entries(KINDS).map(([k, title]) =>
      h('a', { href: `#/scripts/${k}`, 'aria-current': k === kind ? 'page' : null }, title))),
    h('div', { class: 'actions' },
      h('a', { class: 'button primary', href: `#/scripts/${kind}?new=1`, id: 'new-script' },
        kind === 'service' ? 'New scripted service' : 'New event script'), clearAll),
    table(KINDS[kind], ['Name', 'Source', 'Active', 'Modifies', 'Changed', 'State'], records.resource.map((r) => ({
      attrs: { dataset: { name: r.name } },
      cells: [h('a', { href: `#/scripts/${kind}/${enc(r.name)}` }, r.name), r.source, r.is_active ? 'yes' : 'no',
        r.allow_event_modification ? 'yes' : 'no', `${time(r.last_modified_date)} by ${r.last_modified_by || '?'}`,
        r.deleted_date ? `deleted ${time(r.deleted_date)}` : 'live'] })), 'No scripts yet.'),
    h('details', { class: 'catalogue' }, h('summary', {}, `Scriptable event names (${catalogue.resource.length})`),
      h('ul', { class: 'names' }, catalogue.resource.map((name) => h('li', {}, h('code', {}, name))))));
  return null;
}

let codeMirror;
/** CodeMirror 5 from the console's layer, loaded once; null if it cannot be (a plain text area is used then). */
function loadCodeMirror() {
  if (!codeMirror) {
    const script = (src) => new Promise((resolve, reject) => {
      const el = document.createElement('script');
      el.src = src;
      el.onload = resolve;
      el.onerror = reject;
      document.head.append(el);
    });
    document.head.append(h('link', { rel: 'stylesheet', href: `${root}console/codemirror.css?v={{version}}` }));
    codeMirror = script(`${root}console/codemirror.js?v={{version}}`)
      .then(() => script(`${root}console/codemirror-javascript.js?v={{version}}`))
      .then(() => window.CodeMirror).catch(() => null);
  }
  return codeMirror;
}

async function editor(page, kind, name, context) {
  const isNew = !name;
  const [record, catalogue] = await Promise.all([
    isNew ? Promise.resolve(null) : api('GET', `api/v2/system/${kind}/${enc(name)}?include_deleted=true`),
    api('GET', 'api/v2/system/event')]);
  const r = record || { name: '', content: '', is_active: true, allow_event_modification: false, source: 'inline' };
  const nameInput = h('input', { name: 'name', value: r.name, required: true, spellcheck: 'false',
    list: 'event-names', readonly: isNew ? null : true });
  const source = select([['inline', 'Inline'], ['storage', 'S3 storage'], ['github', 'GitHub']], r.source,
    { name: 'source' });
  const area = h('textarea', { name: 'content', rows: '18', spellcheck: 'false', 'aria-label': 'Script source' },
    r.content || '');
  const linked = {
    storage_service: h('input', { name: 'storage_service', value: r.storage_service || '' }),
    storage_path: h('input', { name: 'storage_path', value: r.storage_path || '' }),
    scm_repository: h('input', { name: 'scm_repository', value: r.scm_repository || '', placeholder: 'owner/repo' }),
    scm_reference: h('input', { name: 'scm_reference', value: r.scm_reference || '', placeholder: 'main' }),
  };
  const active = checkbox('Active', r.is_active, { name: 'is_active' });
  const modify = checkbox('Allow event modification (apply its changes to the request and response)',
    r.allow_event_modification, { name: 'allow_event_modification' });
  const linkedFields = h('div', { class: 'linked' },
    field('Storage service', linked.storage_service, 'For S3: the service name, e.g. s3'),
    field('Storage path', linked.storage_path, 'The file: a key in S3, a path in the repository'),
    field('Repository', linked.scm_repository, 'For GitHub'),
    field('Reference', linked.scm_reference, 'Branch, tag or commit; empty: the default branch'));
  const showSource = () => {
    linkedFields.hidden = source.value === 'inline';
    linked.storage_service.closest('.field').hidden = source.value !== 'storage';
    linked.scm_repository.closest('.field').hidden = source.value !== 'github';
    linked.scm_reference.closest('.field').hidden = source.value !== 'github';
  };
  source.addEventListener('change', showSource);

  const save = h('button', { type: 'submit', class: 'primary', id: 'save' }, 'Save');
  const buttons = h('div', { class: 'actions' }, save);
  const form = h('form', { class: 'editor', 'aria-label': 'Script' },
    h('datalist', { id: 'event-names' }, catalogue.resource.map((n) => h('option', { value: n }))),
    field(kind === 'service' ? 'Service name' : 'Event name', nameInput,
      kind === 'service' ? 'Answers /api/v2/<name>' : 'e.g. events.post.pre_process'),
    field('Source', source), linkedFields,
    h('div', { class: 'field' }, h('label', { for: 'script-content' },
      r.source === 'inline' ? 'Script' : 'Source last loaded (read-only: change it where it lives)'), area),
    active.el, modify.el, buttons);
  area.id = 'script-content';

  const dryRun = dryRunPanel(kind, () => nameInput.value.trim(), () => (editorView ? editorView.getValue() : area.value),
    () => source.value === 'inline', (line) => markLine(line));
  clear(page, h('p', {}, h('a', { href: `#/scripts/${kind}` }, `← ${KINDS[kind]}`)),
    h('h1', {}, isNew ? `New ${kind === 'service' ? 'scripted service' : 'event script'}` : r.name,
      r.deleted_date ? h('span', { class: 'status status-aborted' }, ' deleted') : null),
    record ? h('p', { class: 'muted' }, `Changed ${time(r.last_modified_date)} by ${r.last_modified_by || '?'}`) : null,
    h('div', { class: 'split' }, form, dryRun));
  showSource();

  let editorView = null;
  let marked = null;
  const markLine = (line) => {
    if (!editorView) return;
    if (marked !== null) editorView.removeLineClass(marked, 'background', 'error-line');
    marked = line ? line - 1 : null;
    if (marked !== null) {
      editorView.addLineClass(marked, 'background', 'error-line');
      editorView.scrollIntoView({ line: marked, ch: 0 });
    }
  };
  const CodeMirror = await loadCodeMirror();
  if (CodeMirror) {
    editorView = CodeMirror.fromTextArea(area, { mode: 'javascript', lineNumbers: true, indentUnit: 2, tabSize: 2,
      readOnly: r.source !== 'inline', viewportMargin: Infinity, screenReaderLabel: 'Script source' });
    editorView.getWrapperElement().id = 'code-editor';
    page.querySelector('.CodeMirror').CodeMirror = editorView;
    // Tab moves focus on, as everywhere else on the page, unless the user asks for indentation with Ctrl+]
    editorView.setOption('extraKeys', { Tab: false, 'Shift-Tab': false, 'Ctrl-]': 'indentMore', 'Ctrl-[': 'indentLess' });
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      const body = { type: 'javascript', is_active: active.input.checked,
        allow_event_modification: modify.input.checked };
      if (source.value === 'inline') {
        body.content = editorView ? editorView.getValue() : area.value;
      } else {
        Object.entries(linked).forEach(([k, input]) => { if (input.value.trim()) body[k] = input.value.trim(); });
      }
      const target = nameInput.value.trim();
      const saved = isNew ? await api('POST', `api/v2/system/${kind}`, { name: target, ...body })
        : await api('PATCH', `api/v2/system/${kind}/${enc(target)}`, inlineOnly(body, r));
      toast(`Saved ${saved.name}`, 'info');
      if (isNew) location.hash = `#/scripts/${kind}/${enc(saved.name)}`;
    });
  });
  if (record) {
    const act = (label, id, confirmText, work) => {
      const button = h('button', { type: 'button', id }, label);
      button.addEventListener('click', async () => {
        if (confirmText && !(await confirmAction(confirmText, label))) return;
        await busy(button, work);
      });
      return button;
    };
    const path = `api/v2/system/${kind}/${enc(r.name)}`;
    if (r.source !== 'inline' && !r.deleted_date) {
      buttons.append(act('Refresh source', 'refresh', null, async () => {
        const fresh = await api('GET', `${path}?refresh=true`);
        if (editorView) editorView.setValue(fresh.content || ''); else area.value = fresh.content || '';
        toast('Loaded the current source', 'info');
      }));
    }
    buttons.append(act('Clear from cache', 'clear-one', null, async () => {
      await api('DELETE', kind === 'service' ? `api/v2/system/cache/${enc(r.name)}`
        : `api/v2/system/cache/_event/${enc(r.name)}`);
      toast('Cleared from the cache', 'info');
    }));
    buttons.append(r.deleted_date
      ? act('Restore', 'restore', null, async () => { await api('POST', `${path}/restore`); location.reload(); })
      : act('Delete', 'delete', `Delete ${r.name}? It stops running; Restore brings it back.`, async () => {
        await api('DELETE', path);
        location.hash = `#/scripts/${kind}`;
      }));
  }
  return null;
}

/** A PATCH sends what the form can change; a linked script's content is read-only. */
function inlineOnly(body, record) {
  if (record.source !== 'inline') delete body.content;
  return body;
}

function dryRunPanel(kind, name, source, inline, markLine) {
  const sample = h('textarea', { name: 'sample', rows: '4', spellcheck: 'false' },
    JSON.stringify({ payload: { topic: 'hello.world', payload: { greeting: 'hi' } } }));
  const recent = h('select', { name: 'sample_event' }, h('option', { value: '' }, 'The request above'));
  const run = h('button', { type: 'submit', id: 'dry-run' }, 'Dry run');
  const output = h('div', { id: 'dry-run-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'dry-run-title' },
    h('h2', { id: 'dry-run-title' }, 'Dry run'),
    h('p', { class: 'muted' }, 'Runs the script in the sandbox against a sample, as the real call would, and shows '
      + 'what it would change, dispatch and log. Nothing is written and no response changes.'),
    field('Sample request', sample, 'JSON: method, uri, headers, parameters, payload (all optional)'),
    field('Or take the payload from a recent event', recent),
    h('div', { class: 'actions' }, run), output);
  api('GET', `api/events${query({ limit: 20 })}`).then((page) => page.events.forEach((e) =>
    recent.append(h('option', { value: e.id }, `${e.topic} · ${time(e.createdAt)} · ${e.id.slice(0, 8)}`))))
    .catch(() => {});
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(run, async () => {
      const body = {};
      const request = parseJson(sample.value, 'The sample request');
      if (request !== undefined) body.request = request;
      if (recent.value) body.event_id = recent.value;
      if (inline()) body.content = source();
      const result = await api('POST', `api/v2/system/${kind}/${enc(name())}/dry_run`, body);
      markLine(result.error ? result.error.line : null);
      clear(output, dryRunResult(result));
    });
  });
  return form;
}

function dryRunResult(result) {
  const section = (title, value, id) => [h('h3', {}, title), h('pre', { class: 'json', id, tabindex: '0' },
    typeof value === 'string' ? value : pretty(value))];
  return h('div', { class: `result outcome-${result.outcome}` },
    h('p', { id: 'dry-run-outcome' }, h('strong', {}, `Outcome: ${result.outcome.replace('_', ' ')}`),
      result.error ? ` at line ${result.error.line ?? '?'}: ${result.error.message}` : '',
      result.changes && Object.keys(result.changes).length
        ? (result.would_apply ? ' · its changes would apply'
          : ' · its changes would be discarded (allow event modification is off)') : ''),
    section('Log', result.log.length ? result.log.join('\n') : '(nothing logged)', 'dry-run-log'),
    result.changes && Object.keys(result.changes).length ? section('Changes', result.changes, 'dry-run-changes') : null,
    result.dispatched.length ? section('Would dispatch', result.dispatched, 'dry-run-dispatched') : null,
    result.updated.length ? section('Would update', result.updated, 'dry-run-updated') : null);
}
