// What a page shows when this server lacks the API it needs (404 no_such_endpoint):
// a plain statement, never made-up data.
import { h } from '../dom.js';

export function unavailable(what, path) {
  return h(
    'div',
    { class: 'empty', 'data-testid': 'unavailable' },
    h('h2', {}, `${what} not available on this server`),
    h('p', {}, 'This Gatehouse server does not offer ', h('code', {}, path), ' yet. Update Gatehouse to use this page.'),
  );
}
