// Notifications: "Expiring Access Service Token" alerts (email recipients, webhooks,
// optional token filter), webhook destinations, and the history of what was sent
// (compat.md §1.5, /alerting/v3).
import { api, listAll } from '../api.js';
import { announce, badge, checkbox, clear, emptyState, field, h, uid } from '../dom.js';
import { confirmDialog, openDialog } from '../dialog.js';
import { absolute, relative } from '../format.js';
import { busy, clearErrors, formError, showError, showFieldError } from '../forms.js';
import { unavailable } from './unavailable.js';

const ALERT_TYPE = 'expiring_service_token_alert';
const ALERT_LABEL = 'Expiring Access Service Token';

function table(caption, headers, rows) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data responsive' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, headers.map((c) => h('th', { scope: 'col' }, c ? c : h('span', { class: 'visually-hidden' }, 'Actions'))))),
      h('tbody', {}, rows),
    ),
  );
}

function emailsOf(p) {
  return (p.mechanisms?.email ?? []).map((m) => m.id);
}

function splitEmails(text) {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function alertBody(p, overrides = {}) {
  const body = {
    name: p.name,
    description: p.description ?? '',
    enabled: p.enabled,
    alert_type: p.alert_type ?? ALERT_TYPE,
    mechanisms: p.mechanisms ?? {},
  };
  if (p.filters && Object.keys(p.filters).length) body.filters = p.filters;
  return { ...body, ...overrides };
}

function addAlertDialog({ tokens, webhooks, onDone }) {
  openDialog({
    title: `Add an “${ALERT_LABEL}” alert`,
    onClose: onDone,
    build: (ctl) => {
      const name = h('input', { type: 'text', 'data-field': 'name', required: true, autocomplete: 'off' });
      const description = h('input', { type: 'text', 'data-field': 'description', autocomplete: 'off' });
      const emails = h('textarea', { 'data-field': 'mechanisms.email', spellcheck: 'false', rows: '3' });
      const hooks = webhooks.map((w) => ({ w, box: checkbox({ label: w.name, note: w.url }) }));
      const allTokens = h('input', { type: 'radio', name: 'token-scope', value: 'all', checked: true, id: uid('r') });
      const someTokens = h('input', { type: 'radio', name: 'token-scope', value: 'some', id: uid('r') });
      const tokenBoxes = tokens.map((t) => ({ t, box: checkbox({ label: t.name, note: t.client_id }) }));
      const tokenList = h('div', { class: 'token-filter', 'data-field': 'filters.token_id', tabindex: '-1', hidden: true }, tokenBoxes.map((x) => x.box.el));
      const sync = () => {
        tokenList.hidden = !someTokens.checked;
      };
      allTokens.addEventListener('change', sync);
      someTokens.addEventListener('change', sync);
      const submit = h('button', { type: 'submit', class: 'button primary' }, 'Save alert');
      const form = h(
        'form',
        { novalidate: true },
        formError(),
        h('p', { class: 'callout info' }, 'Sent once for each enabled service token whose expiry falls within the next 7 days, and again after a refresh when the new expiry comes near. Non-expiring and disabled tokens never fire.'),
        field({ label: 'Alert name', input: name }),
        field({ label: 'Description (optional)', input: description }),
        field({ label: 'Email recipients', input: emails, hint: 'One address per line, or separated by commas.' }),
        h(
          'fieldset',
          { 'data-field': 'mechanisms.webhooks' },
          h('legend', {}, 'Webhooks'),
          hooks.length ? hooks.map((x) => x.box.el) : h('p', { class: 'hint' }, 'No webhook destinations yet: add one under Webhook destinations.'),
        ),
        h(
          'fieldset',
          {},
          h('legend', {}, 'Service tokens'),
          h('label', { class: 'check', for: allTokens.id }, allTokens, h('span', {}, 'Every service token, current and future')),
          h('label', { class: 'check', for: someTokens.id }, someTokens, h('span', {}, 'Only the tokens chosen below')),
          tokenList,
        ),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button', onclick: () => ctl.close() }, 'Cancel'), submit),
      );
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        clearErrors(form);
        const list = splitEmails(emails.value);
        const chosenHooks = hooks.filter((x) => x.box.input.checked).map((x) => ({ id: x.w.id }));
        let bad = false;
        if (!name.value.trim()) {
          showFieldError(name, 'Enter a name for the alert.');
          bad = true;
        }
        const invalid = list.filter((a) => !/^[^@\s]+@[^@\s]+$/.test(a));
        if (invalid.length) {
          showFieldError(emails, `Not an email address: ${invalid.join(', ')}`);
          bad = true;
        } else if (!list.length && !chosenHooks.length) {
          showFieldError(emails, 'Add at least one email recipient or choose a webhook.');
          bad = true;
        }
        const chosenTokens = tokenBoxes.filter((x) => x.box.input.checked).map((x) => x.t.id);
        if (someTokens.checked && !chosenTokens.length) {
          showFieldError(tokenList, 'Choose at least one token, or alert on every token.');
          bad = true;
        }
        if (bad) {
          form.querySelector('[aria-invalid="true"]')?.focus();
          return;
        }
        const body = {
          name: name.value.trim(),
          description: description.value.trim(),
          enabled: true,
          alert_type: ALERT_TYPE,
          mechanisms: { email: list.map((id) => ({ id })), webhooks: chosenHooks },
        };
        if (someTokens.checked) body.filters = { token_id: chosenTokens };
        try {
          await busy(submit, () => api.post('/alerting/v3/policies', body));
          announce(`Added the alert “${body.name}”.`);
          ctl.close('saved');
        } catch (err) {
          showError(form, err);
        }
      });
      return [form];
    },
  });
}

