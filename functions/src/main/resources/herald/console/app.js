// The console's shell: the key, the navigation (what a key's role may use), and the pages, loaded when first opened.
import { api, consoleConfig, forgetKey, getKey, setKey } from './api.js?v={{version}}';
import { clear, field, h, toast } from './dom.js?v={{version}}';

const PAGES = [
  { id: 'overview', title: 'Overview', load: () => import('./overview.js?v={{version}}') },
  { id: 'events', title: 'Live events', load: () => import('./events.js?v={{version}}') },
  { id: 'jobs', title: 'Jobs', load: () => import('./jobs.js?v={{version}}') },
  { id: 'scripts', title: 'Scripts', admin: true, load: () => import('./scripts.js?v={{version}}') },
  { id: 'triggers', title: 'Triggers', admin: true, load: () => import('./triggers.js?v={{version}}') },
  { id: 'keys', title: 'Keys', admin: true, load: () => import('./keys.js?v={{version}}') },
];

const main = document.getElementById('main');
let session = null;
let cleanup = null;
/** Counts navigations: a page whose navigation was overtaken by another never renders over it. */
let navigation = 0;

/** Who the key belongs to: name, role and the projects it is limited to (null: every project). */
async function whoAmI() {
  const me = await api('GET', 'api/users/me');
  const data = me.data || me;
  const groups = Object.keys(data.accessGroups || {});
  return {
    name: me.name,
    role: data.role,
    projects: groups.length ? groups.sort() : null,
    isAdmin: data.role === 'admin',
    isService: data.role === 'admin' || data.role === 'service',
  };
}

function showSignIn(message) {
  session = null;
  clear(document.getElementById('nav'));
  clear(document.getElementById('who'));
  const input = h('input', { type: 'password', name: 'key', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' }, message || '');
  const form = h('form', { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('p', {}, 'Enter an API key. It is kept in this tab only, and sent to Herald with every call.'),
    field('API key', input),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    setKey(input.value.trim());
    try {
      session = await whoAmI();
    } catch (err) {
      forgetKey();
      error.textContent = err.status === 401 || err.status === 403
        ? `That key was not accepted: ${err.message}. Check the key (it may be revoked or expired) and try again.`
        : err.message;
      input.focus();
      return;
    }
    start();
  });
  clear(main, form);
  input.focus();
}

function renderNav() {
  const nav = document.getElementById('nav');
  const current = (location.hash.slice(2).split('/')[0]) || defaultPage();
  clear(nav, h('ul', {}, PAGES.filter((p) => !p.admin || session.isAdmin).map((p) => h('li', {},
    h('a', { href: `#/${p.id}`, 'aria-current': p.id === current ? 'page' : null }, p.title)))));
  const projects = session.projects ? ` · ${session.projects.join(', ')}` : '';
  clear(document.getElementById('who'),
    h('span', { class: 'who-name' }, `${session.name} (${session.role}${projects})`),
    h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'));
}

function defaultPage() {
  return 'overview';
}

function signOut() {
  forgetKey();
  if (cleanup) cleanup();
  cleanup = null;
  location.hash = '';
  showSignIn('Signed out.');
}

async function route() {
  if (!session) return;
  const mine = ++navigation;
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const [pageId, ...rest] = location.hash.replace(/^#\/?/, '').split('?')[0].split('/');
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const page = PAGES.find((p) => p.id === (pageId || defaultPage()));
  renderNav();
  if (!page) {
    clear(main, h('h1', {}, 'Not found'), h('p', {}, 'No such page. ', h('a', { href: '#/overview' }, 'Overview')));
    return;
  }
  if (page.admin && !session.isAdmin) {
    clear(main, h('h1', {}, page.title), h('p', { class: 'error', role: 'alert' },
      `This page needs an admin key; ${session.name} is a ${session.role} key.`));
    return;
  }
  document.title = `${page.title} · Herald Console`;
  try {
    const module = await page.load();
    const context = { session, config: await consoleConfig(), key: getKey(), params, path: rest.map(decodeURIComponent) };
    if (mine !== navigation) return;
    const container = h('div', { class: 'page', id: `page-${page.id}` });
    clear(main, container);
    const done = (await module.render(container, context)) || null;
    if (mine !== navigation) {
      if (done) done();
      return;
    }
    cleanup = done;
    main.focus({ preventScroll: true });
  } catch (e) {
    if (mine !== navigation) return;
    if (e.status === 401) {
      forgetKey();
      showSignIn(`The key stopped working: ${e.message}`);
      return;
    }
    clear(main, h('h1', {}, page.title), h('p', { class: 'error', role: 'alert' }, e.message));
  }
}

async function start() {
  if (!session) {
    if (!getKey()) {
      showSignIn();
      return;
    }
    try {
      session = await whoAmI();
    } catch (e) {
      forgetKey();
      showSignIn(`The saved key was not accepted: ${e.message}`);
      return;
    }
  }
  await route();
}

window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', (e) => toast(e.reason && e.reason.message ? e.reason.message : String(e.reason)));
start();
