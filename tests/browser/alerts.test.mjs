// Notifications (issue 5): add an "Expiring Access Service Token" alert with two email
// recipients through the dashboard. Needs the alerting API (compat.md §1.5); on a server
// without it the page must say so plainly, and the alert test is skipped with that reason.
//
// Run: cd tests && GATEHOUSE_BIN=../build/debug/src/gatehouse node --test browser/alerts.test.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../compat/server.mjs';
import { adminApi, launchBrowser, screenshot, signIn, watchPage } from './harness.mjs';

let srv;
let browser;
let alerting; // does this server offer /alerting/v3?

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  const probe = await adminApi(srv, 'GET', '/alerting/v3/policies');
  alerting = probe.status !== 404;
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('without the alerting API the page says it is not available, and shows no made-up data', async (t) => {
  if (alerting) return t.skip('this server has the alerting API');
  const page = await browser.context.newPage();
  await signIn(page, srv);
  await page.getByRole('link', { name: 'Notifications' }).click();
  await page.getByRole('heading', { name: 'Notifications are not available on this server' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Add an alert' }).count(), 0);
  await screenshot(page, 'alerts-unavailable');
  await page.close();
});

test('add an Expiring Access Service Token alert with two recipients', async (t) => {
  if (!alerting) return t.skip('the alerting API (/alerting/v3, compat.md §1.5) is not on this server yet');
  const created = await adminApi(srv, 'POST', '/access/service_tokens', { name: 'nightly-backup', duration: '72h' });
  assert.equal(created.status, 201);

  const page = await browser.context.newPage();
  const problems = watchPage(page);
  await signIn(page, srv);
  await page.getByRole('link', { name: 'Notifications' }).click();
  await page.getByText('No alerts yet').waitFor();

  // A webhook destination first, to pick in the alert.
  await page.getByRole('button', { name: 'Add a webhook destination' }).click();
  const hook = page.getByRole('dialog', { name: 'Add a webhook destination' });
  await hook.getByLabel('Name').fill('ops-hook');
  await hook.getByLabel('URL').fill('http://127.0.0.1:9/hook');
  await hook.getByLabel('Secret (optional)').fill('s3cret-for-the-receiver');
  await hook.getByRole('button', { name: 'Save destination' }).click();
  await hook.waitFor({ state: 'detached' });
  await page.locator('tr', { hasText: 'ops-hook' }).waitFor();
  const hooks = (await adminApi(srv, 'GET', '/alerting/v3/destinations/webhooks')).body.result;
  assert.equal(hooks.length, 1);
  assert.ok(!JSON.stringify(hooks).includes('s3cret-for-the-receiver'), 'the secret is write-only');

  await page.getByRole('button', { name: 'Add an alert' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Alert name').fill('tokens expiring');
  await dialog.getByLabel('Description (optional)').fill('tell ops a week ahead');
  await dialog.getByLabel('Email recipients').fill('ops@example.com\nsecurity@example.com');
  await dialog.getByRole('checkbox', { name: /ops-hook/ }).check();
  await screenshot(page, 'alerts-add');
  await dialog.getByRole('button', { name: 'Save alert' }).click();
  await dialog.waitFor({ state: 'detached' });
  const row = page.locator('tr[data-alert-id]', { hasText: 'tokens expiring' });
  await row.waitFor();
  assert.match(await row.textContent(), /ops@example\.com/);
  assert.match(await row.textContent(), /security@example\.com/);
  await screenshot(page, 'alerts-list');

  const list = await adminApi(srv, 'GET', '/alerting/v3/policies');
  assert.equal(list.status, 200);
  const policy = list.body.result.find((p) => p.name === 'tokens expiring');
  assert.ok(policy, 'the alert was stored');
  assert.equal(policy.alert_type, 'expiring_service_token_alert');
  assert.equal(policy.enabled, true);
  assert.deepEqual(
    policy.mechanisms.email.map((m) => m.id).sort(),
    ['ops@example.com', 'security@example.com'],
  );
  assert.ok(!policy.filters?.token_id?.length, 'no token filter: every token');
  assert.deepEqual(policy.mechanisms.webhooks, [{ id: hooks[0].id }]);

  // Disable, then delete (through a confirmation naming the alert).
  await row.getByLabel('Enabled: tokens expiring').uncheck();
  await page.getByRole('status').filter({ hasText: 'Disabled “tokens expiring”.' }).waitFor();
  let stored = (await adminApi(srv, 'GET', `/alerting/v3/policies/${policy.id}`)).body.result;
  assert.equal(stored.enabled, false);
  assert.equal(stored.mechanisms.email.length, 2, 'a toggle keeps the recipients');
  await page.locator('tr[data-alert-id]', { hasText: 'tokens expiring' }).getByRole('button', { name: 'Delete tokens expiring' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete tokens expiring' }).click();
  await page.getByText('No alerts yet').waitFor();
  stored = await adminApi(srv, 'GET', `/alerting/v3/policies/${policy.id}`);
  assert.equal(stored.status, 404);
  assert.deepEqual(problems, []);
  await page.close();
});
