// The one-time view of a new Client Secret (after create and after rotate): the two
// values with copy buttons, the header lines and a curl example. The secret exists only
// in this dialog's DOM; closing it drops the last reference.
import { announce, h, uid } from '../dom.js';

async function copyText(text, button, what) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    ok = fallbackCopy(text, button);
  }
  const label = button.dataset.label;
  button.textContent = ok ? 'Copied' : 'Copy failed';
  button.dataset.copied = ok ? 'true' : 'false';
  announce(ok ? `${what} copied to the clipboard.` : `Could not copy the ${what}: select it and copy it by hand.`);
  setTimeout(() => {
    button.textContent = label;
  }, 2500);
}

// Without the async clipboard (an insecure origin, a denied permission): a hidden
// textarea inside the dialog (the rest of the page is inert while it is open).
function fallbackCopy(text, near) {
  const ta = h('textarea', { readonly: true, class: 'visually-hidden', 'aria-hidden': 'true', tabindex: '-1' });
  ta.value = text;
  (near.closest('dialog') ?? document.body).append(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  near.focus();
  return ok;
}

export function copyButton(text, what, label = 'Copy') {
  const b = h('button', { type: 'button', class: 'button small', 'aria-label': `Copy ${what}`, dataset: { label } }, label);
  b.addEventListener('click', () => copyText(typeof text === 'function' ? text() : text, b, what));
  return b;
}

function valueRow(label, value, testid) {
  const id = uid('v');
  return h(
    'div',
    { class: 'field' },
    h('span', { class: 'label', id: `${id}-l` }, h('strong', {}, label)),
    h(
      'div',
      { class: 'secret-row' },
      h('div', { class: 'value' }, h('code', { 'aria-labelledby': `${id}-l`, 'data-testid': testid }, value)),
      copyButton(value, label),
    ),
  );
}

// Fills dialog `ctl` with the result; `token` carries client_id and client_secret.
export function showSecret(ctl, token, { title, intro }) {
  const headers = `CF-Access-Client-Id: ${token.client_id}\nCF-Access-Client-Secret: ${token.client_secret}`;
  const curl =
    `curl -H "CF-Access-Client-Id: ${token.client_id}" \\\n` +
    `     -H "CF-Access-Client-Secret: ${token.client_secret}" \\\n` +
    '     https://app.example.com/';
  ctl.setContent(
    title,
    h('p', {}, intro),
    h(
      'p',
      { class: 'callout warn', role: 'note' },
      h('strong', {}, 'Copy the Client Secret now. It will not be shown again. '),
      'If it is lost, rotate the token to issue a new one.',
    ),
    valueRow('Client ID', token.client_id, 'client-id'),
    valueRow('Client Secret', token.client_secret, 'client-secret'),
    h('h3', {}, 'Request headers'),
    h('pre', { class: 'block', 'data-testid': 'headers' }, headers),
    h('div', { class: 'copy-row' }, copyButton(headers, 'header lines', 'Copy headers')),
    h('h3', {}, 'Example'),
    h('pre', { class: 'block', 'data-testid': 'curl' }, curl),
    h('div', { class: 'copy-row' }, copyButton(curl, 'curl command', 'Copy curl command')),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'button primary', onclick: () => ctl.close('done') }, 'Done'),
    ),
  );
}
