// Building DOM without innerHTML: every value from the API becomes a text node, so a
// token or app name can never inject markup (and the CSP forbids inline script anyway).

let nextId = 0;
export function uid(prefix = 'gh') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

// h('button', {class: 'button', onclick: fn, 'aria-label': 'x'}, 'text', child, [more])
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value' || key === 'checked' || key === 'selected') el[key] = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// A polite announcement for screen readers, also shown briefly on screen.
let toastTimer;
export function announce(message) {
  const toast = document.getElementById('toast');
  if (!toast) return;
  toast.textContent = '';
  // A fresh text node after a tick, so that a repeated message is announced again.
  setTimeout(() => {
    toast.textContent = message;
  }, 30);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    toast.textContent = '';
  }, 6000);
}

// A labelled form field: {label, input, hint, id}. Returns the wrapper; the input gets
// aria-describedby for the hint and for the error slot that showFieldError fills.
export function field({ label, input, hint, hideLabel = false }) {
  const id = input.id || uid('f');
  input.id = id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const errorEl = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  input.setAttribute('aria-describedby', [hintEl ? hintEl.id : null, errorEl.id].filter(Boolean).join(' '));
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id, class: hideLabel ? 'visually-hidden' : null }, label),
    input,
    hintEl,
    errorEl,
  );
}

export function checkbox({ label, checked, note, dataField }) {
  const input = h('input', { type: 'checkbox', checked: !!checked, 'data-field': dataField });
  const id = uid('c');
  input.id = id;
  return {
    input,
    el: h('label', { class: 'check', for: id }, input, h('span', {}, label, note ? h('small', {}, note) : null)),
  };
}

export function select(options, value, attrs = {}) {
  const el = h('select', attrs);
  for (const [v, text] of options) el.append(h('option', { value: v, selected: v === value }, text));
  el.value = value ?? (options[0] ? options[0][0] : '');
  return el;
}

export function badge(text, kind = 'neutral') {
  return h('span', { class: `badge ${kind}` }, text);
}

export function emptyState({ title, text, action }) {
  return h('div', { class: 'empty' }, h('h2', {}, title), h('p', {}, text), action ?? null);
}
