// Settings: the organization (team domain, strict mode, session duration, inactivity
// cleanup, compat.md §1.4) and the signing keys (rotation interval, rotate now).
import { api } from '../api.js';
import { announce, checkbox, field, h, select } from '../dom.js';
import { confirmDialog } from '../dialog.js';
import { absolute, plural, relative } from '../format.js';
import { busy, clearErrors, formError, showError, showFieldError } from '../forms.js';

function section(title, description, ...content) {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), description ? h('p', { class: 'hint' }, description) : null, ...content);
}

// A form that PUTs its changes to the organization and shows the API's messages inline.
function orgForm(fields, build, saveLabel = 'Save') {
  const submit = h('button', { type: 'submit', class: 'button primary' }, saveLabel);
  const form = h('form', { novalidate: true }, formError(), ...fields, h('div', { class: 'actions start' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = build(form);
    if (!body) return;
    try {
      await busy(submit, () => api.put('/access/organizations', body));
      announce('Settings saved.');
    } catch (err) {
      showError(form, err);
    }
  });
  return form;
}

export async function render(main, ctx) {
  const [org, keys] = await Promise.all([api.get('/access/organizations'), api.get('/access/keys')]);
  if (ctx.stale()) return;

  const orgName = h('input', { type: 'text', value: org.name, 'data-field': 'name', autocomplete: 'off' });
  const authDomain = h('input', { type: 'text', value: org.auth_domain, 'data-field': 'auth_domain', spellcheck: 'false', autocomplete: 'off' });
  const teamForm = orgForm(
    [
      field({ label: 'Organization name', input: orgName }),
      field({ label: 'Team domain', input: authDomain, hint: 'Issued JWTs carry iss = https://<team domain>; clients that verify them must expect it.' }),
    ],
    () => ({ name: orgName.value.trim(), auth_domain: authDomain.value.trim() }),
  );

  const strict = checkbox({
    label: 'Strict service token authentication',
    checked: org.strict_service_token_auth,
    note: 'Every request must carry the Client ID and Secret: no CF_Authorization cookie is set or accepted.',
    dataField: 'strict_service_token_auth',
  });
  const session = h('input', { type: 'text', value: org.session_duration, 'data-field': 'session_duration', spellcheck: 'false' });
  const authForm = orgForm(
    [strict.el, field({ label: 'Global session duration', input: session, hint: 'Default lifetime of issued tokens (Go syntax, e.g. 24h); an application or policy may set its own.' })],
    () => ({ strict_service_token_auth: strict.input.checked, session_duration: session.value.trim() }),
  );

  const inactivity = org.service_token_inactivity ?? { enabled: false, inactivity_threshold_days: 90, action: 'disable' };
  const cleanup = checkbox({ label: 'Clean up unused service tokens', checked: inactivity.enabled, dataField: 'service_token_inactivity.enabled' });
  const days = h('input', { type: 'number', min: '30', max: '365', value: String(inactivity.inactivity_threshold_days ?? 90), 'data-field': 'service_token_inactivity.inactivity_threshold_days' });
  const action = select([['disable', 'Disable the token'], ['delete', 'Delete the token']], inactivity.action ?? 'disable', { 'data-field': 'service_token_inactivity.action' });
  const cleanupForm = orgForm(
    [
      cleanup.el,
      field({ label: 'After this many days without use', input: days, hint: 'From 30 to 365 days; a token never used counts from its creation.' }),
      field({ label: 'Then', input: action }),
    ],
    () => {
      const n = Number(days.value);
      if (!Number.isInteger(n) || n < 30 || n > 365) {
        showFieldError(days, 'Enter a whole number of days from 30 to 365.');
        days.focus();
        return null;
      }
      return { service_token_inactivity: { enabled: cleanup.input.checked, inactivity_threshold_days: n, action: action.value } };
    },
  );

  const keyStatus = h('dl', { class: 'kv', 'aria-live': 'polite' });
  const showKeys = (k) => {
    keyStatus.replaceChildren(
      h('dt', {}, 'Last rotation'),
      h('dd', {}, k.last_key_rotation_at ? `${absolute(k.last_key_rotation_at)} (${relative(k.last_key_rotation_at)})` : 'Never'),
      h('dt', {}, 'Next scheduled rotation'),
      h('dd', {}, `in ${plural(k.days_until_next_rotation, 'day', 'days')}`),
    );
  };
  showKeys(keys);
  const interval = h('input', { type: 'number', min: '21', max: '365', value: String(keys.key_rotation_interval_days), 'data-field': 'key_rotation_interval_days' });
  const intervalSubmit = h('button', { type: 'submit', class: 'button primary' }, 'Save interval');
  const intervalForm = h('form', { novalidate: true }, formError(), field({ label: 'Rotation interval (days)', input: interval, hint: 'From 21 to 365 days.' }), h('div', { class: 'actions start' }, intervalSubmit));
  intervalForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(intervalForm);
    try {
      const k = await busy(intervalSubmit, () => api.put('/access/keys', { key_rotation_interval_days: Number(interval.value) }));
      showKeys(k);
      announce('Rotation interval saved.');
    } catch (err) {
      showError(intervalForm, err);
    }
  });
  const rotate = h('button', { type: 'button', class: 'button' }, 'Rotate signing key now');
  rotate.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: 'Rotate the signing key now?',
      message: 'New JWTs are signed with a new key. The previous key stays in the JWKS for 7 days, so tokens issued before keep verifying.',
      confirmLabel: 'Rotate now',
    });
    if (!ok) return;
    try {
      const k = await busy(rotate, () => api.post('/access/keys/rotate'));
      showKeys(k);
      announce('Signing key rotated.');
    } catch (err) {
      announce(err.message);
    }
  });

  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Settings')),
    h('p', { class: 'lede' }, `Account ${ctx.session.account_id}.`),
    section('Team domain', null, teamForm),
    section('Authentication', null, authForm),
    section('Inactive service tokens', 'Disable or delete service tokens that have not been used for a while.', cleanupForm),
    section('Signing keys', 'The keys that sign the application JWTs (RS256), published at /cdn-cgi/access/certs.', keyStatus, intervalForm, h('div', { class: 'actions start' }, rotate)),
  );
}
