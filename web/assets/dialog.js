// Modal dialogs on the native <dialog>: showModal() makes the rest of the page inert
// (focus stays inside), Escape closes, and focus returns to what opened it.
import { clear, h, uid } from './dom.js';

export function openDialog({ title, build, onClose }) {
  const opener = document.activeElement;
  const titleId = uid('dlg-title');
  const body = h('div', { class: 'dialog-body' });
  const dialog = h('dialog', { 'aria-labelledby': titleId });
  dialog.append(body);
  document.body.append(dialog);

  const ctl = {
    dialog,
    body,
    titleId,
    close(result) {
      if (dialog.open) dialog.close(result ?? '');
    },
    // Replaces the content (e.g. a form by its result) and moves focus to the new title.
    setContent(newTitle, ...children) {
      clear(body);
      const heading = h('h2', { id: titleId, tabindex: '-1' }, newTitle);
      body.append(heading, ...children);
      focusFirst(body, heading);
    },
  };
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
    onClose?.(dialog.returnValue);
  });
  ctl.setContent(title, ...[].concat(build(ctl)));
  dialog.showModal();
  focusFirst(body, body.querySelector('h2'));
  return ctl;
}

function focusFirst(container, fallback) {
  const target =
    container.querySelector('[autofocus]') ??
    container.querySelector('input:not([type=hidden]):not([disabled]), select, textarea') ??
    fallback;
  target?.focus();
}

// Resolves true when confirmed. `danger` styles the confirm button as destructive.
export function confirmDialog({ title, message, confirmLabel, danger = false }) {
  return new Promise((resolve) => {
    let confirmed = false;
    openDialog({
      title,
      onClose: () => resolve(confirmed),
      build: (ctl) => [
        ...[].concat(message).map((m) => (m instanceof Node ? m : h('p', {}, m))),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'button', autofocus: true, onclick: () => ctl.close() }, 'Cancel'),
          h(
            'button',
            {
              type: 'button',
              class: `button ${danger ? 'danger' : 'primary'}`,
              onclick: () => {
                confirmed = true;
                ctl.close('confirm');
              },
            },
            confirmLabel,
          ),
        ),
      ],
    });
  });
}
