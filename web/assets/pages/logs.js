// Logs: the authentication log (one row per decision about a known token, compat.md
// §1.6), filterable by token name, application, outcome and time; and the audit log
// of admin changes.
import { api, listAll } from '../api.js';
import { badge, clear, emptyState, field, h, select } from '../dom.js';
import { absolute, plural, relative, rfc3339 } from '../format.js';
import { unavailable } from './unavailable.js';

const PER_PAGE = 50;

function when(iso) {
  return iso ? [h('span', { title: iso }, absolute(iso)), h('span', { class: 'sub' }, relative(iso))] : '';
}

function pager(label, state, total, load) {
  const pages = Math.max(1, total.total_pages ?? 1);
  return h(
    'nav',
    { class: 'pager', 'aria-label': label },
    h('span', {}, `Page ${state.page} of ${pages} · ${plural(total.total_count ?? 0, 'entry', 'entries')}`),
    h('button', { type: 'button', class: 'button small', disabled: state.page <= 1, onclick: () => { state.page -= 1; load(); } }, 'Previous'),
    h('button', { type: 'button', class: 'button small', disabled: state.page >= pages, onclick: () => { state.page += 1; load(); } }, 'Next'),
  );
}

function table(caption, headers, rows) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data responsive' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, headers.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows),
    ),
  );
}

// datetime-local (local time, no zone) → RFC 3339 UTC.
function fromLocal(v) {
  if (!v) return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? rfc3339(ms) : undefined;
}

async function authLog(panel, ctx) {
  const apps = await listAll('/access/apps').catch(() => []);
  const tokenName = h('input', { type: 'search', autocomplete: 'off', placeholder: 'e.g. ci-deploy' });
  const app = select([['', 'Any application'], ...apps.map((a) => [a.id, `${a.name} (${a.domain})`])], '');
  const outcome = select([['', 'Any outcome'], ['allowed', 'Allowed'], ['denied', 'Refused']], '');
  const since = h('input', { type: 'datetime-local' });
  const until = h('input', { type: 'datetime-local' });
  const apply = h('button', { type: 'submit', class: 'button primary' }, 'Apply filters');
  const state = { page: 1 };
  const region = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'toolbar', role: 'search', 'aria-label': 'Filter the authentication log' },
    field({ label: 'Token name', input: tokenName }),
    field({ label: 'Application', input: app }),
    field({ label: 'Outcome', input: outcome }),
    field({ label: 'From', input: since }),
    field({ label: 'To', input: until }),
    h('div', { class: 'field' }, apply),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.page = 1;
    load();
  });
  panel.append(form, region);

  async function load() {
    const selectedApp = apps.find((a) => a.id === app.value);
    const query = {
      page: state.page,
      per_page: PER_PAGE,
      direction: 'desc',
      since: fromLocal(since.value),
      until: fromLocal(until.value),
      service_token_name: tokenName.value.trim() || undefined,
      app_id: selectedApp?.id,
      allowed: outcome.value ? String(outcome.value === 'allowed') : undefined,
    };
    let data;
    region.setAttribute('aria-busy', 'true');
    try {
      data = await api.list('/access/logs/access_requests', query);
    } catch (err) {
      if (ctx.stale()) return;
      clear(region).append(err.unavailable ? unavailable('The authentication log is', '/access/logs/access_requests') : h('p', { class: 'form-error', role: 'alert' }, err.message));
      form.hidden = err.unavailable;
      return;
    } finally {
      region.setAttribute('aria-busy', 'false');
    }
    if (ctx.stale()) return;
    // The server applies the filters (and refuses one it does not know, so a filter is
    // never silently ignored).
    const rows = data.result;
    clear(region);
    if (!rows.length) {
      region.append(emptyState({ title: 'No authentication events', text: 'Nothing matches these filters. Events appear as service tokens are used at the edge.' }));
      return;
    }
    region.append(
      table(
        'Authentication log',
        ['Time', 'Outcome', 'Token', 'Application', 'Client IP', 'Request ID'],
        rows.map((r) =>
          h(
            'tr',
            {},
            h(
              'td',
              { 'data-label': 'Time' },
              when(r.created_at),
              // Allowed decisions alike within a second are one row (docs/logs.md).
              r.count > 1 ? h('span', { class: 'sub' }, `${r.count} requests from here`) : null,
            ),
            h('td', { 'data-label': 'Outcome' }, r.allowed ? badge('Allowed', 'ok') : badge('Refused', 'danger'), r.reason ? h('span', { class: 'sub mono' }, r.reason) : null),
            h(
              'td',
              { 'data-label': 'Token' },
              r.service_token_name || '—',
              r.client_id ? h('span', { class: 'sub client-id' }, r.client_id) : null,
              r.client_secret_version ? h('span', { class: 'sub' }, `secret version ${r.client_secret_version}`) : null,
            ),
            h('td', { 'data-label': 'Application', class: 'mono' }, r.app_domain || '—'),
            h('td', { 'data-label': 'Client IP', class: 'mono' }, r.ip_address || '—'),
            h('td', { 'data-label': 'Request ID', class: 'mono' }, r.ray_id || '—'),
          ),
        ),
      ),
      pager('Authentication log pages', state, data.result_info ?? {}, load),
    );
  }
  await load();
}

