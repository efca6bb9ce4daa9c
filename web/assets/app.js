// The dashboard's shell: session check, sign-in, navigation (hash routes, so the
// server serves one page), theme toggle, and focus on each page's heading.
import { onUnauthorized, session, setAccount } from './api.js';
import { announce, clear, h } from './dom.js';
import * as apps from './pages/apps.js';
import * as logs from './pages/logs.js';
import * as notifications from './pages/notifications.js';
import * as settings from './pages/settings.js';
import * as signin from './pages/signin.js';
import * as tokens from './pages/tokens.js';

const routes = [
  { pattern: /^\/service-tokens$/, nav: 'service-tokens', page: tokens },
  { pattern: /^\/apps$/, nav: 'apps', page: apps },
  { pattern: /^\/apps\/(new|[0-9a-f-]{36})$/, nav: 'apps', page: apps, editor: true },
  { pattern: /^\/notifications$/, nav: 'notifications', page: notifications },
  { pattern: /^\/logs$/, nav: 'logs', page: logs },
  { pattern: /^\/settings$/, nav: 'settings', page: settings },
];

const state = { session: null, renderId: 0 };
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const navToggle = document.getElementById('nav-toggle');
const signOutButton = document.getElementById('sign-out');
const who = document.getElementById('who');

function currentPath() {
  const hash = window.location.hash.replace(/^#/, '');
  return hash || '/service-tokens';
}

export function navigate(path) {
  if (currentPath() === path) route();
  else window.location.hash = `#${path}`;
}

function setSignedIn(s) {
  state.session = s;
  setAccount(s ? s.account_id : null);
  nav.hidden = !s;
  navToggle.hidden = !s;
  signOutButton.hidden = !s;
  who.textContent = s ? `Signed in with API token “${s.api_token.name}” (${s.api_token.scope})` : '';
}

async function route() {
  const renderId = ++state.renderId;
  const path = currentPath();
  if (!state.session) {
    showSignIn();
    return;
  }
  const match = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  for (const a of nav.querySelectorAll('a[data-nav]')) {
    if (match && a.dataset.nav === match.r.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (window.matchMedia('(max-width: 760px)').matches) collapseNav(true);
  clear(main);
  main.setAttribute('aria-busy', 'true');
  const ctx = {
    session: state.session,
    navigate,
    // A page may render asynchronously; it checks this before touching the DOM.
    stale: () => renderId !== state.renderId,
    params: match?.m.slice(1) ?? [],
  };
  try {
    if (!match) {
      main.append(h('h1', { tabindex: '-1' }, 'Page not found'), h('p', {}, h('a', { href: '#/service-tokens' }, 'Service tokens')));
    } else if (match.r.editor) {
      await match.r.page.renderEditor(main, ctx);
    } else {
      await match.r.page.render(main, ctx);
    }
  } catch (err) {
    if (ctx.stale()) return;
    main.append(h('div', { class: 'form-error', role: 'alert' }, `Could not load this page: ${err.message}`));
  } finally {
    if (!ctx.stale()) main.removeAttribute('aria-busy');
  }
  if (ctx.stale()) return;
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} · Gatehouse` : 'Gatehouse';
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    // Move focus to the new page (for keyboard and screen-reader users), except on first load.
    if (state.focusOnRoute) heading.focus();
  }
  state.focusOnRoute = true;
}

function showSignIn() {
  for (const a of nav.querySelectorAll('a[data-nav]')) a.removeAttribute('aria-current');
  clear(main);
  document.title = 'Sign in · Gatehouse';
  signin.render(main, {
    onSignedIn: (s) => {
      setSignedIn(s);
      announce(`Signed in with API token “${s.api_token.name}”.`);
      state.focusOnRoute = true;
      route();
    },
  });
}

function collapseNav(collapsed) {
  nav.classList.toggle('collapsed', collapsed);
  navToggle.setAttribute('aria-expanded', String(!collapsed));
}

function setupTheme() {
  const button = document.getElementById('theme-toggle');
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const effective = () => document.documentElement.dataset.theme ?? (media.matches ? 'dark' : 'light');
  const sync = () => {
    const dark = effective() === 'dark';
    button.setAttribute('aria-pressed', String(dark));
    button.textContent = 'Dark theme';
    button.title = dark ? 'Switch to the light theme' : 'Switch to the dark theme';
  };
  button.addEventListener('click', () => {
    const next = effective() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem('gatehouse-theme', next);
    } catch {
      /* not stored: still applies to this page */
    }
    sync();
  });
  media.addEventListener('change', sync);
  sync();
}

async function start() {
  setupTheme();
  collapseNav(window.matchMedia('(max-width: 760px)').matches);
  navToggle.addEventListener('click', () => collapseNav(!nav.classList.contains('collapsed')));
  signOutButton.addEventListener('click', async () => {
    try {
      await session.signOut();
    } catch {
      /* the session is gone either way */
    }
    setSignedIn(null);
    announce('Signed out.');
    showSignIn();
  });
  onUnauthorized(() => {
    if (!state.session) return;
    setSignedIn(null);
    announce('Your session has ended. Sign in again.');
    showSignIn();
  });
  window.addEventListener('hashchange', route);
  try {
    setSignedIn(await session.get());
  } catch {
    setSignedIn(null);
  }
  await route();
}

start();