function addWebhookDialog({ onDone }) {
  openDialog({
    title: 'Add a webhook destination',
    onClose: onDone,
    build: (ctl) => {
      const name = h('input', { type: 'text', 'data-field': 'name', autocomplete: 'off' });
      const url = h('input', { type: 'url', 'data-field': 'url', placeholder: 'https://hooks.example.com/gatehouse', autocomplete: 'off' });
      const secret = h('input', { type: 'password', 'data-field': 'secret', autocomplete: 'new-password' });
      const submit = h('button', { type: 'submit', class: 'button primary' }, 'Save destination');
      const form = h(
        'form',
        { novalidate: true },
        formError(),
        field({ label: 'Name', input: name }),
        field({ label: 'URL', input: url }),
        field({ label: 'Secret (optional)', input: secret, hint: 'Sent as the cf-webhook-auth header; it cannot be read back.' }),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button', onclick: () => ctl.close() }, 'Cancel'), submit),
      );
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        clearErrors(form);
        if (!name.value.trim() || !url.value.trim()) {
          if (!name.value.trim()) showFieldError(name, 'Enter a name.');
          if (!url.value.trim()) showFieldError(url, 'Enter the URL to POST alerts to.');
          form.querySelector('[aria-invalid="true"]')?.focus();
          return;
        }
        const body = { name: name.value.trim(), url: url.value.trim() };
        if (secret.value) body.secret = secret.value;
        try {
          await busy(submit, () => api.post('/alerting/v3/destinations/webhooks', body));
          announce(`Added the webhook “${body.name}”.`);
          ctl.close('saved');
        } catch (err) {
          showError(form, err);
        }
      });
      return [form];
    },
  });
}

