// Validation messages next to the field they are about. The API's 400 messages start
// with the field's path ("duration …", "policies[0].include[1].ip …"); inputs carry that
// path in data-field, so a message lands under the input it names.
import { announce, h } from './dom.js';

export function formError() {
  return h('div', { class: 'form-error', role: 'alert', hidden: true, tabindex: '-1' });
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) {
    el.textContent = '';
    el.hidden = true;
  }
  for (const el of form.querySelectorAll('.form-error')) {
    el.textContent = '';
    el.hidden = true;
  }
}

function errorSlot(input) {
  const existing = input.id ? document.getElementById(`${input.id}-error`) : null;
  if (existing) return existing;
  const slot = h('p', { class: 'field-error', id: `${input.id || 'x'}-error` });
  input.insertAdjacentElement('afterend', slot);
  const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  if (!described.includes(slot.id)) input.setAttribute('aria-describedby', [...described, slot.id].join(' '));
  return slot;
}

export function showFieldError(input, message) {
  input.setAttribute('aria-invalid', 'true');
  const slot = errorSlot(input);
  slot.textContent = message;
  slot.hidden = false;
}

function inputFor(form, path) {
  let best = null;
  let bestLen = -1;
  for (const el of form.querySelectorAll('[data-field]')) {
    const f = el.dataset.field;
    if (!f) continue;
    const hit = path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`);
    if (hit && f.length > bestLen && !el.closest('[hidden]')) {
      best = el;
      bestLen = f.length;
    }
  }
  return best;
}

// Shows an ApiError (or any Error) in `form`; `prefix` is put before the field path the
// server names (for sub-resources saved on their own, e.g. "policies[2].").
export function showError(form, err, { prefix = '' } = {}) {
  const general = [];
  let first = null;
  for (const e of err.errors ?? [{ text: err.message, field: null }]) {
    const input = e.field ? inputFor(form, prefix + e.field) : null;
    if (input) {
      // Under its own field a nested path ("policies[1].include[0].ip.ip") says nothing
      // the reader does not see; a plain field name ("name is required") reads well.
      const nested = /[.[]/.test(e.field);
      showFieldError(input, capitalize(nested ? e.text.slice(e.field.length).trim() : e.text));
      first ??= input;
    } else {
      general.push(e.text);
    }
  }
  const box = form.querySelector('.form-error');
  if (general.length && box) {
    box.textContent = general.map(capitalize).join(' ');
    box.hidden = false;
    first ??= box;
  } else if (general.length) {
    announce(general.join(' '));
  }
  first?.focus();
}

export function capitalize(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

// Disables the submit button while a request is in flight.
export async function busy(button, fn) {
  const was = button.disabled;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = was;
    button.removeAttribute('aria-busy');
  }
}
