// Create, edit and rotate dialogs for service tokens (compat.md §1.2).
import { api } from '../api.js';
import { field, h, select } from '../dom.js';
import { absolute, DURATION_CHOICES, GRACE_CHOICES, looksLikeGoDuration, rfc3339 } from '../format.js';
import { busy, clearErrors, formError, showError, showFieldError } from '../forms.js';
import { openDialog } from '../dialog.js';
import { showSecret } from './token_secret.js';

// A duration <select> with a custom Go-duration input that shows for "Custom…".
// With `keep`, the first choice leaves the expiry as it is.
function durationPicker({ keep = false } = {}) {
  const choices = keep ? [['keep', 'Keep the current expiry'], ...DURATION_CHOICES] : DURATION_CHOICES;
  // Only the custom input carries data-field: the API's duration messages belong there.
  const choice = select(choices, keep ? 'keep' : '8760h');
  const custom = h('input', { type: 'text', placeholder: 'e.g. 720h or 2160h30m', 'data-field': 'duration', spellcheck: 'false' });
  const customField = field({
    label: 'Custom duration',
    input: custom,
    hint: 'Go duration syntax: a number and a unit (h, m, s, ms), e.g. 720h for 30 days.',
  });
  customField.hidden = true;
  choice.addEventListener('change', () => {
    customField.hidden = choice.value !== 'custom';
    if (!customField.hidden) custom.focus();
  });
  const el = h(
    'div',
    {},
    field({
      label: keep ? 'Extend the expiry' : 'Service token duration',
      input: choice,
      hint: keep
        ? 'A new duration sets the expiry to now plus the chosen amount of time.'
        : 'The token stops working when it expires; refresh it before then (alerts can remind you).',
    }),
    customField,
  );
  return {
    el,
    // The duration to send, null to send none, or undefined when invalid (error shown).
    value() {
      if (choice.value === 'keep') return null;
      if (choice.value !== 'custom') return choice.value;
      const v = custom.value.trim();
      if (!looksLikeGoDuration(v)) {
        showFieldError(custom, 'Enter a duration such as 720h (30 days) or 8760h (1 year).');
        custom.focus();
        return undefined;
      }
      return v;
    },
  };
}

function nameInput(value = '') {
  return h('input', { type: 'text', maxlength: '256', required: true, value, 'data-field': 'name', autocomplete: 'off' });
}

function formFooter(ctl, submitLabel) {
  const submit = h('button', { type: 'submit', class: 'button primary' }, submitLabel);
  return {
    submit,
    el: h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'button', onclick: () => ctl.close() }, 'Cancel'),
      submit,
    ),
  };
}

export function createTokenDialog({ onDone }) {
  openDialog({
    title: 'Create a service token',
    onClose: (result) => onDone(result),
    build: (ctl) => {
      const name = nameInput();
      const duration = durationPicker();
      const footer = formFooter(ctl, 'Generate token');
      const form = h(
        'form',
        { novalidate: true },
        formError(),
        field({ label: 'Service token name', input: name, hint: 'For example ci-deploy. 1 to 256 characters.' }),
        duration.el,
        footer.el,
      );
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        clearErrors(form);
        if (!name.value.trim()) {
          showFieldError(name, 'Enter a name for the service token.');
          name.focus();
          return;
        }
        const d = duration.value();
        if (d === undefined) return;
        try {
          const token = await busy(footer.submit, () => api.post('/access/service_tokens', { name: name.value.trim(), duration: d }));
          ctl.dialog.returnValue = 'created';
          showSecret(ctl, token, {
            title: 'Service token created',
            intro: `“${token.name}” is ready. Send these two headers with each request to an application whose Service Auth policy includes it.`,
          });
        } catch (err) {
          showError(form, err);
        }
      });
      return [form];
    },
  });
}

export function editTokenDialog(token, { onDone }) {
  openDialog({
    title: `Edit “${token.name}”`,
    onClose: (result) => onDone(result),
    build: (ctl) => {
      const name = nameInput(token.name);
      const duration = durationPicker({ keep: true });
      const footer = formFooter(ctl, 'Save');
      const form = h(
        'form',
        { novalidate: true },
        formError(),
        field({ label: 'Service token name', input: name }),
        h('p', { class: 'hint' }, token.expires_at ? `Currently expires ${absolute(token.expires_at)}.` : 'Currently non-expiring.'),
        duration.el,
        footer.el,
      );
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        clearErrors(form);
        if (!name.value.trim()) {
          showFieldError(name, 'Enter a name for the service token.');
          name.focus();
          return;
        }
        const d = duration.value();
        if (d === undefined) return;
        const body = {};
        if (name.value.trim() !== token.name) body.name = name.value.trim();
        if (d !== null) body.duration = d;
        if (!Object.keys(body).length) {
          ctl.close();
          return;
        }
        try {
          await busy(footer.submit, () => api.put(`/access/service_tokens/${token.id}`, body));
          ctl.close('saved');
        } catch (err) {
          showError(form, err);
        }
      });
      return [form];
    },
  });
}

export function rotateTokenDialog(token, { onDone }) {
  openDialog({
    title: `Rotate the secret of “${token.name}”`,
    onClose: (result) => onDone(result),
    build: (ctl) => {
      const graceRadio = h('input', { type: 'radio', name: 'rotate-mode', value: 'grace', checked: true, id: 'rotate-grace' });
      const nowRadio = h('input', { type: 'radio', name: 'rotate-mode', value: 'now', id: 'rotate-now' });
      const grace = select(GRACE_CHOICES, '86400', { 'aria-label': 'How long the previous secret keeps working' });
      const sync = () => {
        grace.disabled = !graceRadio.checked;
      };
      graceRadio.addEventListener('change', sync);
      nowRadio.addEventListener('change', sync);
      const footer = formFooter(ctl, 'Rotate secret');
      const form = h(
        'form',
        { novalidate: true },
        formError(),
        h('p', {}, 'A new Client Secret is issued; the Client ID stays the same. Update every client with the new secret.'),
        h(
          'fieldset',
          {},
          h('legend', {}, 'The current secret'),
          h('label', { class: 'check', for: 'rotate-grace' }, graceRadio, h('span', {}, 'Keeps working for a grace period, so clients can switch over')),
          h('div', { class: 'field inline' }, grace),
          h('label', { class: 'check', for: 'rotate-now' }, nowRadio, h('span', {}, 'Is revoked at once', h('small', {}, 'Clients still using it are refused from the next request on.'))),
        ),
        footer.el,
      );
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        clearErrors(form);
        const body = graceRadio.checked ? { previous_client_secret_expires_at: rfc3339(Date.now() + Number(grace.value) * 1000) } : {};
        try {
          const rotated = await busy(footer.submit, () => api.post(`/access/service_tokens/${token.id}/rotate`, body));
          ctl.dialog.returnValue = 'rotated';
          const until = rotated.previous_client_secret_expires_at;
          showSecret(ctl, rotated, {
            title: 'Secret rotated',
            intro:
              `“${rotated.name}” now has secret version ${rotated.client_secret_version}. ` +
              (until && Date.parse(until) > Date.now()
                ? `The previous secret keeps working until ${absolute(until)}.`
                : 'The previous secret no longer works.'),
          });
        } catch (err) {
          showError(form, err);
        }
      });
      return [form];
    },
  });
}
