// Access > Service Auth > Service Tokens: the list (search, paging, badges) and the
// lifecycle actions: create, refresh, edit, rotate, enable/disable, delete.
import { api } from '../api.js';
import { announce, badge, clear, emptyState, field, h } from '../dom.js';
import { absolute, EXPIRING_SOON_MS, plural, relative } from '../format.js';
import { confirmDialog } from '../dialog.js';
import { createTokenDialog, editTokenDialog, rotateTokenDialog } from './token_dialogs.js';
import { copyButton } from './token_secret.js';

const PER_PAGE = 20;

export function expiryBadges(t, now = Date.now()) {
  const out = [];
  if (!t.expires_at) out.push(badge('Non-expiring', 'info'));
  else if (Date.parse(t.expires_at) <= now) out.push(badge('Expired', 'danger'));
  else if (Date.parse(t.expires_at) - now <= EXPIRING_SOON_MS) out.push(badge('Expires within 7 days', 'warn'));
  return out;
}

function timeCell(iso, never) {
  if (!iso) return [h('span', {}, never)];
  return [h('span', { title: iso }, relative(iso)), h('span', { class: 'sub' }, absolute(iso))];
}

export async function render(main, ctx) {
  const state = { page: 1, search: '', total: 0 };
  const create = h('button', { type: 'button', class: 'button primary' }, 'Create service token');
  const search = h('input', { type: 'search', placeholder: 'Name or Client ID', autocomplete: 'off' });
  const region = h('div', { 'aria-live': 'polite', 'aria-busy': 'false' });
  main.append(
    h('p', { class: 'breadcrumb' }, 'Access › Service Auth'),
    h('div', { class: 'page-head' }, h('h1', {}, 'Service Tokens'), create),
    h(
      'p',
      { class: 'lede' },
      'Service tokens let scripts and services reach protected applications: they send a Client ID and a Client Secret as two headers, and an application admits them through a Service Auth policy.',
    ),
    h('div', { class: 'toolbar', role: 'search' }, field({ label: 'Search service tokens', input: search })),
    region,
  );

  const reload = () => load();
  create.addEventListener('click', () => createTokenDialog({ onDone: reload }));
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.search = search.value.trim();
      state.page = 1;
      load();
    }, 250);
  });

  async function act(fn, done) {
    try {
      const r = await fn();
      if (done) announce(done(r));
    } catch (err) {
      announce(err.message);
    }
    await load();
  }

  function actions(t) {
    const named = (verb) => `${verb} ${t.name}`;
    const b = (text, label, onclick, kind = '') =>
      h('button', { type: 'button', class: `button small ${kind}`, 'aria-label': label, onclick }, text);
    return h(
      'div',
      { class: 'row-actions' },
      b('Refresh', `${named('Refresh')} (extend by one year)`, () =>
        act(
          () => api.post(`/access/service_tokens/${t.id}/refresh`),
          (r) => (r.expires_at ? `“${r.name}” now expires ${absolute(r.expires_at)}.` : `“${r.name}” is non-expiring.`),
        ),
      ),
      b('Edit', named('Edit'), () =>
        editTokenDialog(t, {
          onDone: (r) => {
            if (r === 'saved') announce(`Saved “${t.name}”.`);
            load();
          },
        }),
      ),
      b('Rotate', named('Rotate the secret of'), () => rotateTokenDialog(t, { onDone: reload })),
      t.enabled
        ? b('Disable', named('Disable'), async () => {
            const ok = await confirmDialog({
              title: `Disable “${t.name}”?`,
              message: 'Requests with this token, and sessions issued to it, are refused until you enable it again.',
              confirmLabel: `Disable ${t.name}`,
              danger: true,
            });
            if (ok) await act(() => api.put(`/access/service_tokens/${t.id}`, { enabled: false }), () => `Disabled “${t.name}”.`);
          })
        : b('Enable', named('Enable'), () =>
            act(() => api.put(`/access/service_tokens/${t.id}`, { enabled: true }), () => `Enabled “${t.name}”.`),
          ),
      b(
        'Delete',
        named('Delete'),
        async () => {
          const ok = await confirmDialog({
            title: `Delete “${t.name}”?`,
            message: [
              `Requests with the Client ID ${t.client_id} are refused from the next request on, and so are sessions issued to it.`,
              'This cannot be undone.',
            ],
            confirmLabel: `Delete ${t.name}`,
            danger: true,
          });
          if (ok) await act(() => api.del(`/access/service_tokens/${t.id}`), () => `Deleted “${t.name}”.`);
        },
        'danger-text',
      ),
    );
  }

  function row(t) {
    const now = Date.now();
    const prev = t.previous_client_secret_expires_at;
    return h(
      'tr',
      { 'data-token-id': t.id },
      h('td', { 'data-label': 'Name' }, h('strong', {}, t.name), ' ', t.enabled ? null : badge('Disabled', 'neutral')),
      h(
        'td',
        { 'data-label': 'Client ID' },
        h('span', { class: 'client-id' }, t.client_id),
        ' ',
        copyButton(t.client_id, `Client ID of ${t.name}`),
      ),
      h('td', { 'data-label': 'Expires' }, t.expires_at ? timeCell(t.expires_at) : null, h('div', {}, expiryBadges(t, now))),
      h('td', { 'data-label': 'Last seen' }, timeCell(t.last_seen_at, 'Never')),
      h(
        'td',
        { 'data-label': 'Secret version' },
        h('span', {}, String(t.client_secret_version)),
        prev && Date.parse(prev) > now ? h('span', { class: 'sub' }, `previous accepted until ${absolute(prev)}`) : null,
      ),
      h('td', { 'data-label': '', class: 'actions-cell' }, actions(t)),
    );
  }

  async function load() {
    region.setAttribute('aria-busy', 'true');
    let data;
    try {
      data = await api.list('/access/service_tokens', { page: state.page, per_page: PER_PAGE, search: state.search });
    } catch (err) {
      if (ctx.stale()) return;
      clear(region).append(h('div', { class: 'form-error', role: 'alert' }, `Could not load service tokens: ${err.message}`));
      region.setAttribute('aria-busy', 'false');
      return;
    }
    if (ctx.stale()) return;
    const info = data.result_info ?? { total_count: data.result.length, total_pages: 1 };
    // A page emptied by a delete: step back.
    if (!data.result.length && state.page > 1) {
      state.page -= 1;
      return load();
    }
    clear(region);
    region.setAttribute('aria-busy', 'false');
    if (!data.result.length) {
      region.append(
        state.search
          ? emptyState({ title: 'No matches', text: `No service token has “${state.search}” in its name or Client ID.` })
          : emptyState({
              title: 'No service tokens yet',
              text: 'Create one for each script or service that needs to reach a protected application.',
              action: h('button', { type: 'button', class: 'button primary', onclick: () => createTokenDialog({ onDone: reload }) }, 'Create service token'),
            }),
      );
      return;
    }
    const pages = Math.max(1, info.total_pages);
    region.append(
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data responsive' },
          h('caption', { class: 'visually-hidden' }, `Service tokens, page ${state.page} of ${pages}`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Name', 'Client ID', 'Expires', 'Last seen', 'Secret version'].map((c) => h('th', { scope: 'col' }, c)),
              h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
            ),
          ),
          h('tbody', {}, data.result.map(row)),
        ),
      ),
      h(
        'nav',
        { class: 'pager', 'aria-label': 'Service token pages' },
        h('span', {}, `Page ${state.page} of ${pages} · ${plural(info.total_count, 'token', 'tokens')}`),
        h('button', { type: 'button', class: 'button small', disabled: state.page <= 1, onclick: () => { state.page -= 1; load(); } }, 'Previous'),
        h('button', { type: 'button', class: 'button small', disabled: state.page >= pages, onclick: () => { state.page += 1; load(); } }, 'Next'),
      ),
    );
  }

  await load();
}
