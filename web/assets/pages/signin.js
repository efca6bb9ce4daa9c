// Sign in with an API token. The token goes to POST /dashboard/session once, which
// answers with an HttpOnly session cookie; the page keeps nothing (the field is cleared).
import { session } from '../api.js';
import { field, h } from '../dom.js';
import { busy, clearErrors, formError, showError, showFieldError } from '../forms.js';

export function render(main, { onSignedIn }) {
  const input = h('input', {
    type: 'password',
    name: 'api_token',
    autocomplete: 'off',
    spellcheck: 'false',
    autocapitalize: 'off',
    required: true,
    'data-field': 'api_token',
  });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Sign in');
  const form = h(
    'form',
    { novalidate: true },
    formError(),
    field({
      label: 'API token',
      input,
      hint: 'An API token (gat_…): printed on first start, or made with `gatehouse admin-token create`. It is exchanged for a session and not kept by this page.',
    }),
    h('div', { class: 'actions start' }, submit),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const value = input.value.trim();
    if (!value) {
      showFieldError(input, 'Enter an API token.');
      input.focus();
      return;
    }
    try {
      const s = await busy(submit, () => session.signIn(value));
      input.value = '';
      onSignedIn(s);
    } catch (err) {
      // 401 messages do not start with a field name: put them under the field.
      if (err.status === 401) {
        showFieldError(input, err.message);
        input.focus();
      } else {
        showError(form, err);
      }
    }
  });
  main.append(
    h(
      'div',
      { class: 'signin' },
      h(
        'div',
        { class: 'card' },
        h('h1', { tabindex: '-1' }, 'Sign in to Gatehouse'),
        h('p', { class: 'lede' }, 'Manage service tokens, protected applications, alerts and logs.'),
        form,
      ),
    ),
  );
  input.focus();
}
