// Small DOM helpers shared by every page: elements, times, JSON, messages and confirmations.

/** h('button', {onclick, class: 'x'}, 'text', child...): an element; null and false children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.className = value;
    } else if (name === 'value' || name === 'checked' || name === 'selected' || name === 'disabled') {
      el[name] = value;
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
/** A labelled field: the label names the input, the hint describes it. */
export function field(label, input, hint) {
  input.id = input.id || `f${++ids}`;
  const hintEl = hint ? h('span', { class: 'hint', id: `${input.id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hintEl);
}

export function checkbox(label, checked, attrs = {}) {
  const input = h('input', { type: 'checkbox', checked, ...attrs });
  input.id = `f${++ids}`;
  return { input, el: h('div', { class: 'field check' }, input, h('label', { for: input.id }, label)) };
}

export function select(options, value, attrs = {}) {
  return h('select', attrs, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

/** Local date and time of an ISO-8601 string, to the second. */
export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "3 min ago", "in 5 min". */
export function relative(iso, now = Date.now()) {
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  const [n, unit] = abs < 60e3 ? [Math.round(abs / 1e3), 's'] : abs < 3600e3 ? [Math.round(abs / 60e3), 'min']
    : abs < 86400e3 ? [Math.round(abs / 3600e3), 'h'] : [Math.round(abs / 86400e3), 'd'];
  return ms < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
}

export function pretty(value) {
  return JSON.stringify(value, null, 2);
}

/** Parses the JSON of a text field, or throws an Error that names the field. */
export function parseJson(text, what) {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not valid JSON: ${e.message}`);
  }
}

export function statusBadge(status) {
  return h('span', { class: `status status-${status}` }, (status || '').replace('_', ' '));
}

/** A message at the bottom of the window; errors stay until dismissed. */
export function toast(message, kind = 'error') {
  const box = document.getElementById('toasts');
  const item = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', {}, message),
    h('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss', onclick: () => item.remove() }, '\u00d7'));
  box.append(item);
  if (kind !== 'error') setTimeout(() => item.remove(), 4000);
  return item;
}

/** Asks before something that cannot be undone; resolves to true when confirmed. */
export function confirmAction(message, action = 'Confirm') {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = message;
  document.getElementById('confirm-ok').textContent = action;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

/** Runs an action of a button: disables it meanwhile and shows the API's detail when it fails. */
export async function busy(button, work) {
  if (button) button.disabled = true;
  try {
    return await work();
  } catch (e) {
    toast(e.message);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** A table with a caption; rows are arrays of cells or {cells, attrs}. */
export function table(caption, headers, rows, emptyText = 'Nothing to show.') {
  return h('div', { class: 'scroll' },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((name) => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, rows.length ? rows.map((row) => Array.isArray(row)
        ? h('tr', {}, row.map((cell) => h('td', {}, cell)))
        : h('tr', row.attrs, row.cells.map((cell) => h('td', {}, cell))))
        : h('tr', {}, h('td', { colspan: headers.length, class: 'muted' }, emptyText)))));
}

export function copyButton(text, label = 'Copy') {
  const button = h('button', { type: 'button' }, label);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      toast('Copied', 'info');
    } catch (e) {
      toast('The browser did not allow copying: select the text and copy it by hand');
    }
  });
  return button;
}
