// A tour of every page in light and dark themes and on a narrow window, with the checks
// a person would make: badges, empty states, inline messages from the API, labels on
// every control, dialogs usable from the keyboard, the theme toggle. Screenshots go to
// build/artifacts/screenshots/ for a human to look at.
//
// Run: cd tests && GATEHOUSE_BIN=../build/debug/src/gatehouse node --test browser/tour.test.mjs
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { startServer } from '../compat/server.mjs';
import { adminApi, launchBrowser, screenshot, signIn, watchPage } from './harness.mjs';

let srv;
let browser;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  const make = async (body) => {
    const r = await adminApi(srv, 'POST', '/access/service_tokens', body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.result;
  };
  await make({ name: 'already-expired', duration: '1s' });
  await make({ name: 'expires-soon', duration: '72h' });
  await make({ name: 'never-expires', duration: 'forever' });
  await make({ name: 'switched-off', duration: '8760h', enabled: false });
  const ci = await make({ name: 'ci-deploy', duration: '8760h' });
  const app = await adminApi(srv, 'POST', '/access/apps', {
    type: 'self_hosted',
    name: 'internal-api',
    domain: 'api.internal.test',
    origin: 'http://127.0.0.1:9',
    policies: [{ name: 'ci', decision: 'non_identity', include: [{ service_token: { token_id: ci.id } }] }],
  });
  assert.equal(app.status, 201, JSON.stringify(app.body));
  await sleep(1500); // "already-expired" is past its one second
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Every form control has an accessible name (a <label>, aria-label or aria-labelledby).
async function unlabelledControls(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => el.offsetParent !== null || el.closest('dialog[open]'))
      .filter((el) => el.type !== 'hidden')
      .filter((el) => {
        if (el.labels?.length) return false;
        if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
        return !(el.tagName === 'BUTTON' && el.textContent.trim());
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

const PAGES = [
  ['service-tokens', 'Service Tokens'],
  ['apps', 'Applications'],
  ['notifications', 'Notifications'],
  ['logs', 'Logs'],
  ['settings', 'Settings'],
];

test('every page, light and dark, labelled controls and no console errors', async () => {
  const page = await browser.context.newPage();
  const problems = watchPage(page);
  await signIn(page, srv);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [route, title] of PAGES) {
      await page.goto(`${new URL(srv.adminBase).origin}/#/${route}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
      assert.deepEqual(await unlabelledControls(page), [], `unlabelled controls on ${route}`);
      await screenshot(page, `tour-${scheme}-${route}`);
    }
    await page.goto(`${new URL(srv.adminBase).origin}/#/apps`);
    await page.getByRole('link', { name: 'internal-api', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit “internal-api”' }).waitFor();
    assert.equal(await page.getByLabel('Service token', { exact: true }).inputValue(), (await tokenId('ci-deploy')));
    assert.deepEqual(await unlabelledControls(page), [], 'unlabelled controls in the app editor');
    await screenshot(page, `tour-${scheme}-app-editor`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

async function tokenId(name) {
  const r = await adminApi(srv, 'GET', `/access/service_tokens?name=${name}`);
  return r.body.result[0].id;
}

test('badges: expired, expiring within 7 days, non-expiring, disabled', async () => {
  const page = await browser.context.newPage();
  await signIn(page, srv);
  const badge = async (name) => (await page.locator('tr', { hasText: name }).textContent()).replace(/\s+/g, ' ');
  await page.locator('tr', { hasText: 'ci-deploy' }).waitFor();
  assert.match(await badge('already-expired'), /Expired/);
  assert.match(await badge('expires-soon'), /Expires within 7 days/);
  assert.match(await badge('never-expires'), /Non-expiring/);
  assert.match(await badge('switched-off'), /Disabled/);
  assert.doesNotMatch(await badge('ci-deploy'), /Expired|Expires within|Non-expiring|Disabled/);
  // Search narrows the list (substring of the name).
  await page.getByLabel('Search service tokens').fill('expire');
  await page.locator('tr', { hasText: 'ci-deploy' }).waitFor({ state: 'detached' });
  assert.equal(await page.locator('tbody tr').count(), 3); // already-expired, expires-soon, never-expires
  await page.getByLabel('Search service tokens').fill('no-such-token');
  await page.getByText('No matches').waitFor();
  await page.close();
});

test('disable (after a confirmation naming the token) and enable again', async () => {
  const page = await browser.context.newPage();
  await signIn(page, srv);
  const row = page.locator('tr', { hasText: 'ci-deploy' });
  await page.getByRole('button', { name: 'Disable ci-deploy' }).click();
  const confirm = page.getByRole('dialog', { name: 'Disable “ci-deploy”?' });
  await confirm.getByRole('button', { name: 'Disable ci-deploy' }).click();
  await row.getByText('Disabled', { exact: true }).waitFor();
  let t = (await adminApi(srv, 'GET', '/access/service_tokens?name=ci-deploy')).body.result[0];
  assert.equal(t.enabled, false);
  await page.getByRole('button', { name: 'Enable ci-deploy' }).click();
  await row.getByText('Disabled', { exact: true }).waitFor({ state: 'detached' });
  t = (await adminApi(srv, 'GET', '/access/service_tokens?name=ci-deploy')).body.result[0];
  assert.equal(t.enabled, true);
  await page.close();
});

test('paging: 20 tokens a page, Previous and Next', async () => {
  for (let i = 0; i < 20; i++) {
    const r = await adminApi(srv, 'POST', '/access/service_tokens', { name: `bulk-${String(i).padStart(2, '0')}` });
    assert.equal(r.status, 201);
  }
  const page = await browser.context.newPage();
  await signIn(page, srv);
  const pager = page.getByRole('navigation', { name: 'Service token pages' });
  await pager.getByText('Page 1 of 2 · 25 tokens').waitFor();
  assert.equal(await page.locator('tbody tr').count(), 20);
  await pager.getByRole('button', { name: 'Next' }).click();
  await pager.getByText('Page 2 of 2 · 25 tokens').waitFor();
  assert.equal(await page.locator('tbody tr').count(), 5);
  assert.equal(await pager.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await pager.getByRole('button', { name: 'Previous' }).click();
  await pager.getByText('Page 1 of 2 · 25 tokens').waitFor();
  for (let i = 0; i < 20; i++) {
    const id = (await adminApi(srv, 'GET', `/access/service_tokens?name=bulk-${String(i).padStart(2, '0')}`)).body.result[0].id;
    await adminApi(srv, 'DELETE', `/access/service_tokens/${id}`);
  }
  await page.close();
});

test('keyboard: the create dialog takes focus, shows the API message inline, and Escape gives focus back', async () => {
  const page = await browser.context.newPage();
  await signIn(page, srv);
  const open = page.getByRole('button', { name: 'Create service token' }).first();
  await open.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Create a service token' });
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.labels?.[0]?.textContent), 'Service token name');

  // Client-side: a name is required.
  await dialog.getByRole('button', { name: 'Generate token' }).click();
  await dialog.getByText('Enter a name for the service token.').waitFor();
  assert.equal(await dialog.getByLabel('Service token name').getAttribute('aria-invalid'), 'true');

  // Server-side: a zero duration is refused by the API; its message lands under the field.
  await page.keyboard.type('zero-duration');
  await dialog.getByLabel('Service token duration').selectOption('custom');
  await dialog.getByLabel('Custom duration').fill('0s');
  await page.keyboard.press('Enter');
  const custom = dialog.getByLabel('Custom duration');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
  assert.equal(await custom.getAttribute('aria-invalid'), 'true');
  const describedBy = (await custom.getAttribute('aria-describedby')).split(' ');
  const message = await page.evaluate((ids) => ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' '), describedBy);
  assert.match(message, /duration/i, `the API's message is tied to the field: ${message}`);
  await screenshot(page, 'tour-create-validation');

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Create service token');
  assert.equal((await adminApi(srv, 'GET', '/access/service_tokens?name=zero-duration')).body.result.length, 0);
  await page.close();
});

test('narrow window: tables become cards, the menu opens and closes', async () => {
  const narrow = await launchBrowser({ viewport: { width: 390, height: 844 } });
  try {
    const page = await narrow.context.newPage();
    await signIn(page, srv);
    await page.locator('tr', { hasText: 'ci-deploy' }).waitFor();
    const menu = page.getByRole('button', { name: 'Menu' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.getByRole('link', { name: 'Settings' }).isVisible(), false);
    await screenshot(page, 'tour-narrow-tokens');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    // Nothing overflows sideways.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no horizontal scroll');
    await screenshot(page, 'tour-narrow-settings');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${new URL(srv.adminBase).origin}/#/apps/new`);
    await page.getByRole('heading', { level: 1, name: 'Add an application' }).waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no horizontal scroll in the editor');
    await screenshot(page, 'tour-narrow-dark-app-editor');
  } finally {
    await narrow.close();
  }
});

test('the theme toggle overrides the system preference and is remembered', async () => {
  const page = await browser.context.newPage();
  await page.emulateMedia({ colorScheme: 'light' });
  await signIn(page, srv);
  const toggle = page.getByRole('button', { name: 'Dark theme' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  const dark = await bg();
  assert.notEqual(dark, light);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Service Tokens' }).waitFor();
  assert.equal(await bg(), dark, 'still dark after a reload');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  assert.equal(await bg(), light);
  await page.close();
});