export async function render(main, ctx) {
  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Notifications')),
    h('p', { class: 'lede' }, 'Hear about a service token before it expires, by email or webhook, instead of from a failed deploy.'),
  );
  let policies;
  try {
    policies = await listAll('/alerting/v3/policies');
  } catch (err) {
    if (ctx.stale()) return;
    if (err.unavailable) {
      main.append(unavailable('Notifications are', '/alerting/v3'));
      return;
    }
    throw err;
  }
  if (ctx.stale()) return;
  const [tokens, webhooks] = await Promise.all([
    listAll('/access/service_tokens'),
    listAll('/alerting/v3/destinations/webhooks').catch(() => []),
  ]);
  if (ctx.stale()) return;

  const addAlert = h('button', { type: 'button', class: 'button primary' }, 'Add an alert');
  const addHook = h('button', { type: 'button', class: 'button' }, 'Add a webhook destination');
  const alertsRegion = h('div', { 'aria-live': 'polite' });
  const hooksRegion = h('div');
  const historyRegion = h('div');
  main.querySelector('.page-head').append(addAlert);
  main.append(
    h('section', { 'aria-labelledby': 'alerts-h' }, h('h2', { id: 'alerts-h' }, 'Alerts'), alertsRegion),
    h('section', { 'aria-labelledby': 'hooks-h' }, h('div', { class: 'page-head' }, h('h2', { id: 'hooks-h' }, 'Webhook destinations'), addHook), hooksRegion),
    h('section', { 'aria-labelledby': 'history-h' }, h('h2', { id: 'history-h' }, 'History'), historyRegion),
  );

  const tokenName = (id) => tokens.find((t) => t.id === id)?.name ?? id;
  const hookName = (id) => webhooks.find((w) => w.id === id)?.name ?? id;

  async function reload() {
    policies = await listAll('/alerting/v3/policies');
    webhooks.splice(0, webhooks.length, ...(await listAll('/alerting/v3/destinations/webhooks').catch(() => [])));
    if (ctx.stale()) return;
    drawAlerts();
    drawHooks();
    await drawHistory();
  }

  addAlert.addEventListener('click', () => addAlertDialog({ tokens, webhooks, onDone: (r) => r === 'saved' && reload() }));
  addHook.addEventListener('click', () => addWebhookDialog({ onDone: (r) => r === 'saved' && reload() }));

  function drawAlerts() {
    clear(alertsRegion);
    if (!policies.length) {
      alertsRegion.append(
        emptyState({
          title: 'No alerts yet',
          text: `Add an “${ALERT_LABEL}” alert to be told a week before a service token stops working.`,
          action: h('button', { type: 'button', class: 'button primary', onclick: () => addAlert.click() }, 'Add an alert'),
        }),
      );
      return;
    }
    alertsRegion.append(
      table(
        'Alerts',
        ['Name', 'Type', 'Recipients', 'Tokens', 'Enabled', ''],
        policies.map((p) => {
          const enabled = checkbox({ label: 'Enabled', checked: p.enabled });
          enabled.input.setAttribute('aria-label', `Enabled: ${p.name}`);
          enabled.input.addEventListener('change', async () => {
            try {
              await api.put(`/alerting/v3/policies/${p.id}`, alertBody(p, { enabled: enabled.input.checked }));
              announce(`${enabled.input.checked ? 'Enabled' : 'Disabled'} “${p.name}”.`);
            } catch (err) {
              announce(err.message);
            }
            await reload();
          });
          const recipients = [...emailsOf(p), ...(p.mechanisms?.webhooks ?? []).map((w) => `webhook: ${hookName(w.id)}`)];
          const filtered = p.filters?.token_id ?? [];
          return h(
            'tr',
            { 'data-alert-id': p.id },
            h('td', { 'data-label': 'Name' }, h('strong', {}, p.name), p.description ? h('span', { class: 'sub' }, p.description) : null),
            h('td', { 'data-label': 'Type' }, p.alert_type === ALERT_TYPE ? ALERT_LABEL : p.alert_type),
            h('td', { 'data-label': 'Recipients' }, recipients.map((r) => h('div', {}, r))),
            h('td', { 'data-label': 'Tokens' }, filtered.length ? filtered.map((id) => h('div', {}, tokenName(id))) : 'Every token'),
            h('td', { 'data-label': 'Enabled' }, enabled.el),
            h(
              'td',
              { 'data-label': '', class: 'actions-cell' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'button small danger-text',
                  'aria-label': `Delete ${p.name}`,
                  onclick: async () => {
                    const ok = await confirmDialog({ title: `Delete the alert “${p.name}”?`, message: 'No more notifications are sent for it.', confirmLabel: `Delete ${p.name}`, danger: true });
                    if (!ok) return;
                    try {
                      await api.del(`/alerting/v3/policies/${p.id}`);
                      announce(`Deleted “${p.name}”.`);
                    } catch (err) {
                      announce(err.message);
                    }
                    await reload();
                  },
                },
                'Delete',
              ),
            ),
          );
        }),
      ),
    );
  }

  function drawHooks() {
    clear(hooksRegion);
    if (!webhooks.length) {
      hooksRegion.append(h('p', { class: 'hint' }, 'No webhook destinations. Alerts can also POST a JSON payload to a URL of yours.'));
      return;
    }
    hooksRegion.append(
      table(
        'Webhook destinations',
        ['Name', 'URL', ''],
        webhooks.map((w) =>
          h(
            'tr',
            {},
            h('td', { 'data-label': 'Name' }, w.name),
            h('td', { 'data-label': 'URL', class: 'mono' }, w.url),
            h(
              'td',
              { 'data-label': '', class: 'actions-cell' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'button small danger-text',
                  'aria-label': `Delete webhook ${w.name}`,
                  onclick: async () => {
                    const ok = await confirmDialog({ title: `Delete the webhook “${w.name}”?`, message: 'Alerts stop posting to it.', confirmLabel: `Delete ${w.name}`, danger: true });
                    if (!ok) return;
                    try {
                      await api.del(`/alerting/v3/destinations/webhooks/${w.id}`);
                    } catch (err) {
                      announce(err.message);
                    }
                    await reload();
                  },
                },
                'Delete',
              ),
            ),
          ),
        ),
      ),
    );
  }

  async function drawHistory() {
    let items;
    try {
      items = (await api.list('/alerting/v3/history', { per_page: 50 })).result;
    } catch (err) {
      clear(historyRegion).append(err.unavailable ? unavailable('Alert history is', '/alerting/v3/history') : h('p', { class: 'form-error' }, err.message));
      return;
    }
    if (ctx.stale()) return;
    clear(historyRegion);
    if (!items.length) {
      historyRegion.append(h('p', { class: 'hint' }, 'Nothing sent yet.'));
      return;
    }
    historyRegion.append(
      table(
        'Alert history',
        ['Sent', 'Alert', 'Token', 'To', 'Outcome'],
        items.map((x) => {
          const when = x.sent ?? x.sent_at ?? x.created_at;
          const outcome = String(x.outcome ?? x.status ?? (x.sent ? 'delivered' : 'pending'));
          const kind = /fail|error/i.test(outcome) ? 'danger' : /deliver|sent/i.test(outcome) ? 'ok' : 'neutral';
          const token = x.token_name ?? x.data?.name ?? x.service_token_name ?? x.token_id ?? '';
          return h(
            'tr',
            {},
            h('td', { 'data-label': 'Sent' }, when ? [h('span', { title: when }, relative(when)), h('span', { class: 'sub' }, absolute(when))] : ''),
            h('td', { 'data-label': 'Alert' }, x.policy_name ?? x.name ?? ''),
            h('td', { 'data-label': 'Token' }, token),
            h('td', { 'data-label': 'To' }, x.mechanism ?? x.recipient ?? ''),
            h(
              'td',
              { 'data-label': 'Outcome' },
              badge(outcome, kind),
              x.last_error ? h('span', { class: 'sub' }, x.last_error) : null,
              outcome === 'pending' && x.next_attempt_at ? h('span', { class: 'sub' }, `next try ${relative(x.next_attempt_at)}`) : null,
            ),
          );
        }),
      ),
    );
  }

  drawAlerts();
  drawHooks();
  await drawHistory();
}
