// Access > Applications: the list, and the editor (domain, origin, session, cookie
// settings, single-header credentials, policies) for a new or an existing app.
import { api, listAll } from '../api.js';
import { announce, badge, checkbox, clear, emptyState, field, h, select } from '../dom.js';
import { confirmDialog } from '../dialog.js';
import { plural } from '../format.js';
import { busy, clearErrors, formError, showError, showFieldError } from '../forms.js';
import { decisionLabel, newPolicy, policyEditor, policyFromJson, policyToJson } from './policy_editor.js';

const PER_PAGE = 20;

export async function render(main, ctx) {
  const state = { page: 1 };
  const add = h('a', { class: 'button primary', href: '#/apps/new' }, 'Add an application');
  const region = h('div', { 'aria-live': 'polite' });
  main.append(
    h('p', { class: 'breadcrumb' }, 'Access'),
    h('div', { class: 'page-head' }, h('h1', {}, 'Applications'), add),
    h('p', { class: 'lede' }, 'Each application protects a hostname (and optional path) at the edge and forwards admitted requests to its origin.'),
    region,
  );

  async function remove(app) {
    const ok = await confirmDialog({
      title: `Delete “${app.name}”?`,
      message: [`${app.domain} is no longer protected or routed by Gatehouse; its own policies are deleted with it.`, 'This cannot be undone.'],
      confirmLabel: `Delete ${app.name}`,
      danger: true,
    });
    if (!ok) return;
    try {
      await api.del(`/access/apps/${app.id}`);
      announce(`Deleted “${app.name}”.`);
    } catch (err) {
      announce(err.message);
    }
    await load();
  }

  async function load() {
    const data = await api.list('/access/apps', { page: state.page, per_page: PER_PAGE });
    if (ctx.stale()) return;
    if (!data.result.length && state.page > 1) {
      state.page -= 1;
      return load();
    }
    clear(region);
    if (!data.result.length) {
      region.append(
        emptyState({
          title: 'No applications yet',
          text: 'Add one to put a hostname behind Gatehouse, with a Service Auth policy for the service tokens that may reach it.',
          action: h('a', { class: 'button primary', href: '#/apps/new' }, 'Add an application'),
        }),
      );
      return;
    }
    const pages = Math.max(1, data.result_info?.total_pages ?? 1);
    region.append(
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data responsive' },
          h('caption', { class: 'visually-hidden' }, 'Applications'),
          h('thead', {}, h('tr', {}, ['Name', 'Domain', 'Origin', 'Policies', 'Session'].map((c) => h('th', { scope: 'col' }, c)), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
          h(
            'tbody',
            {},
            data.result.map((a) =>
              h(
                'tr',
                { 'data-app-id': a.id },
                h('td', { 'data-label': 'Name' }, h('a', { href: `#/apps/${a.id}` }, a.name)),
                h('td', { 'data-label': 'Domain', class: 'mono' }, a.domain),
                h('td', { 'data-label': 'Origin', class: 'mono' }, a.origin || '—'),
                h(
                  'td',
                  { 'data-label': 'Policies' },
                  a.policies.length
                    ? a.policies.map((p) => h('div', {}, badge(decisionLabel(p.decision), p.decision === 'deny' ? 'danger' : p.decision === 'non_identity' ? 'info' : 'ok'), p.name))
                    : h('span', { class: 'sub' }, 'None: every request is refused'),
                ),
                h('td', { 'data-label': 'Session' }, a.session_duration),
                h(
                  'td',
                  { 'data-label': '', class: 'actions-cell' },
                  h(
                    'div',
                    { class: 'row-actions' },
                    h('a', { class: 'button small', href: `#/apps/${a.id}`, 'aria-label': `Edit ${a.name}` }, 'Edit'),
                    h('button', { type: 'button', class: 'button small danger-text', 'aria-label': `Delete ${a.name}`, onclick: () => remove(a) }, 'Delete'),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
      h(
        'nav',
        { class: 'pager', 'aria-label': 'Application pages' },
        h('span', {}, `Page ${state.page} of ${pages} · ${plural(data.result_info?.total_count ?? data.result.length, 'application', 'applications')}`),
        h('button', { type: 'button', class: 'button small', disabled: state.page <= 1, onclick: () => { state.page -= 1; load(); } }, 'Previous'),
        h('button', { type: 'button', class: 'button small', disabled: state.page >= pages, onclick: () => { state.page += 1; load(); } }, 'Next'),
      ),
    );
  }
  await load();
}

function textInput(dataField, value, attrs = {}) {
  return h('input', { type: 'text', value: value ?? '', 'data-field': dataField, spellcheck: 'false', autocomplete: 'off', ...attrs });
}

export async function renderEditor(main, ctx) {
  const id = ctx.params[0] === 'new' ? null : ctx.params[0];
  const [app, tokens] = await Promise.all([id ? api.get(`/access/apps/${id}`) : null, listAll('/access/service_tokens')]);
  if (ctx.stale()) return;

  const name = textInput('name', app?.name, { required: true });
  const domain = textInput('domain', app?.domain, { required: true, placeholder: 'app.example.com or *.example.com/path' });
  const origin = textInput('origin', app?.origin, { placeholder: 'http://127.0.0.1:3000' });
  const sessionDuration = textInput('session_duration', app?.session_duration ?? '24h');
  const httpOnly = checkbox({ label: 'HttpOnly', checked: app ? app.http_only_cookie_attribute : true, note: 'The CF_Authorization cookie is not readable by scripts.', dataField: 'http_only_cookie_attribute' });
  const sameSite = select(
    [['', 'Not set (SameSite=None with Secure)'], ['none', 'None'], ['lax', 'Lax'], ['strict', 'Strict']],
    app?.same_site_cookie_attribute ?? '',
    { 'data-field': 'same_site_cookie_attribute' },
  );
  const pathCookie = checkbox({ label: 'Path attribute', checked: app?.path_cookie_attribute, note: 'Scope the cookie to the application’s path.', dataField: 'path_cookie_attribute' });
  const singleHeader = textInput('read_service_tokens_from_header', app?.read_service_tokens_from_header, { placeholder: 'e.g. Authorization-Token' });
  const status401 = checkbox({ label: 'Answer 401 instead of 403', checked: app?.service_auth_401_redirect, note: 'For Service Auth refusals, so clients can tell “missing credentials” from a block page.', dataField: 'service_auth_401_redirect' });

  const originalPolicies = app ? app.policies.map(policyFromJson) : [];
  // The editor works on copies (rules too): the originals tell which policies changed.
  const copy = (p) => ({ ...p, include: p.include.map((r) => ({ ...r })), require: p.require.map((r) => ({ ...r })), exclude: p.exclude.map((r) => ({ ...r })) });
  const editor = policyEditor({ policies: app ? originalPolicies.map(copy) : [newPolicy()], tokens });

  const submit = h('button', { type: 'submit', class: 'button primary' }, app ? 'Save application' : 'Create application');
  const form = h(
    'form',
    { novalidate: true },
    formError(),
    h(
      'div',
      { class: 'card' },
      h('h2', {}, 'Application'),
      field({ label: 'Application name', input: name }),
      field({ label: 'Domain', input: domain, hint: 'The host the edge protects, optionally with a *. wildcard and a path prefix.' }),
      field({ label: 'Origin', input: origin, hint: 'Where admitted requests go: http:// or https:// URL of the upstream.' }),
      field({ label: 'Session duration', input: sessionDuration, hint: 'How long an issued CF_Authorization token lasts (Go syntax: 30m, 24h, 720h).' }),
    ),
    h('div', { class: 'card' }, h('h2', {}, 'Policies'), h('p', { class: 'hint' }, 'Service Auth and Bypass policies are checked first, then Allow and Block in order; a request no policy admits is refused.'), editor.el),
    h(
      'div',
      { class: 'card' },
      h('h2', {}, 'Cookie settings'),
      httpOnly.el,
      field({ label: 'SameSite attribute', input: sameSite }),
      pathCookie.el,
    ),
    h(
      'div',
      { class: 'card' },
      h('h2', {}, 'Service token credentials'),
      field({
        label: 'Single header name (optional)',
        input: singleHeader,
        hint: 'Also accept both credentials in one header holding {"cf-access-client-id": …, "cf-access-client-secret": …}. Empty: only the two CF-Access-Client-* headers.',
      }),
      status401.el,
    ),
    h('div', { class: 'actions start' }, submit, h('a', { class: 'button', href: '#/apps' }, 'Cancel')),
  );

  function body() {
    return {
      name: name.value.trim(),
      domain: domain.value.trim(),
      origin: origin.value.trim(),
      session_duration: sessionDuration.value.trim() || '24h',
      http_only_cookie_attribute: httpOnly.input.checked,
      same_site_cookie_attribute: sameSite.value || null,
      path_cookie_attribute: pathCookie.input.checked,
      read_service_tokens_from_header: singleHeader.value.trim(),
      service_auth_401_redirect: status401.input.checked,
    };
  }

  function checkRequired() {
    let first = null;
    for (const [input, what] of [[name, 'a name'], [domain, 'the domain to protect']]) {
      if (!input.value.trim()) {
        showFieldError(input, `Enter ${what}.`);
        first ??= input;
      }
    }
    editor.value().forEach((p, i) => {
      if (p.reusable) return;
      p.include.forEach((r, j) => {
        if (r.type === 'service_token' && !r.value) {
          const el = form.querySelector(`[data-field="policies[${i}].include[${j}]"]`);
          if (el) {
            showFieldError(el, 'Choose a service token.');
            first ??= el;
          }
        }
      });
    });
    first?.focus();
    return !first;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    if (!checkRequired()) return;
    const policies = editor.value();
    try {
      await busy(submit, async () => {
        if (!app) {
          const created = await api.post('/access/apps', {
            type: 'self_hosted',
            ...body(),
            policies: policies.map((p, i) => (p.id ? { id: p.id, precedence: i + 1 } : { ...policyToJson(p), precedence: i + 1 })),
          });
          announce(`Created “${created.name}”.`);
          return;
        }
        // Existing app-scoped policies are saved on their own (a link in the app only
        // names them); then the app with its new order. An app-scoped policy left out of
        // the list is deleted with its link by the server.
        for (const [i, p] of policies.entries()) {
          if (!p.id || p.reusable) continue;
          const before = originalPolicies.find((o) => o.id === p.id);
          const next = policyToJson(p);
          if (before && JSON.stringify(policyToJson(before)) === JSON.stringify(next)) continue;
          try {
            await api.put(`/access/apps/${app.id}/policies/${p.id}`, next);
          } catch (err) {
            err.prefix = `policies[${i}].`;
            throw err;
          }
        }
        await api.put(`/access/apps/${app.id}`, {
          ...body(),
          policies: policies.map((p, i) => (p.id ? { id: p.id, precedence: i + 1 } : { ...policyToJson(p), precedence: i + 1 })),
        });
        announce(`Saved “${name.value.trim()}”.`);
      });
      ctx.navigate('/apps');
    } catch (err) {
      showError(form, err, { prefix: err.prefix ?? '' });
    }
  });

  main.append(
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/apps' }, 'Applications'), ' › ', app ? app.name : 'New'),
    h('div', { class: 'page-head' }, h('h1', {}, app ? `Edit “${app.name}”` : 'Add an application')),
    app ? h('p', { class: 'lede' }, 'Audience tag (aud): ', h('code', {}, app.aud)) : h('p', { class: 'lede' }, 'A self-hosted application: Gatehouse checks each request at the edge and proxies admitted ones to the origin.'),
    form,
  );
}