async function auditLog(panel, ctx) {
  const state = { page: 1 };
  const region = h('div', { 'aria-live': 'polite' });
  panel.append(region);
  async function load() {
    let data;
    try {
      data = await api.list('/audit_logs', { page: state.page, per_page: PER_PAGE });
    } catch (err) {
      if (ctx.stale()) return;
      clear(region).append(err.unavailable ? unavailable('The audit log is', '/audit_logs') : h('p', { class: 'form-error', role: 'alert' }, err.message));
      return;
    }
    if (ctx.stale()) return;
    clear(region);
    if (!data.result.length) {
      region.append(emptyState({ title: 'No changes yet', text: 'Every change made through the API, the CLI or this dashboard is recorded here.' }));
      return;
    }
    region.append(
      table(
        'Audit log',
        ['Time', 'Who', 'Action', 'Resource', 'Details'],
        data.result.map((e) =>
          h(
            'tr',
            {},
            h('td', { 'data-label': 'Time' }, when(e.when)),
            h('td', { 'data-label': 'Who' }, e.actor?.name || e.actor?.type || '', h('span', { class: 'sub' }, [e.actor?.type, e.interface].filter(Boolean).join(' · '))),
            h('td', { 'data-label': 'Action', class: 'mono' }, e.action?.type ?? ''),
            h('td', { 'data-label': 'Resource' }, e.resource?.name || e.resource?.id || '', h('span', { class: 'sub' }, e.resource?.type ?? '')),
            h(
              'td',
              { 'data-label': 'Details' },
              e.oldValueJson || e.newValueJson
                ? h(
                    'details',
                    { class: 'json' },
                    h('summary', {}, 'Before and after'),
                    e.oldValueJson ? [h('strong', {}, 'Before'), h('pre', { class: 'block' }, JSON.stringify(e.oldValueJson, null, 2))] : null,
                    e.newValueJson ? [h('strong', {}, 'After'), h('pre', { class: 'block' }, JSON.stringify(e.newValueJson, null, 2))] : null,
                  )
                : '—',
            ),
          ),
        ),
      ),
      pager('Audit log pages', state, data.result_info ?? {}, load),
    );
  }
  await load();
}

// Tabs with the ARIA tab pattern: arrow keys move between tabs, Tab enters the panel.
export async function render(main, ctx) {
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Logs')), h('p', { class: 'lede' }, 'Who authenticated where, and who changed what.'));
  const tabs = [
    { id: 'auth', label: 'Authentication', load: authLog },
    { id: 'audit', label: 'Audit', load: auditLog },
  ];
  const list = h('div', { role: 'tablist', 'aria-label': 'Logs' });
  const panels = tabs.map((t) => h('div', { role: 'tabpanel', id: `panel-${t.id}`, 'aria-labelledby': `tab-${t.id}`, tabindex: '0', hidden: true }));
  const buttons = tabs.map((t, i) =>
    h('button', { type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}`, 'aria-selected': 'false', tabindex: '-1', onclick: () => selectTab(i, false) }, t.label),
  );
  const loaded = new Set();
  async function selectTab(i, focus) {
    buttons.forEach((b, k) => {
      b.setAttribute('aria-selected', String(k === i));
      b.tabIndex = k === i ? 0 : -1;
      panels[k].hidden = k !== i;
    });
    if (focus) buttons[i].focus();
    if (!loaded.has(i)) {
      loaded.add(i);
      try {
        await tabs[i].load(panels[i], ctx);
      } catch (err) {
        panels[i].append(h('p', { class: 'form-error', role: 'alert' }, err.message));
      }
    }
  }
  list.addEventListener('keydown', (e) => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    let k = null;
    if (e.key === 'ArrowRight') k = (i + 1) % buttons.length;
    else if (e.key === 'ArrowLeft') k = (i - 1 + buttons.length) % buttons.length;
    else if (e.key === 'Home') k = 0;
    else if (e.key === 'End') k = buttons.length - 1;
    if (k === null) return;
    e.preventDefault();
    selectTab(k, true);
  });
  list.append(...buttons);
  main.append(list, ...panels);
  await selectTab(0, false);
}
